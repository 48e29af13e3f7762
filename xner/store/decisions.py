"""Decisions: every accept, reject, skip and edit appended to a log, and the item's
current state updated in the same transaction, so a reload, a crash or a second
annotator never loses one.

A decision names the revision of the item it was made on (:func:`xner.store.datasets.view`);
when the item changed since (another tab, a repeated key press), it is refused with
:class:`~xner.errors.StaleDecisionError` and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from xner.errors import ConfigError, StaleDecisionError
from xner.review.rules import ACTIONS, ANY, ORDERS, next_open, settles_draft, stale_message
from xner.store.schema import Decision, Draft, Item, ItemState
from xner.store.values import LoggedDecision, Progress, entity_rows, row_entities
from xner.types import Entity

if TYPE_CHECKING:
    from xner.store.store import Store


def record(store: Store, item_id: int, annotator: str, action: str, entities: Iterable[Entity] = (), *,
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
    values = entity_rows(entities)

    def work(session: Session) -> int:
        dataset_id = session.scalar(select(Item.dataset_id).where(Item.id == item_id))
        if dataset_id is None:
            raise ConfigError(f"item {item_id} does not exist")
        check_labels(store, dataset_id, values)
        decision = Decision(item_id=item_id, annotator=annotator, action=action, entities=values)
        session.add(decision)
        session.flush()
        if not move_state(store, session, item_id, annotator, action, values, decision.id, revision):
            raise StaleDecisionError(_stale_message(session, item_id, annotator))
        # unsaved edits (xner.store.drafts) this decision kept are settled with it
        draft = session.get(Draft, (item_id, annotator))
        if draft is not None and settles_draft(action, values, draft.entities):
            session.delete(draft)
        return decision.id

    return store._write(work)


def check_labels(store: Store, dataset_id: int, values: list[list]) -> None:
    """Refuse entities whose label the dataset does not use (a typo like PRE)."""
    known = store.labels(dataset_id)
    unknown = sorted({label for _, _, label in values} - set(known))
    if unknown:
        raise ConfigError(f"label {', '.join(unknown)} is not used in this dataset; use one of: "
                          f"{', '.join(known)}")


def move_state(store: Store, session: Session, item_id: int, annotator: str, status: str, entities: list,
               decision_id: int, revision: int) -> bool:
    """Set the state if it is still at ``revision``; False when it moved on meanwhile."""
    values = {"status": status, "entities": entities, "decision_id": decision_id}
    connection = session.connection()
    # RETURNING tells whether a row was written (rowcount is not reliable for an upsert)
    if revision == 0:  # the view showed no decision: only a first decision may land
        insert = store._insert(ItemState).values(item_id=item_id, annotator=annotator, **values)
        written = insert.on_conflict_do_nothing().returning(ItemState.item_id)
        return connection.execute(written).first() is not None
    if revision == ANY:
        insert = store._insert(ItemState).values(item_id=item_id, annotator=annotator, **values)
        connection.execute(insert.on_conflict_do_update(index_elements=["item_id", "annotator"], set_=values))
        return True
    moved = update(ItemState).where(ItemState.item_id == item_id, ItemState.annotator == annotator,
                                    ItemState.decision_id == revision).values(**values)
    return connection.execute(moved.returning(ItemState.item_id)).first() is not None


def _stale_message(session: Session, item_id: int, annotator: str) -> str:
    position = session.scalar(select(Item.position).where(Item.id == item_id))
    state = session.get(ItemState, (item_id, annotator))
    return stale_message(position + 1, annotator, None if state is None else state.status)


def in_force(annotator: str, *, dataset_id: int | None = None, item_id: int | None = None):
    """A query for the annotator's decisions that no undo reverted, newest first."""
    undone = select(Decision.undoes).where(Decision.annotator == annotator, Decision.undoes.is_not(None))
    query = (select(Decision).where(Decision.annotator == annotator, Decision.action != "undo",
                                    Decision.id.not_in(undone)).order_by(Decision.id.desc()))
    if item_id is not None:
        query = query.where(Decision.item_id == item_id)
    if dataset_id is not None:
        query = query.join(Item, Item.id == Decision.item_id).where(Item.dataset_id == dataset_id)
    return query


def last_decision(store: Store, dataset_id: int, annotator: str) -> LoggedDecision | None:
    """What :func:`xner.store.undo.undo_last` would revert now."""
    found = history(store, dataset_id, annotator, limit=1)
    return found[0] if found else None


def history(store: Store, dataset_id: int, annotator: str, limit: int = 20) -> list[LoggedDecision]:
    """The annotator's decisions in force, newest first."""
    with store.sessions() as session:
        decisions = list(session.scalars(in_force(annotator, dataset_id=dataset_id).limit(limit)))
        positions = dict(session.execute(select(Item.id, Item.position).where(
            Item.id.in_([d.item_id for d in decisions]))).all())
        return [LoggedDecision(d.id, d.item_id, positions[d.item_id], d.action, d.created_at, d.batch)
                for d in decisions]


def state(store: Store, item_id: int, annotator: str) -> tuple[str, tuple[Entity, ...]] | None:
    with store.sessions() as session:
        row = session.get(ItemState, (item_id, annotator))
        return None if row is None else (row.status, row_entities(row.entities))


def log(store: Store, item_id: int) -> list[tuple[str, str, tuple[Entity, ...]]]:
    """Every decision on the item, oldest first: ``(annotator, action, entities)``."""
    with store.sessions() as session:
        rows = session.scalars(select(Decision).where(Decision.item_id == item_id).order_by(Decision.id))
        return [(d.annotator, d.action, row_entities(d.entities)) for d in rows]


def annotators(store: Store, dataset_id: int | None = None) -> list[str]:
    """Names that have decided something (in the dataset, or anywhere)."""
    with store.sessions() as session:
        query = select(Decision.annotator).distinct().order_by(Decision.annotator)
        if dataset_id is not None:
            query = query.join(Item, Item.id == Decision.item_id).where(Item.dataset_id == dataset_id)
        return list(session.scalars(query))


def statuses(store: Store, dataset_id: int, annotator: str, order: str = "position") -> list[tuple[int, int, str | None]]:
    """``(item_id, position, status or None)`` for every item, in review order: by
    ``position`` (as imported) or by ``score``, lowest first (items without one last)."""
    if order not in ORDERS:
        raise ConfigError(f"unknown review order {order!r}; choose one of: {', '.join(ORDERS)}")
    with store.sessions() as session:
        keys = (Item.position,) if order == "position" else (Item.score.is_(None), Item.score, Item.position)
        rows = session.execute(
            select(Item.id, Item.position, ItemState.status)
            .join(ItemState, (ItemState.item_id == Item.id) & (ItemState.annotator == annotator), isouter=True)
            .where(Item.dataset_id == dataset_id).order_by(*keys)).all()
        return [tuple(r) for r in rows]


def progress(store: Store, dataset_id: int, annotator: str) -> Progress:
    with store.sessions() as session:
        total = session.scalar(select(func.count(Item.id)).where(Item.dataset_id == dataset_id))
        counts = dict(session.execute(
            select(ItemState.status, func.count()).join(Item, Item.id == ItemState.item_id)
            .where(Item.dataset_id == dataset_id, ItemState.annotator == annotator)
            .group_by(ItemState.status)).all())
    return Progress(total, counts.get("accept", 0), counts.get("reject", 0), counts.get("edit", 0),
                    counts.get("skip", 0))


def next_item(store: Store, dataset_id: int, annotator: str, after: int | None = None,
              order: str = "position") -> int | None:
    """The first item the annotator has not reviewed after the item at position ``after``
    in the review ``order`` (wrapping round); skipped ones come after all fresh ones.
    None when everything is reviewed."""
    return next_open(statuses(store, dataset_id, annotator, order), after)
