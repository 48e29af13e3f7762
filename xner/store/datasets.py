"""Datasets and their items: names, writing items in chunks, labels, reading an item back.

A dataset is created as an import job (:mod:`xner.store.imports`): hidden from review
until every item is written, so a crash never leaves half a dataset to review.
"""

from __future__ import annotations

from collections.abc import Iterable, Sized
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from xner.errors import ConfigError
from xner.io.jsonl import pair_to_record, record_to_pair
from xner.store.schema import Adjudication, Comment, Dataset, Decision, Draft, Item, ItemState, ItemText, Job
from xner.store.values import ItemView, row_entities
from xner.types import ProjectionResult, SentencePair

if TYPE_CHECKING:
    from xner.store.store import Store

# items written per transaction when a dataset is created, so reviewers never wait long
CHUNK = 200
# tag sets a dataset's labels are completed from: a dataset whose data holds only PER and
# LOC still lets a reviewer add an ORG; a typo like PRE is refused
TAG_SETS = (
    ("LOC", "MISC", "ORG", "PER"),
    ("CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP", "ORDINAL", "ORG",
     "PERCENT", "PERSON", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART"),
)


def record_labels(record: dict) -> set[str]:
    """Every label in a JSONL record: source, target and projected entities."""
    labels = {str(e[2]) for key in ("source_entities", "target_entities") for e in record.get(key) or ()}
    projection = record.get("projection") or {}
    return labels | {str(e[2]) for e in projection.get("entities", ())}


def record_score(record: dict) -> float | None:
    """How sure the projection of a record is: its weakest chosen candidate's score (the
    review order "lowest score first"; :func:`~xner.projection.confidence.weakest_choice`,
    as the scaling study's filter).

    0 when a source entity found no span; None without a projection or source entities.
    """
    from xner.projection.confidence import weakest_choice

    pair, projection = record_to_pair(record)
    if projection is None or not pair.source_entities:
        return None
    return weakest_choice(projection, len(pair.source_entities))


def delete_dataset_rows(session: Session, dataset_id: int) -> None:
    """Delete a dataset and every row about its items, in ``session``. The schema cascades,
    but SQLite enforces foreign keys only when asked, so each table is named here."""
    items = select(Item.id).where(Item.dataset_id == dataset_id)
    for table in (ItemState, Decision, Draft, Comment, ItemText, Adjudication):
        session.execute(delete(table).where(table.item_id.in_(items)))
    session.execute(delete(Item).where(Item.dataset_id == dataset_id))
    session.execute(delete(Dataset).where(Dataset.id == dataset_id))


def check_dataset_name(store: Store, name: str) -> str:
    """The name, stripped, if a new dataset may take it; else a :class:`ConfigError`."""
    name = name.strip()
    if not name:
        raise ConfigError("a dataset needs a name")
    if len(name) > 200:
        raise ConfigError("a dataset name has at most 200 characters")
    with store.sessions() as session:
        # names that differ only in case would be told apart by nobody in a list
        taken = session.scalar(select(Dataset.name).where(func.lower(Dataset.name) == name.lower()))
    if taken is not None:
        raise ConfigError(f"a dataset named {taken!r} exists already; choose another name")
    return name


def reserve_dataset(store: Store, name: str, src_lang: str = "", tgt_lang: str = "") -> int:
    """Create an empty dataset in state ``importing`` (hidden from review), with its import
    job (:mod:`xner.store.imports`), and return its id.

    A name in use is refused here, before anything is projected or written.
    """
    from xner.store.imports import reserve_import

    return reserve_import(store, name, src_lang, tgt_lang)[0]


def add_items(store: Store, dataset_id: int, items: Iterable[tuple[SentencePair, ProjectionResult | None]],
              chunk: int = CHUNK) -> int:
    """Append items, ``chunk`` per transaction; returns how many were added."""
    position = count(store, dataset_id)
    batch: list[dict] = []

    def flush() -> None:
        nonlocal position
        start, records = position, list(batch)

        def work(session: Session) -> None:
            dataset = session.get(Dataset, dataset_id)
            session.add_all(Item(dataset_id=dataset_id, position=start + k, record=record,
                                 score=record_score(record)) for k, record in enumerate(records))
            labels = set(dataset.labels or ()).union(*map(record_labels, records))
            dataset.labels = sorted(labels)

        store._write(work)
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


def finish_dataset(store: Store, dataset_id: int) -> None:
    """Make an imported dataset visible to reviewers, once its import is checked complete."""
    from xner.store.imports import finish_import, job_of_dataset

    job = job_of_dataset(store, dataset_id)
    with store.sessions() as session:
        owner = session.scalar(select(Job.owner).where(Job.id == job))
    finish_import(store, job, owner)


def delete_dataset(store: Store, dataset_id: int) -> None:
    store._write(lambda session: delete_dataset_rows(session, dataset_id))
    store._labels.pop(dataset_id, None)


def create_dataset(store: Store, name: str, items: Iterable[tuple[SentencePair, ProjectionResult | None]],
                   src_lang: str = "", tgt_lang: str = "", chunk: int = CHUNK) -> int:
    """A new dataset holding ``items``, written in chunks; visible once complete. Killed
    half-way, it is left as an interrupted import (:mod:`xner.store.imports`)."""
    from xner.store.imports import drop_import, finish_import, reserve_import

    total = len(items) if isinstance(items, Sized) else None
    dataset, job, lease = reserve_import(store, name, src_lang, tgt_lang, total=total)
    try:
        added = add_items(store, dataset, items, chunk)
        if total is None:
            store._write(lambda session: session.execute(update(Job).where(Job.id == job).values(total=added)))
        finish_import(store, job, lease)
    except BaseException:
        drop_import(store, job)
        raise
    return dataset


def datasets(store: Store, include_importing: bool = False) -> list[tuple[int, str, int]]:
    """``(id, name, number of items)`` of each dataset, oldest first."""
    with store.sessions() as session:
        query = (select(Dataset.id, Dataset.name, func.count(Item.id)).join(Item, isouter=True)
                 .group_by(Dataset.id).order_by(Dataset.id))
        if not include_importing:
            query = query.where(Dataset.status == "ready")
        return [tuple(r) for r in session.execute(query).all()]


def dataset_id(store: Store, name: str) -> int | None:
    with store.sessions() as session:
        return session.scalar(select(Dataset.id).where(Dataset.name == name, Dataset.status == "ready"))


def labels(store: Store, dataset_id: int) -> tuple[str, ...]:
    """The labels a correction may use: every label in the dataset's data, plus the rest
    of the first standard tag set (CoNLL, then OntoNotes) that holds all of them."""
    if dataset_id not in store._labels:
        with store.sessions() as session:
            dataset = session.get(Dataset, dataset_id)
            if dataset is None:
                raise ConfigError(f"dataset {dataset_id} does not exist")
            found_labels = dataset.labels
            if found_labels is None:  # created before labels were kept: collect them once
                records = session.scalars(select(Item.record).where(Item.dataset_id == dataset_id))
                found_labels = sorted(set().union(*map(record_labels, records)))
        found = set(found_labels)
        completed = tuple(sorted(found.union(next((t for t in TAG_SETS if found <= set(t)), ()))))
        if dataset.status != "ready":
            return completed
        store._labels[dataset_id] = completed
    return store._labels[dataset_id]


def count(store: Store, dataset_id: int) -> int:
    with store.sessions() as session:
        return session.scalar(select(func.count(Item.id)).where(Item.dataset_id == dataset_id))


def item_ids(store: Store, dataset_id: int) -> list[int]:
    with store.sessions() as session:
        return list(session.scalars(select(Item.id).where(Item.dataset_id == dataset_id).order_by(Item.position)))


def item(store: Store, item_id: int) -> tuple[SentencePair, ProjectionResult | None]:
    with store.sessions() as session:
        row = session.get(Item, item_id)
        if row is None:
            raise ConfigError(f"item {item_id} does not exist")
        return record_to_pair(row.record)


def item_at(store: Store, dataset_id: int, position: int) -> int | None:
    with store.sessions() as session:
        return session.scalar(select(Item.id).where(Item.dataset_id == dataset_id, Item.position == position))


def view(store: Store, item_id: int, annotator: str) -> ItemView:
    """The item with the annotator's current state and its revision."""
    with store.sessions() as session:
        row = session.get(Item, item_id)
        if row is None:
            raise ConfigError(f"item {item_id} does not exist")
        state = session.get(ItemState, (item_id, annotator))
        pair, projection = record_to_pair(row.record)
        return ItemView(item_id, row.dataset_id, row.position, pair, projection,
                        None if state is None else state.status,
                        None if state is None else row_entities(state.entities),
                        0 if state is None else state.decision_id)


def pending_items(store: Store, dataset_id: int, start: int, count: int) -> list[tuple[int, SentencePair]]:
    """Items ``start … start+count`` of a dataset being imported, to be projected."""
    with store.sessions() as session:
        rows = session.execute(select(Item.id, Item.record).where(
            Item.dataset_id == dataset_id, Item.position >= start, Item.position < start + count)
            .order_by(Item.position)).all()
    return [(item_id, record_to_pair(record)[0]) for item_id, record in rows]
