"""Bringing a store's schema up to date when it is opened."""

from __future__ import annotations

from sqlalchemy import inspect, select, text, update

from xner.store.schema import Base, Item


def upgrade(database) -> None:
    with database._write_engine.begin() as connection:
        if database.dialect == "postgresql":
            # several first starts at once: one creates, the others wait and find the tables
            connection.execute(text("SELECT pg_advisory_xact_lock(7318)"))
        Base.metadata.create_all(connection)
        _migrate(connection)


def _migrate(connection) -> None:
    """Add the columns newer versions of the schema have to a store created by an older one."""
    inspector = inspect(connection)
    for table in Base.metadata.sorted_tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            kind = column.type.compile(dialect=connection.dialect)
            default = column.default.arg if column.default is not None and column.default.is_scalar else None
            clause = f" DEFAULT '{default}'" if isinstance(default, str) else ""
            connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}{clause}'))
            if table.name == "decisions" and column.name == "undoes":
                _backfill_undoes(connection)
            if table.name == "items" and column.name == "score":
                _backfill_scores(connection)


def _backfill_undoes(connection) -> None:
    """Older logs: an ``undo`` reverted the last effective decision on its item."""
    rows = connection.execute(text(
        "SELECT id, item_id, annotator, action FROM decisions ORDER BY id")).all()
    stacks: dict[tuple[int, str], list[int]] = {}
    for decision_id, item_id, annotator, action in rows:
        stack = stacks.setdefault((item_id, annotator), [])
        if action != "undo":
            stack.append(decision_id)
        elif stack:
            connection.execute(text("UPDATE decisions SET undoes = :u WHERE id = :i"),
                               {"u": stack.pop(), "i": decision_id})


def _backfill_scores(connection) -> None:
    from xner.store.datasets import record_score

    for item_id, record in connection.execute(select(Item.id, Item.record)).all():
        connection.execute(update(Item).where(Item.id == item_id).values(score=record_score(record)))
