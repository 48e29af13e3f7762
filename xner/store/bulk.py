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

from sqlalchemy import select
from sqlalchemy.orm import Session

from xner.errors import ConfigError
from xner.store.schema import Decision, Draft, Item, ItemState
from xner.store.store import REVIEWED, Store, _entity_list
from xner.io.jsonl import record_to_pair
from xner.types import Entity


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
        store._check_labels(dataset_id, _entity_list(plan.entities))

    def work(session: Session) -> BatchResult:
        inside = set(session.scalars(select(Item.id).where(Item.dataset_id == dataset_id, Item.id.in_(ids))))
        revisions = dict(session.execute(select(ItemState.item_id, ItemState.decision_id).where(
            ItemState.annotator == annotator, ItemState.item_id.in_(ids))).all())
        drafted = set(session.scalars(select(Draft.item_id).where(Draft.annotator == annotator,
                                                                  Draft.item_id.in_(ids))))
        written = 0
        for plan in planned:
            if plan.item_id not in inside or plan.item_id in drafted or revisions.get(plan.item_id, 0) != plan.revision:
                continue
            values = _entity_list(plan.entities)
            decision = Decision(item_id=plan.item_id, annotator=annotator, action=plan.action, entities=values,
                                batch=batch)
            session.add(decision)
            session.flush()
            if store._move_state(session, plan.item_id, annotator, plan.action, values, decision.id, plan.revision):
                written += 1
            else:  # pragma: no cover - the revision was read in this transaction
                session.delete(decision)
        return BatchResult(batch if written else None, written, len(planned) - written)

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
        _, projection = record_to_pair(records[item_id])
        entities = projection.entities if projection is not None else ()
        planned.append(Planned(item_id, "accept", tuple(entities), revisions.get(item_id, 0)))
    result = write_batch(store, dataset_id, annotator, planned)
    return BatchResult(result.batch, result.written, len(ids) - result.written)


def batch_size(store: Store, batch: str) -> int:
    """How many decisions a batch wrote (what one undo takes back)."""
    from sqlalchemy import func

    with store.sessions() as session:
        return session.scalar(select(func.count(Decision.id)).where(Decision.batch == batch,
                                                                    Decision.action != "undo"))
