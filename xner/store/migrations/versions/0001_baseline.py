"""Baseline: the schema as it was when migrations were first versioned.

A new store gets these tables. A store made before (no ``alembic_version`` table) already
holds tables, perhaps from an older schema still: the tables and columns it lacks are added
(a column added to rows that exist is nullable, with the default its rows would have had),
with what older logs lacked filled in: which decision an ``undo`` reverted, each item's
score. Nothing in it is removed or rewritten.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# a copy, not xner.store.schema: later revisions change that, this revision stays what it was
metadata = sa.MetaData()
_CASCADE = {"ondelete": "CASCADE"}
sa.Table(
    "datasets", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("src_lang", sa.String(20), nullable=False, default=""),
    sa.Column("tgt_lang", sa.String(20), nullable=False, default=""),
    sa.Column("status", sa.String(20), nullable=False, default="ready"),
    sa.Column("labels", sa.JSON, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Table(
    "jobs", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, default="running"),
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("message", sa.String(2000), nullable=False, default=""),
    sa.Column("dataset_id", sa.Integer, nullable=True),
    sa.Column("settings", sa.JSON, nullable=True),
    sa.Column("owner", sa.String(200), nullable=False, default=""),
    sa.Column("heartbeat", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Table(
    "user_settings", metadata,
    sa.Column("annotator", sa.String(100), primary_key=True),
    sa.Column("settings", sa.JSON, nullable=False),
)
sa.Table(
    "items", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id", **_CASCADE), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("record", sa.JSON, nullable=False),
    sa.UniqueConstraint("dataset_id", "position"),
)
sa.Table(
    "adjudications", metadata,
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id", **_CASCADE), primary_key=True),
    sa.Column("curator", sa.String(100), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("entities", sa.JSON, nullable=False),
    sa.Column("taken_from", sa.String(100), nullable=False, default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Table(
    "comments", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id", **_CASCADE), nullable=False, index=True),
    sa.Column("annotator", sa.String(100), nullable=False),
    sa.Column("flag", sa.String(40), nullable=False, default=""),
    sa.Column("text", sa.String(4000), nullable=False, default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Table(
    "decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id", **_CASCADE), nullable=False, index=True),
    sa.Column("annotator", sa.String(100), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("entities", sa.JSON, nullable=False),
    sa.Column("undoes", sa.Integer, nullable=True),
    sa.Column("batch", sa.String(40), nullable=True, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Table(
    "drafts", metadata,
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id", **_CASCADE), primary_key=True),
    sa.Column("annotator", sa.String(100), primary_key=True),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("entities", sa.JSON, nullable=False),
    sa.Column("edits", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Table(
    "item_text", metadata,
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id", **_CASCADE), primary_key=True),
    sa.Column("dataset_id", sa.Integer, nullable=False, index=True),
    sa.Column("source", sa.String, nullable=False),
    sa.Column("target", sa.String, nullable=False),
    sa.Column("labels", sa.String(400), nullable=False),
    sa.Column("unprojected", sa.Integer, nullable=False),
)
sa.Table(
    "item_states", metadata,
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id", **_CASCADE), primary_key=True),
    sa.Column("annotator", sa.String(100), primary_key=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("entities", sa.JSON, nullable=False),
    sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=False),
)


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    present = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in present:
            table.create(bind)
            continue
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in columns:
                default = column.default.arg if column.default is not None else None
                op.add_column(table.name, sa.Column(column.name, column.type, nullable=True, server_default=default))
                _backfill(bind, table.name, column.name)
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(bind)


def _backfill(bind, table: str, column: str) -> None:
    if (table, column) == ("decisions", "undoes"):
        # older logs: an ``undo`` reverted the last decision in force on its item
        rows = bind.execute(sa.text("SELECT id, item_id, annotator, action FROM decisions ORDER BY id")).all()
        stacks: dict[tuple[int, str], list[int]] = {}
        for decision_id, item_id, annotator, action in rows:
            stack = stacks.setdefault((item_id, annotator), [])
            if action != "undo":
                stack.append(decision_id)
            elif stack:
                bind.execute(sa.text("UPDATE decisions SET undoes = :u WHERE id = :i"),
                             {"u": stack.pop(), "i": decision_id})
    if (table, column) == ("items", "score"):
        from xner.store.datasets import record_score

        items = metadata.tables["items"]
        for item_id, record in bind.execute(sa.select(items.c.id, items.c.record)).all():
            bind.execute(sa.update(items).where(items.c.id == item_id).values(score=record_score(record)))


def downgrade() -> None:
    # the baseline is where versioning starts: there is no earlier revision to go back to
    raise NotImplementedError("the baseline revision cannot be downgraded")
