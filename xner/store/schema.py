"""Tables (SQLAlchemy 2 declarative)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Dataset(Base):
    __tablename__ = "datasets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    src_lang: Mapped[str] = mapped_column(String(20), default="")
    tgt_lang: Mapped[str] = mapped_column(String(20), default="")
    # "importing" while its items are written in chunks (hidden from review), then "ready"
    status: Mapped[str] = mapped_column(String(20), default="ready")
    # every label in the data (source, target and projected entities): corrections use these
    labels: Mapped[list | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Item(Base):
    """One sentence pair with its projection, as a JSONL record (xner.io.jsonl)."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("dataset_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # the weakest chosen candidate's score (0 when a source entity found no span; None without
    # a projection or without source entities): the review order "lowest score first"
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    record: Mapped[dict] = mapped_column(JSON)


class Decision(Base):
    """Append-only: every accept, reject, skip, edit and undo, never updated or deleted."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    annotator: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    entities: Mapped[list] = mapped_column(JSON)
    # for an ``undo``: the decision it reverts (undo is a step back in the annotator's own log)
    undoes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # decisions written together (a bulk accept, a propagated correction): one undo step
    batch: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class ItemState(Base):
    """The current state of an item for one annotator (derived from the log, kept for speed)."""

    __tablename__ = "item_states"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    annotator: Mapped[str] = mapped_column(String(100), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    entities: Mapped[list] = mapped_column(JSON)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))


class Draft(Base):
    """Edits not saved yet, one per item and annotator, until saved or discarded on purpose.

    ``revision`` is the item's revision they were made on: when the item changed since
    (another tab), they are still offered, and said to be older.
    """

    __tablename__ = "drafts"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    annotator: Mapped[str] = mapped_column(String(100), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    entities: Mapped[list] = mapped_column(JSON)
    edits: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Comment(Base):
    """A note on an item, visible to every annotator; ``flag`` marks it (``unsure``, ...)."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    annotator: Mapped[str] = mapped_column(String(100))
    flag: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(String(4000), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class ItemText(Base):
    """What the queue filter searches, per item: words (lower case) and labels, kept apart
    from the JSON record so that a filter over many thousand items is one indexed query."""

    __tablename__ = "item_text"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    dataset_id: Mapped[int] = mapped_column(Integer, index=True)
    source: Mapped[str] = mapped_column(String)
    target: Mapped[str] = mapped_column(String)
    # projected labels as "|LOC|PER|", so that one label is a LIKE '%|LOC|%'
    labels: Mapped[str] = mapped_column(String(400))
    unprojected: Mapped[int] = mapped_column(Integer)


class Adjudication(Base):
    """A curator's final version of an item, chosen from the annotators' or edited; the
    export's "adjudicated" choice uses it."""

    __tablename__ = "adjudications"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    curator: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    entities: Mapped[list] = mapped_column(JSON)
    # whose version it took ("" when edited)
    taken_from: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class UserSettings(Base):
    """A reviewer's own settings (keys, the minimum time an item is on screen), as JSON."""

    __tablename__ = "user_settings"
    annotator: Mapped[str] = mapped_column(String(100), primary_key=True)
    settings: Mapped[dict] = mapped_column(JSON)


class Job(Base):
    """A background import: its progress lives here, so it survives a page reload.

    The dataset's items are written first (unprojected); ``done`` counts the items whose
    projection is stored, updated in the same transaction, so an interrupted job resumes
    exactly where it stopped. ``owner`` (host:pid) and ``heartbeat`` tell a live job
    from one whose process died.
    """

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="running")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(2000), default="")
    dataset_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    settings: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    owner: Mapped[str] = mapped_column(String(200), default="")
    heartbeat: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
