"""The store behind the review app.

Embedded default: a SQLite file (WAL journal, busy timeout, foreign keys) at
``$XNER_HOME/xner.db``; ``XNER_DB_URL`` switches to any SQLAlchemy URL (PostgreSQL).

- Every decision is appended to a log and the item's current state updated in the same
  transaction, so a reload, a crash or a second annotator never loses a decision.
- A decision names the revision of the item it was made on (:meth:`Store.view`); when
  the item changed since (another tab, a repeated key press), it is refused with
  :class:`~xner.errors.StaleDecisionError` and nothing is stored.
- Undo is a step back in the annotator's own log (:meth:`Store.undo_last`), as many
  steps as there are decisions, from any session.
- Reads never take the write lock; writes take it up front (SQLite ``BEGIN IMMEDIATE``)
  for one short transaction each; imports write in bounded chunks. A write that finds the
  store locked is retried, then refused with :class:`~xner.errors.StoreBusyError`.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, delete, event, func, inspect, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from xner.errors import ConfigError, StaleDecisionError, StoreBusyError
from xner.io.jsonl import pair_to_record, record_to_pair
from xner.store.schema import Adjudication, Base, Comment, Dataset, Decision, Draft, Item, ItemState, ItemText, Job
from xner.types import Entity, ProjectionResult, SentencePair

ACTIONS = ("accept", "reject", "skip", "edit")


def next_open(rows: Sequence[tuple[int, int, str | None]], after: int | None) -> int | None:
    """Of ``rows`` (item id, position, status) in review order, the first item not reviewed
    yet after position ``after`` (wrapping round); skipped ones after all fresh ones; None
    when there is none."""
    if after is not None:
        at = next((k for k, row in enumerate(rows) if row[1] == after), len(rows) - 1)
        rows = [*rows[at + 1:], *rows[: at + 1]]
    fresh = [i for i, _, status in rows if status is None]
    skipped = [i for i, _, status in rows if status == "skip"]
    return (fresh or skipped or [None])[0]


def delete_dataset_rows(session: Session, dataset_id: int) -> None:
    """Delete a dataset and every row about its items, in ``session``. The schema cascades,
    but SQLite enforces foreign keys only when asked, so each table is named here."""
    items = select(Item.id).where(Item.dataset_id == dataset_id)
    for table in (ItemState, Decision, Draft, Comment, ItemText, Adjudication):
        session.execute(delete(table).where(table.item_id.in_(items)))
    session.execute(delete(Item).where(Item.dataset_id == dataset_id))
    session.execute(delete(Dataset).where(Dataset.id == dataset_id))
# statuses that count as reviewed (a skip is not)
REVIEWED = ("accept", "reject", "edit")
# review orders: as imported, or the least sure projections first
ORDERS = ("position", "score")
# "no revision check": for callers that decide without having shown the item (scripts, the CLI)
ANY = -1
# items written per transaction when a dataset is created, so reviewers never wait long
CHUNK = 200
# a running job whose owner cannot be checked directly is considered dead after this long
# without a heartbeat (the worker beats after every chunk)
STALE_AFTER = timedelta(minutes=10)
# this process, as a job owner: host, pid and a token that a restarted process reusing
# the pid (pid 1 in a container) does not share
_OWNER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

T = TypeVar("T")
# tag sets a dataset's labels are completed from: a dataset whose data holds only PER and
# LOC still lets a reviewer add an ORG; a typo like PRE is refused
TAG_SETS = (
    ("LOC", "MISC", "ORG", "PER"),
    ("CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP", "ORDINAL", "ORG",
     "PERCENT", "PERSON", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART"),
)


def default_url() -> str:
    url = os.environ.get("XNER_DB_URL")
    if url:
        return url
    home = Path(os.environ.get("XNER_HOME", Path.home() / ".cache" / "xner"))
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'xner.db'}"


def _sqlite_setup(engine, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(connection, _record):
        connection.isolation_level = None  # let us issue BEGIN ourselves
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # writers take the lock up front, so two writers queue instead of deadlocking on
        # a lock upgrade; readers take none (WAL: they read a snapshot)
        write = connection.get_execution_options().get("xner_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _transient(error: OperationalError) -> bool:
    message = str(error.orig).lower()
    return any(word in message for word in ("locked", "busy", "could not serialize", "deadlock"))


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


@dataclass(frozen=True)
class ItemView:
    """An item as a reviewer sees it: the pair, its projection and the annotator's state.

    ``revision`` identifies that state; pass it back with the decision made on this view.
    """

    item_id: int
    dataset_id: int
    position: int
    pair: SentencePair
    projection: ProjectionResult | None
    status: str | None
    entities: tuple[Entity, ...] | None
    revision: int

    @property
    def number(self) -> int:
        """1-based position, as shown to the reviewer."""
        return self.position + 1


@dataclass(frozen=True)
class LoggedDecision:
    decision_id: int
    item_id: int
    position: int
    action: str
    created_at: datetime
    # decisions written together are undone together (see :mod:`xner.store.bulk`)
    batch: str | None = None


def _entity_list(entities: Iterable[Entity]) -> list[list]:
    return [[e.start, e.end, e.label] for e in sorted(entities)]


def _entities(values: Iterable) -> tuple[Entity, ...]:
    return tuple(Entity(int(s), int(e), str(label)) for s, e, label in values)


def _record_labels(record: dict) -> set[str]:
    labels = {str(e[2]) for key in ("source_entities", "target_entities") for e in record.get(key) or ()}
    projection = record.get("projection") or {}
    return labels | {str(e[2]) for e in projection.get("entities", ())}


def record_score(record: dict) -> float | None:
    """How sure the projection of a record is: its weakest chosen candidate's score
    (:func:`~xner.projection.confidence.weakest_choice`, as the scaling study's filter).

    0 when a source entity found no span; None without a projection or source entities.
    """
    from xner.projection.confidence import weakest_choice

    pair, projection = record_to_pair(record)
    if projection is None or not pair.source_entities:
        return None
    return weakest_choice(projection, len(pair.source_entities))


def _owner_alive(owner: str, heartbeat: datetime | None, now: datetime) -> bool:
    host, _, rest = owner.partition(":")
    pid, _, token = rest.partition(":")
    if heartbeat is not None and heartbeat.tzinfo is None:  # SQLite hands back naive UTC times
        heartbeat = heartbeat.replace(tzinfo=timezone.utc)
    recent = heartbeat is not None and now - heartbeat < STALE_AFTER
    if host != socket.gethostname() or not pid.isdigit():
        return recent
    if owner == _OWNER or owner.startswith(_OWNER + ":"):  # this process (a lease adds its claim)
        return recent
    if int(pid) == os.getpid():
        return False  # a previous process with our pid: restarted
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return recent


class Store:
    def __init__(self, url: str | None = None, *, busy_ms: int = 2000, retries: int = 5) -> None:
        self.url = url or default_url()
        self.retries = retries
        try:
            self.engine = create_engine(self.url)
        except Exception as error:  # noqa: BLE001 - a malformed URL or a missing driver
            raise ConfigError(f"XNER_DB_URL / store URL {self.url!r} is not usable: {error}") from None
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine, busy_ms)
        self._write_engine = self.engine.execution_options(xner_write=True)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self._write_engine, expire_on_commit=False)
        self._labels: dict[int, tuple[str, ...]] = {}
        self._with_retry(self._create_tables)

    # -- plumbing ---------------------------------------------------------------

    def _create_tables(self) -> None:
        with self._write_engine.begin() as connection:
            if self.dialect == "postgresql":
                # several first starts at once: one creates, the others wait and find the tables
                connection.execute(text("SELECT pg_advisory_xact_lock(7318)"))
            Base.metadata.create_all(connection)
            _migrate(connection)

    def _with_retry(self, work: Callable[[], T]) -> T:
        delay = 0.02
        for attempt in range(self.retries):
            try:
                return work()
            except OperationalError as error:
                if not _transient(error):
                    raise
                if attempt == self.retries - 1:
                    raise StoreBusyError(
                        "the review store is busy (another process holds its write lock); nothing was "
                        "stored — try again in a moment") from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one write transaction, retried while the store is locked."""

        def attempt() -> T:
            with self._writes.begin() as session:
                return work(session)

        return self._with_retry(attempt)

    # -- datasets ---------------------------------------------------------------

    def check_dataset_name(self, name: str) -> str:
        """The name, stripped, if a new dataset may take it; else a :class:`ConfigError`."""
        name = name.strip()
        if not name:
            raise ConfigError("a dataset needs a name")
        if len(name) > 200:
            raise ConfigError("a dataset name has at most 200 characters")
        with self.sessions() as session:
            # names that differ only in case would be told apart by nobody in a list
            taken = session.scalar(select(Dataset.name).where(func.lower(Dataset.name) == name.lower()))
        if taken is not None:
            raise ConfigError(f"a dataset named {taken!r} exists already; choose another name")
        return name

    def reserve_dataset(self, name: str, src_lang: str = "", tgt_lang: str = "") -> int:
        """Create an empty dataset in state ``importing`` (hidden from review), with its import
        job (:mod:`xner.store.imports`), and return its id.

        A name in use is refused here, before anything is projected or written.
        """
        from xner.store.imports import reserve_import

        return reserve_import(self, name, src_lang, tgt_lang)[0]

    def add_items(self, dataset_id: int, items: Iterable[tuple[SentencePair, ProjectionResult | None]],
                  chunk: int = CHUNK) -> int:
        """Append items, ``chunk`` per transaction; returns how many were added."""
        position = self._count(dataset_id)
        batch: list[dict] = []

        def flush() -> None:
            nonlocal position
            start, records = position, list(batch)

            def work(session: Session) -> None:
                dataset = session.get(Dataset, dataset_id)
                session.add_all(Item(dataset_id=dataset_id, position=start + k, record=record,
                                     score=record_score(record)) for k, record in enumerate(records))
                labels = set(dataset.labels or ()).union(*map(_record_labels, records))
                dataset.labels = sorted(labels)

            self._write(work)
            position += len(records)
            batch.clear()

        added = 0
        for pair, projection in items:
            batch.append(pair_to_record(pair, projection))
            added += 1
            if len(batch) >= chunk:
                flush()
        if batch:
            flush()
        return added

    def finish_dataset(self, dataset_id: int) -> None:
        """Make an imported dataset visible to reviewers, once its import is checked complete."""
        from xner.store.imports import finish_import, job_of_dataset

        job = job_of_dataset(self, dataset_id)
        with self.sessions() as session:
            owner = session.scalar(select(Job.owner).where(Job.id == job))
        finish_import(self, job, owner)

    def delete_dataset(self, dataset_id: int) -> None:
        self._write(lambda session: delete_dataset_rows(session, dataset_id))
        self._labels.pop(dataset_id, None)

    def create_dataset(self, name: str, items: Iterable[tuple[SentencePair, ProjectionResult | None]],
                       src_lang: str = "", tgt_lang: str = "", chunk: int = CHUNK) -> int:
        """A new dataset holding ``items``, written in chunks; visible once complete. Killed
        half-way, it is left as an interrupted import (:mod:`xner.store.imports`)."""
        from xner.store.imports import drop_import, finish_import, reserve_import

        total = len(items) if isinstance(items, Sized) else None
        dataset, job, lease = reserve_import(self, name, src_lang, tgt_lang, total=total)
        try:
            added = self.add_items(dataset, items, chunk)
            if total is None:
                self._write(lambda session: session.execute(update(Job).where(Job.id == job).values(total=added)))
            finish_import(self, job, lease)
        except BaseException:
            drop_import(self, job)
            raise
        return dataset

    def datasets(self, include_importing: bool = False) -> list[tuple[int, str, int]]:
        with self.sessions() as session:
            query = (select(Dataset.id, Dataset.name, func.count(Item.id)).join(Item, isouter=True)
                     .group_by(Dataset.id).order_by(Dataset.id))
            if not include_importing:
                query = query.where(Dataset.status == "ready")
            return [tuple(r) for r in session.execute(query).all()]

    def dataset_id(self, name: str) -> int | None:
        with self.sessions() as session:
            return session.scalar(select(Dataset.id).where(Dataset.name == name, Dataset.status == "ready"))

    def labels(self, dataset_id: int) -> tuple[str, ...]:
        """The labels a correction may use: every label in the dataset's data, plus the rest
        of the first standard tag set (CoNLL, then OntoNotes) that holds all of them."""
        if dataset_id not in self._labels:
            with self.sessions() as session:
                dataset = session.get(Dataset, dataset_id)
                if dataset is None:
                    raise ConfigError(f"dataset {dataset_id} does not exist")
                labels = dataset.labels
                if labels is None:  # created before labels were kept: collect them once
                    records = session.scalars(select(Item.record).where(Item.dataset_id == dataset_id))
                    labels = sorted(set().union(*map(_record_labels, records)))
            found = set(labels)
            labels = tuple(sorted(found.union(next((t for t in TAG_SETS if found <= set(t)), ()))))
            if dataset.status != "ready":
                return labels
            self._labels[dataset_id] = labels
        return self._labels[dataset_id]

    def _count(self, dataset_id: int) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count(Item.id)).where(Item.dataset_id == dataset_id))

    def item_ids(self, dataset_id: int) -> list[int]:
        with self.sessions() as session:
            return list(session.scalars(select(Item.id).where(Item.dataset_id == dataset_id).order_by(Item.position)))

    def item(self, item_id: int) -> tuple[SentencePair, ProjectionResult | None]:
        with self.sessions() as session:
            item = session.get(Item, item_id)
            if item is None:
                raise ConfigError(f"item {item_id} does not exist")
            return record_to_pair(item.record)

    def item_at(self, dataset_id: int, position: int) -> int | None:
        with self.sessions() as session:
            return session.scalar(select(Item.id).where(Item.dataset_id == dataset_id, Item.position == position))

    def view(self, item_id: int, annotator: str) -> ItemView:
        """The item with the annotator's current state and its revision."""
        with self.sessions() as session:
            item = session.get(Item, item_id)
            if item is None:
                raise ConfigError(f"item {item_id} does not exist")
            state = session.get(ItemState, (item_id, annotator))
            pair, projection = record_to_pair(item.record)
            return ItemView(item_id, item.dataset_id, item.position, pair, projection,
                            None if state is None else state.status,
                            None if state is None else _entities(state.entities),
                            0 if state is None else state.decision_id)

    # -- decisions --------------------------------------------------------------

    def record(self, item_id: int, annotator: str, action: str, entities: Iterable[Entity] = (), *,
               revision: int = ANY) -> int:
        """Append a decision and update the current state, in one transaction.

        ``revision`` is :attr:`ItemView.revision` of the view the decision was made on; if
        the annotator's state of the item changed since, nothing is stored and
        :class:`StaleDecisionError` says so. ``ANY`` skips the check.
        """
        if action not in ACTIONS:
            raise ConfigError(f"unknown review action {action!r}; choose one of: {', '.join(ACTIONS)}")
        if not annotator.strip():
            raise ConfigError("enter an annotator name before reviewing")
        values = _entity_list(entities)

        def work(session: Session) -> int:
            dataset_id = session.scalar(select(Item.dataset_id).where(Item.id == item_id))
            if dataset_id is None:
                raise ConfigError(f"item {item_id} does not exist")
            self._check_labels(dataset_id, values)
            decision = Decision(item_id=item_id, annotator=annotator, action=action, entities=values)
            session.add(decision)
            session.flush()
            if not self._move_state(session, item_id, annotator, action, values, decision.id, revision):
                raise StaleDecisionError(self._stale_message(session, item_id, annotator))
            # unsaved edits (xner.store.drafts) are settled when this decision saved exactly them; any
            # other decision (another tab's, a reject) leaves them to be saved or discarded on purpose
            draft = session.get(Draft, (item_id, annotator))
            if draft is not None and action in ("accept", "edit") and draft.entities == values:
                session.delete(draft)
            return decision.id

        return self._write(work)

    def _check_labels(self, dataset_id: int, values: list[list]) -> None:
        known = self.labels(dataset_id)
        unknown = sorted({label for _, _, label in values} - set(known))
        if unknown:
            raise ConfigError(f"label {', '.join(unknown)} is not used in this dataset; use one of: "
                              f"{', '.join(known)}")

    def _move_state(self, session: Session, item_id: int, annotator: str, status: str, entities: list,
                    decision_id: int, revision: int) -> bool:
        """Set the state if it is still at ``revision``; False when it moved on meanwhile."""
        values = {"status": status, "entities": entities, "decision_id": decision_id}
        connection = session.connection()
        # RETURNING tells whether a row was written (rowcount is not reliable for an upsert)
        if revision == 0:  # the view showed no decision: only a first decision may land
            insert = self._insert(ItemState).values(item_id=item_id, annotator=annotator, **values)
            written = insert.on_conflict_do_nothing().returning(ItemState.item_id)
            return connection.execute(written).first() is not None
        if revision == ANY:
            insert = self._insert(ItemState).values(item_id=item_id, annotator=annotator, **values)
            connection.execute(insert.on_conflict_do_update(index_elements=["item_id", "annotator"], set_=values))
            return True
        moved = update(ItemState).where(ItemState.item_id == item_id, ItemState.annotator == annotator,
                                        ItemState.decision_id == revision).values(**values)
        return connection.execute(moved.returning(ItemState.item_id)).first() is not None

    def _insert(self, table):
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif self.dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:  # pragma: no cover - the store supports SQLite and PostgreSQL
            raise ConfigError(f"the review store needs SQLite or PostgreSQL, not {self.dialect}")
        return insert(table)

    @staticmethod
    def _stale_message(session: Session, item_id: int, annotator: str) -> str:
        position = session.scalar(select(Item.position).where(Item.id == item_id))
        state = session.get(ItemState, (item_id, annotator))
        words = {"accept": "accepted", "reject": "rejected", "skip": "skipped", "edit": "corrected"}
        now = f"it is now {words.get(state.status, state.status)}" if state is not None else "its decision was undone"
        return (f"item {position + 1} changed since it was shown ({now}, from another tab or window of "
                f"{annotator!r}); this decision was not stored — the screen shows the item as it is now")

    def _effective(self, session: Session, annotator: str, *, dataset_id: int | None = None,
                   item_id: int | None = None):
        """The annotator's decisions that no undo reverted, newest first."""
        undone = select(Decision.undoes).where(Decision.annotator == annotator, Decision.undoes.is_not(None))
        query = (select(Decision).where(Decision.annotator == annotator, Decision.action != "undo",
                                        Decision.id.not_in(undone)).order_by(Decision.id.desc()))
        if item_id is not None:
            query = query.where(Decision.item_id == item_id)
        if dataset_id is not None:
            query = query.join(Item, Item.id == Decision.item_id).where(Item.dataset_id == dataset_id)
        return query

    def _undo(self, session: Session, last: Decision, annotator: str) -> None:
        undo = Decision(item_id=last.item_id, annotator=annotator, action="undo", entities=[], undoes=last.id)
        session.add(undo)
        session.flush()
        before = session.scalars(self._effective(session, annotator, item_id=last.item_id).limit(1)).first()
        state = session.get(ItemState, (last.item_id, annotator))
        if before is not None:
            self._move_state(session, last.item_id, annotator, before.action, before.entities, undo.id, ANY)
        elif state is not None:
            session.delete(state)

    def undo_last(self, dataset_id: int, annotator: str, *, expected: int | None = None) -> int | None:
        """Revert the annotator's last decision in the dataset that is not yet undone.

        Repeated calls step further back. Returns the item it was on (to show it), or None
        when there is nothing to undo. ``expected``: the decision id the reviewer was
        offered to undo; if another session decided or undid meanwhile, nothing changes
        and :class:`StaleDecisionError` says so.
        """

        def work(session: Session) -> int | None:
            last = session.scalars(self._effective(session, annotator, dataset_id=dataset_id).limit(1)).first()
            if last is None:
                if expected is not None:
                    raise StaleDecisionError("that decision was undone already (in another tab or window)")
                return None
            if expected is not None and last.id != expected:
                raise StaleDecisionError("your last decision changed meanwhile (another tab or window); "
                                         "nothing was undone — look at the list and try again")
            if last.batch is None:
                self._undo(session, last, annotator)
                return last.item_id
            # a batch (bulk accept, propagated correction) is one step back, written at once
            batch = list(session.scalars(self._effective(session, annotator, dataset_id=dataset_id)
                                         .where(Decision.batch == last.batch)))
            undos = {d.id: Decision(item_id=d.item_id, annotator=annotator, action="undo", entities=[], undoes=d.id)
                     for d in batch}
            session.add_all(undos.values())
            session.flush()
            items = {d.item_id for d in batch}
            before: dict[int, Decision] = {}
            for decision in session.scalars(self._effective(session, annotator).where(Decision.item_id.in_(items))):
                before.setdefault(decision.item_id, decision)  # newest first: the one in force now
            for decision in batch:
                prior = before.get(decision.item_id)
                if prior is not None:
                    self._move_state(session, decision.item_id, annotator, prior.action, prior.entities,
                                     undos[decision.id].id, ANY)
            session.execute(delete(ItemState).where(ItemState.annotator == annotator,
                                                    ItemState.item_id.in_(items - set(before))))
            return last.item_id

        return self._write(work)

    def undo(self, item_id: int, annotator: str) -> bool:
        """Revert the annotator's last not yet undone decision on one item."""

        def work(session: Session) -> bool:
            last = session.scalars(self._effective(session, annotator, item_id=item_id).limit(1)).first()
            if last is None:
                return False
            self._undo(session, last, annotator)
            return True

        return self._write(work)

    def last_decision(self, dataset_id: int, annotator: str) -> LoggedDecision | None:
        """What :meth:`undo_last` would revert now."""
        history = self.history(dataset_id, annotator, limit=1)
        return history[0] if history else None

    def history(self, dataset_id: int, annotator: str, limit: int = 20) -> list[LoggedDecision]:
        """The annotator's decisions in force, newest first."""
        with self.sessions() as session:
            query = self._effective(session, annotator, dataset_id=dataset_id).limit(limit)
            decisions = list(session.scalars(query))
            positions = dict(session.execute(select(Item.id, Item.position).where(
                Item.id.in_([d.item_id for d in decisions]))).all())
            return [LoggedDecision(d.id, d.item_id, positions[d.item_id], d.action, d.created_at, d.batch)
                    for d in decisions]

    def state(self, item_id: int, annotator: str) -> tuple[str, tuple[Entity, ...]] | None:
        with self.sessions() as session:
            state = session.get(ItemState, (item_id, annotator))
            return None if state is None else (state.status, _entities(state.entities))

    def decisions(self, item_id: int) -> list[tuple[str, str, tuple[Entity, ...]]]:
        with self.sessions() as session:
            rows = session.scalars(select(Decision).where(Decision.item_id == item_id).order_by(Decision.id))
            return [(d.annotator, d.action, _entities(d.entities)) for d in rows]

    def annotators(self, dataset_id: int | None = None) -> list[str]:
        """Names that have decided something (in the dataset, or anywhere)."""
        with self.sessions() as session:
            query = select(Decision.annotator).distinct().order_by(Decision.annotator)
            if dataset_id is not None:
                query = query.join(Item, Item.id == Decision.item_id).where(Item.dataset_id == dataset_id)
            return list(session.scalars(query))

    def statuses(self, dataset_id: int, annotator: str, order: str = "position") -> list[tuple[int, int, str | None]]:
        """``(item_id, position, status or None)`` for every item, in review order: by
        ``position`` (as imported) or by ``score``, lowest first (items without one last)."""
        if order not in ORDERS:
            raise ConfigError(f"unknown review order {order!r}; choose one of: {', '.join(ORDERS)}")
        with self.sessions() as session:
            keys = (Item.position,) if order == "position" else (Item.score.is_(None), Item.score, Item.position)
            rows = session.execute(
                select(Item.id, Item.position, ItemState.status)
                .join(ItemState, (ItemState.item_id == Item.id) & (ItemState.annotator == annotator), isouter=True)
                .where(Item.dataset_id == dataset_id).order_by(*keys)).all()
            return [tuple(r) for r in rows]

    def progress(self, dataset_id: int, annotator: str) -> Progress:
        with self.sessions() as session:
            total = session.scalar(select(func.count(Item.id)).where(Item.dataset_id == dataset_id))
            counts = dict(session.execute(
                select(ItemState.status, func.count()).join(Item, Item.id == ItemState.item_id)
                .where(Item.dataset_id == dataset_id, ItemState.annotator == annotator)
                .group_by(ItemState.status)).all())
        return Progress(total, counts.get("accept", 0), counts.get("reject", 0), counts.get("edit", 0),
                        counts.get("skip", 0))

    def next_item(self, dataset_id: int, annotator: str, after: int | None = None,
                  order: str = "position") -> int | None:
        """The first item the annotator has not reviewed after the item at position ``after``
        in the review ``order`` (wrapping round); skipped ones come after all fresh ones.
        None when everything is reviewed."""
        return next_open(self.statuses(dataset_id, annotator, order), after)

    def export(self, dataset_id: int, annotator: str, accepted_only: bool = True) -> list[tuple[SentencePair, tuple[Entity, ...]]]:
        """Target sentences with the reviewed entities: accepted/edited only, or also the items
        not reviewed yet (or skipped) with their projection. A rejected item is never exported:
        its sentence with no entities would teach a model that it holds none."""
        with self.sessions() as session:
            rows = session.execute(
                select(Item.record, ItemState.status, ItemState.entities)
                .join(ItemState, (ItemState.item_id == Item.id) & (ItemState.annotator == annotator), isouter=True)
                .where(Item.dataset_id == dataset_id).order_by(Item.position)).all()
        result = []
        for record, status, entities in rows:
            pair, projection = record_to_pair(record)
            if status in ("accept", "edit"):
                result.append((pair, _entities(entities)))
            elif not accepted_only and status != "reject":
                result.append((pair, projection.entities if projection is not None else ()))
        return result

    def agreement(self, dataset_id: int) -> tuple[int, float]:
        """Items reviewed by two or more annotators, and the share on which they agree exactly:
        the same decision (keep or reject) and, when kept, the same entities."""
        with self.sessions() as session:
            rows = session.execute(
                select(ItemState.item_id, ItemState.status, ItemState.entities)
                .join(Item, Item.id == ItemState.item_id)
                .where(Item.dataset_id == dataset_id, ItemState.status.in_(REVIEWED))).all()
        by_item: dict[int, list] = {}
        for item_id, status, entities in rows:
            verdict = ("reject",) if status == "reject" else ("keep", sorted(map(tuple, entities)))
            by_item.setdefault(item_id, []).append(verdict)
        shared = [v for v in by_item.values() if len(v) > 1]
        if not shared:
            return 0, 0.0
        return len(shared), sum(all(e == v[0] for e in v) for v in shared) / len(shared)

    # -- import jobs (leases, resume and discard: xner.store.imports) ---------------

    def pending_items(self, dataset_id: int, start: int, count: int) -> list[tuple[int, SentencePair]]:
        """Items ``start … start+count`` of a dataset being imported, to be projected."""
        with self.sessions() as session:
            rows = session.execute(select(Item.id, Item.record).where(
                Item.dataset_id == dataset_id, Item.position >= start, Item.position < start + count)
                .order_by(Item.position)).all()
        return [(item_id, record_to_pair(record)[0]) for item_id, record in rows]

    def jobs(self) -> list[dict]:
        """Background imports, newest first; a running one whose process died is ``interrupted``."""
        now = datetime.now(timezone.utc)
        with self.sessions() as session:
            jobs = list(session.scalars(select(Job).order_by(Job.id.desc())))
        result = []
        for j in jobs:
            status = j.status
            if status == "running" and not _owner_alive(j.owner or "", j.heartbeat, now):
                status = "interrupted"
            result.append({"id": j.id, "name": j.name, "status": status, "done": j.done, "total": j.total,
                           "message": j.message, "dataset_id": j.dataset_id, "created_at": j.created_at,
                           "settings": j.settings or {}})
        return result

    def job(self, job_id: int) -> dict:
        found = [j for j in self.jobs() if j["id"] == job_id]
        if not found:
            raise ConfigError(f"import job {job_id} does not exist")
        return found[0]


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
    for item_id, record in connection.execute(select(Item.id, Item.record)).all():
        connection.execute(update(Item).where(Item.id == item_id).values(score=record_score(record)))
