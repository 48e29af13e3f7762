"""Decisions written together: a bulk accept of the items a filter shows, a correction
propagated to other items. They share a batch id, so one undo
(:meth:`xner.store.store.Store.undo_last`) takes the whole batch back.

Nothing is written over what a reviewer did by hand: an item already reviewed, one whose
state changed since it was previewed, or one holding unsaved edits (a draft) is left as it
is and counted as skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from xner.errors import ConfigError
from xner.review.rules import REVIEWED
from xner.store.decisions import check_labels, move_state
from xner.store.schema import Decision, Draft, Item, ItemState
from xner.store.values import entity_rows
from xner.types import Entity

if TYPE_CHECKING:
    from xner.store.store import Store


@dataclass(frozen=True)
class BatchResult:
    batch: str | None
    written: int
    skipped: int


@dataclass(frozen=True)
class Planned:
    """One decision of a batch: ``revision`` is the state the plan was made on (0: none)."""

    item_id: int
    action: str
    entities: tuple[Entity, ...]
    revision: int


def write_batch(store: Store, dataset_id: int, annotator: str, planned: Sequence[Planned]) -> BatchResult:
    """Write the planned decisions in one transaction under one batch id; a plan whose item
    changed since (its revision), holds a draft, or is outside the dataset is skipped."""
    if not annotator.strip():
        raise ConfigError("enter an annotator name before reviewing")
    batch = uuid.uuid4().hex
    ids = [p.item_id for p in planned]
    for plan in planned:
        check_labels(store, dataset_id, entity_rows(plan.entities))

    def work(session: Session) -> BatchResult:
        inside = set(session.scalars(select(Item.id).where(Item.dataset_id == dataset_id, Item.id.in_(ids))))
        revisions = dict(session.execute(select(ItemState.item_id, ItemState.decision_id).where(
            ItemState.annotator == annotator, ItemState.item_id.in_(ids))).all())
        drafted = set(session.scalars(select(Draft.item_id).where(Draft.annotator == annotator,
                                                                  Draft.item_id.in_(ids))))
        todo = [p for p in planned if p.item_id in inside and p.item_id not in drafted
                and revisions.get(p.item_id, 0) == p.revision]
        if not todo:
            return BatchResult(None, 0, len(planned))
        values = {p.item_id: entity_rows(p.entities) for p in todo}
        # one INSERT for the whole log entry (ids back by RETURNING), then the states
        rows = session.execute(insert(Decision).returning(Decision.id, Decision.item_id, sort_by_parameter_order=True),
                               [{"item_id": p.item_id, "annotator": annotator, "action": p.action,
                                 "entities": values[p.item_id], "batch": batch} for p in todo]).all()
        for (decision_id, item_id), plan in zip(rows, todo):
            # the revisions were read in this transaction, under the write lock: each move lands
            move_state(store, session, item_id, annotator, plan.action, values[item_id], decision_id, plan.revision)
        return BatchResult(batch, len(todo), len(planned) - len(todo))

    return store._write(work)


def accept_projections(store: Store, dataset_id: int, annotator: str, item_ids: Iterable[int]) -> BatchResult:
    """Accept the projection of every item in ``item_ids`` the annotator has not reviewed
    (never reviewed, or skipped), as one batch."""
    ids = list(item_ids)
    with store.sessions() as session:
        states = dict(session.execute(select(ItemState.item_id, ItemState.status).where(
            ItemState.annotator == annotator, ItemState.item_id.in_(ids))).all())
        revisions = dict(session.execute(select(ItemState.item_id, ItemState.decision_id).where(
            ItemState.annotator == annotator, ItemState.item_id.in_(ids))).all())
        open_ids = [i for i in ids if states.get(i) not in REVIEWED]
        records = dict(session.execute(select(Item.id, Item.record).where(Item.id.in_(open_ids))).all())
    planned = []
    for item_id in open_ids:
        if item_id not in records:
            continue
        # the projected entities as stored (the rest of the record is not needed here)
        projection = records[item_id].get("projection") or {}
        entities = tuple(Entity(int(s), int(e), str(label)) for s, e, label in projection.get("entities", ()))
        planned.append(Planned(item_id, "accept", entities, revisions.get(item_id, 0)))
    result = write_batch(store, dataset_id, annotator, planned)
    return BatchResult(result.batch, result.written, len(ids) - result.written)


def batch_size(store: Store, batch: str) -> int:
    """How many decisions a batch wrote (what one undo takes back)."""
    from sqlalchemy import func

    with store.sessions() as session:
        return session.scalar(select(func.count(Decision.id)).where(Decision.batch == batch,
                                                                    Decision.action != "undo"))
