"""Opening a store brings its schema to the newest revision (xner.store.migrations)."""

import json
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from xner.errors import ConfigError
from xner.store import Store
from xner.store.migrations import head, revision
from xner.store.schema import Base
from xner.types import Entity

LEGACY = Path(__file__).parent / "legacy"


def differences(store):
    """What separates the store's tables from xner.store.schema (empty: the same schema)."""
    with store.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def at(store):
    with store.engine.connect() as connection:
        return revision(connection)


def test_a_new_store_gets_the_schema_at_the_newest_revision(store_url):
    store = Store(store_url)
    assert at(store) == (head(),)
    assert differences(store) == []
    store.engine.dispose()


RECORD = {"source_words": ["Angela", "Merkel", "spoke"], "target_words": ["Angela", "Merkel", "sprach"],
          "source_entities": [[0, 2, "PER"]],
          "projection": {"entities": [[0, 2, "PER"]],
                         "candidates": [{"entity_index": 0, "start": 0, "end": 2, "total": 0.75, "chosen": True,
                                         "reason": "aligned"}]}}


def legacy_store(url: str) -> None:
    """A store as the code before versioned migrations left it: its tables made by
    ``create_all`` (the DDL it emitted, kept in tests/store/legacy/), no ``alembic_version``,
    and a review in progress, written as that code wrote its rows."""
    engine = create_engine(url)
    lines = (LEGACY / f"{engine.dialect.name}.sql").read_text().splitlines()
    statements = [s.strip() for s in "\n".join(line for line in lines if not line.startswith("--")).split(";")]
    when = "2026-01-01 10:00:00"
    with engine.begin() as connection:
        for statement in filter(None, statements):
            connection.exec_driver_sql(statement)
        connection.execute(text(
            "INSERT INTO datasets (id, name, src_lang, tgt_lang, status, labels, created_at) "
            "VALUES (1, 'old', 'en', 'de', 'ready', :labels, :when)"), {"labels": '["PER"]', "when": when})
        for position in range(3):
            connection.execute(text("INSERT INTO items (id, dataset_id, position, score, record) "
                                    "VALUES (:id, 1, :position, 0.75, :record)"),
                               {"id": position + 1, "position": position, "record": json.dumps(RECORD)})
        log = [(1, 1, "accept", [[0, 2, "PER"]], None, None), (2, 2, "edit", [[0, 1, "PER"]], None, None),
               (3, 2, "undo", [], 2, None), (4, 3, "accept", [[0, 2, "PER"]], None, "b1"),
               (5, 2, "reject", [], None, None)]
        for decision_id, item_id, action, entities, undoes, batch in log:
            connection.execute(text(
                "INSERT INTO decisions (id, item_id, annotator, action, entities, undoes, batch, created_at) "
                "VALUES (:id, :item, 'ana', :action, :entities, :undoes, :batch, :when)"),
                {"id": decision_id, "item": item_id, "action": action, "entities": json.dumps(entities),
                 "undoes": undoes, "batch": batch, "when": when})
        for item_id, status, entities, decision_id in ((1, "accept", [[0, 2, "PER"]], 1), (2, "reject", [], 5),
                                                       (3, "accept", [[0, 2, "PER"]], 4)):
            connection.execute(text("INSERT INTO item_states (item_id, annotator, status, entities, decision_id) "
                                    "VALUES (:item, 'ana', :status, :entities, :decision)"),
                               {"item": item_id, "status": status, "entities": json.dumps(entities),
                                "decision": decision_id})
        connection.execute(text("INSERT INTO drafts (item_id, annotator, revision, entities, edits, updated_at) "
                                "VALUES (1, 'ben', 0, :entities, 2, :when)"),
                           {"entities": json.dumps([[0, 1, "PER"]]), "when": when})
        connection.execute(text("INSERT INTO comments (id, item_id, annotator, flag, text, created_at) "
                                "VALUES (1, 2, 'ana', 'unsure', 'is this a name?', :when)"), {"when": when})
        for table in ("datasets", "items", "decisions", "comments"):  # as SERIAL would have left them
            if engine.dialect.name == "postgresql":
                connection.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    engine.dispose()


def test_a_store_made_before_versioned_migrations_is_upgraded_in_place(store_url):
    from xner.store.comments import comments
    from xner.store.drafts import load_draft

    legacy_store(store_url)
    store = Store(store_url)
    assert at(store) == (head(),) and differences(store) == []
    # every decision and every state as it was
    assert [a for _, a, _ in store.decisions(2)] == ["edit", "undo", "reject"]
    assert store.state(1, "ana") == ("accept", (Entity(0, 2, "PER"),))
    assert store.state(2, "ana") == ("reject", ())
    assert [d.decision_id for d in store.history(1, "ana")] == [5, 4, 1]
    assert load_draft(store, 1, "ben").entities == (Entity(0, 1, "PER"),)
    assert [c.text for c in comments(store, [2])[2]] == ["is this a name?"]
    # and the review goes on: undo steps back through the old log, a new decision lands
    assert store.undo_last(1, "ana") == 2 and store.state(2, "ana") is None
    assert store.undo_last(1, "ana") == 3 and store.state(3, "ana") is None
    store.record(2, "ana", "accept", [Entity(0, 2, "PER")], revision=0)
    assert store.next_item(1, "ana") == 3
    store.engine.dispose()
    assert at(Store(store_url)) == (head(),)  # opened again: nothing left to do


def test_a_store_from_before_several_columns_existed_is_upgraded(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE datasets (id INTEGER PRIMARY KEY, name VARCHAR(200) UNIQUE, src_lang VARCHAR(20),
                               tgt_lang VARCHAR(20), created_at DATETIME);
        CREATE TABLE items (id INTEGER PRIMARY KEY, dataset_id INTEGER, position INTEGER, record JSON);
        CREATE TABLE decisions (id INTEGER PRIMARY KEY, item_id INTEGER, annotator VARCHAR(100), action VARCHAR(20),
                                entities JSON, created_at DATETIME);
        CREATE TABLE item_states (item_id INTEGER, annotator VARCHAR(100), status VARCHAR(20), entities JSON,
                                  decision_id INTEGER, PRIMARY KEY (item_id, annotator));
        CREATE TABLE jobs (id INTEGER PRIMARY KEY, name VARCHAR(200), status VARCHAR(20), done INTEGER,
                           total INTEGER, message VARCHAR(2000), dataset_id INTEGER, created_at DATETIME);
        INSERT INTO datasets VALUES (1, 'old', 'en', 'de', '2026-01-01');
        INSERT INTO items VALUES (1, 1, 0, '{"source_words": ["Paris"], "target_words": ["Paris"],
                                            "source_entities": [[0, 1, "LOC"]]}');
        INSERT INTO decisions VALUES (1, 1, 'ana', 'accept', '[[0, 1, "LOC"]]', '2026-01-01');
        INSERT INTO decisions VALUES (2, 1, 'ana', 'edit', '[[0, 1, "ORG"]]', '2026-01-01');
        INSERT INTO decisions VALUES (3, 1, 'ana', 'undo', '[]', '2026-01-01');
        INSERT INTO item_states VALUES (1, 'ana', 'accept', '[[0, 1, "LOC"]]', 3);
    """)
    old.commit()
    old.close()
    store = Store(f"sqlite:///{path}")
    assert at(store) == (head(),)
    assert store.datasets() == [(1, "old", 1)] and store.labels(1) == ("LOC", "MISC", "ORG", "PER")
    # the old per-item undo already reverted the edit: one more undo reverts the accept
    assert store.last_decision(1, "ana").action == "accept"
    assert store.undo_last(1, "ana") == 1 and store.state(1, "ana") is None


def test_a_store_from_a_newer_xner_is_refused_and_left_as_it_is(store_url):
    store = Store(store_url)
    store.create_dataset("kept", [])
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.engine.dispose()
    where = store_url.rsplit("///", 1)[1] if store_url.startswith("sqlite") else store_url.rsplit("/", 1)[1]
    with pytest.raises(ConfigError, match="newer xner") as refused:
        Store(store_url)
    assert where in str(refused.value) and "revision 9999" in str(refused.value)
    assert "XNER_DB_URL" in str(refused.value)
    engine = create_engine(store_url)
    with engine.connect() as connection:
        assert revision(connection) == ("9999",)
        assert connection.execute(text("SELECT name FROM datasets")).scalars().all() == ["kept"]
    engine.dispose()


def test_opening_an_up_to_date_store_takes_no_write_lock(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Store(url).engine.dispose()
    writer = sqlite3.connect(tmp_path / "store.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        store = Store(url, busy_ms=50, retries=1)
        assert store.datasets() == []
    finally:
        writer.execute("ROLLBACK")
        writer.close()
