"""The store behind the review app.

Embedded default: a SQLite file (WAL journal, busy timeout, foreign keys, writes that
take the lock up front so two writers queue instead of failing) at
``$XNER_HOME/xner.db``; ``XNER_DB_URL`` switches to any SQLAlchemy URL (PostgreSQL).
Every decision is appended to a log and the item's current state updated in the same
transaction, so a reload, a crash or a second annotator never loses a decision.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from xner.errors import ConfigError
from xner.io.jsonl import pair_to_record, record_to_pair
from xner.store.schema import Base, Dataset, Decision, Item, ItemState, Job
from xner.types import Entity, ProjectionResult, SentencePair

ACTIONS = ("accept", "reject", "skip", "edit")
# statuses that count as reviewed (a skip is not)
REVIEWED = ("accept", "reject", "edit")


def default_url() -> str:
    url = os.environ.get("XNER_DB_URL")
    if url:
        return url
    home = Path(os.environ.get("XNER_HOME", Path.home() / ".cache" / "xner"))
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'xner.db'}"


def _sqlite_setup(engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(connection, _record):
        connection.isolation_level = None  # let us issue BEGIN ourselves
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock up front


@dataclass(frozen=True)
class Progress:
    total: int
    accepted: int
    rejected: int
    edited: int
    skipped: int

    @property
    def reviewed(self) -> int:
        return self.accepted + self.rejected + self.edited


def _entity_list(entities: Iterable[Entity]) -> list[list]:
    return [[e.start, e.end, e.label] for e in sorted(entities)]


def _entities(values: Iterable) -> tuple[Entity, ...]:
    return tuple(Entity(int(s), int(e), str(label)) for s, e, label in values)


class Store:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            self.engine = create_engine(self.url)
        except Exception as error:  # noqa: BLE001 - a malformed URL or a missing driver
            raise ConfigError(f"XNER_DB_URL / store URL {self.url!r} is not usable: {error}") from None
        if self.engine.dialect.name == "sqlite":
            _sqlite_setup(self.engine)
        Base.metadata.create_all(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    # -- datasets ---------------------------------------------------------------

    def create_dataset(self, name: str, items: Sequence[tuple[SentencePair, ProjectionResult | None]],
                       src_lang: str = "", tgt_lang: str = "") -> int:
        if not name.strip():
            raise ConfigError("a dataset needs a name")
        with self.sessions.begin() as session:
            if session.scalar(select(Dataset.id).where(Dataset.name == name)) is not None:
                raise ConfigError(f"a dataset named {name!r} exists already; choose another name")
            dataset = Dataset(name=name, src_lang=src_lang, tgt_lang=tgt_lang)
            session.add(dataset)
            session.flush()
            session.add_all(Item(dataset_id=dataset.id, position=k, record=pair_to_record(pair, projection))
                            for k, (pair, projection) in enumerate(items))
            return dataset.id

    def datasets(self) -> list[tuple[int, str, int]]:
        with self.sessions() as session:
            rows = session.execute(
                select(Dataset.id, Dataset.name, func.count(Item.id)).join(Item, isouter=True).group_by(Dataset.id)
                .order_by(Dataset.id)).all()
            return [tuple(r) for r in rows]

    def item_ids(self, dataset_id: int) -> list[int]:
        with self.sessions() as session:
            return list(session.scalars(select(Item.id).where(Item.dataset_id == dataset_id).order_by(Item.position)))

    def item(self, item_id: int) -> tuple[SentencePair, ProjectionResult | None]:
        with self.sessions() as session:
            return record_to_pair(session.get(Item, item_id).record)

    # -- decisions --------------------------------------------------------------

    def record(self, item_id: int, annotator: str, action: str, entities: Iterable[Entity] = ()) -> int:
        """Append a decision and update the current state, in one transaction."""
        if action not in ACTIONS:
            raise ConfigError(f"unknown review action {action!r}; choose one of: {', '.join(ACTIONS)}")
        if not annotator.strip():
            raise ConfigError("enter an annotator name before reviewing")
        values = _entity_list(entities)
        with self.sessions.begin() as session:
            decision = Decision(item_id=item_id, annotator=annotator, action=action, entities=values)
            session.add(decision)
            session.flush()
            self._set_state(session, item_id, annotator, action, values, decision.id)
            return decision.id

    def undo(self, item_id: int, annotator: str) -> bool:
        """Revert the annotator's last decision on the item (logged as an ``undo``)."""
        with self.sessions.begin() as session:
            history = list(session.scalars(
                select(Decision).where(Decision.item_id == item_id, Decision.annotator == annotator)
                .order_by(Decision.id)))
            # replay the log: an undo cancels the decision before it
            effective: list[Decision] = []
            for d in history:
                if d.action == "undo":
                    if effective:
                        effective.pop()
                else:
                    effective.append(d)
            if not effective:
                return False
            effective.pop()
            undo = Decision(item_id=item_id, annotator=annotator, action="undo", entities=[])
            session.add(undo)
            session.flush()
            state = session.get(ItemState, (item_id, annotator))
            if effective:
                last = effective[-1]
                self._set_state(session, item_id, annotator, last.action, last.entities, undo.id)
            elif state is not None:
                session.delete(state)
            return True

    @staticmethod
    def _set_state(session: Session, item_id: int, annotator: str, status: str, entities: list, decision_id: int):
        state = session.get(ItemState, (item_id, annotator))
        if state is None:
            session.add(ItemState(item_id=item_id, annotator=annotator, status=status, entities=entities,
                                  decision_id=decision_id))
        else:
            state.status, state.entities, state.decision_id = status, entities, decision_id

    def state(self, item_id: int, annotator: str) -> tuple[str, tuple[Entity, ...]] | None:
        with self.sessions() as session:
            state = session.get(ItemState, (item_id, annotator))
            return None if state is None else (state.status, _entities(state.entities))

    def decisions(self, item_id: int) -> list[tuple[str, str, tuple[Entity, ...]]]:
        with self.sessions() as session:
            rows = session.scalars(select(Decision).where(Decision.item_id == item_id).order_by(Decision.id))
            return [(d.annotator, d.action, _entities(d.entities)) for d in rows]

    def progress(self, dataset_id: int, annotator: str) -> Progress:
        with self.sessions() as session:
            total = session.scalar(select(func.count(Item.id)).where(Item.dataset_id == dataset_id))
            counts = dict(session.execute(
                select(ItemState.status, func.count()).join(Item, Item.id == ItemState.item_id)
                .where(Item.dataset_id == dataset_id, ItemState.annotator == annotator)
                .group_by(ItemState.status)).all())
        return Progress(total, counts.get("accept", 0), counts.get("reject", 0), counts.get("edit", 0),
                        counts.get("skip", 0))

    def next_item(self, dataset_id: int, annotator: str) -> int | None:
        """The first item the annotator has not reviewed (skipped ones come after the rest)."""
        with self.sessions() as session:
            states = dict(session.execute(
                select(ItemState.item_id, ItemState.status).join(Item, Item.id == ItemState.item_id)
                .where(Item.dataset_id == dataset_id, ItemState.annotator == annotator)).all())
        ids = self.item_ids(dataset_id)
        fresh = [i for i in ids if i not in states]
        skipped = [i for i in ids if states.get(i) == "skip"]
        return (fresh or skipped or [None])[0]

    def export(self, dataset_id: int, annotator: str, accepted_only: bool = True) -> list[tuple[SentencePair, tuple[Entity, ...]]]:
        """Target sentences with the reviewed entities: accepted/edited only, or everything with
        corrections applied (unreviewed items keep their projection, rejected ones none)."""
        result = []
        for item_id in self.item_ids(dataset_id):
            pair, projection = self.item(item_id)
            state = self.state(item_id, annotator)
            if state is not None and state[0] in ("accept", "edit"):
                result.append((pair, state[1]))
            elif not accepted_only:
                rejected = state is not None and state[0] == "reject"
                result.append((pair, () if rejected or projection is None else projection.entities))
        return result

    def agreement(self, dataset_id: int) -> tuple[int, float]:
        """Items reviewed by two or more annotators, and the share on which they agree exactly."""
        with self.sessions() as session:
            rows = session.execute(
                select(ItemState.item_id, ItemState.entities).join(Item, Item.id == ItemState.item_id)
                .where(Item.dataset_id == dataset_id, ItemState.status.in_(REVIEWED))).all()
        by_item: dict[int, list] = {}
        for item_id, entities in rows:
            by_item.setdefault(item_id, []).append(sorted(map(tuple, entities)))
        shared = [v for v in by_item.values() if len(v) > 1]
        if not shared:
            return 0, 0.0
        return len(shared), sum(all(e == v[0] for e in v) for v in shared) / len(shared)

    # -- background jobs ----------------------------------------------------------

    def create_job(self, name: str, total: int) -> int:
        with self.sessions.begin() as session:
            job = Job(name=name, total=total)
            session.add(job)
            session.flush()
            return job.id

    def update_job(self, job_id: int, *, done: int | None = None, status: str | None = None,
                   message: str | None = None, dataset_id: int | None = None) -> None:
        with self.sessions.begin() as session:
            job = session.get(Job, job_id)
            for field, value in (("done", done), ("status", status), ("message", message), ("dataset_id", dataset_id)):
                if value is not None:
                    setattr(job, field, value)

    def jobs(self) -> list[dict]:
        with self.sessions() as session:
            return [{"id": j.id, "name": j.name, "status": j.status, "done": j.done, "total": j.total,
                     "message": j.message, "dataset_id": j.dataset_id, "created_at": j.created_at}
                    for j in session.scalars(select(Job).order_by(Job.id.desc()))]
