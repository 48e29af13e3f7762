"""Undo: a step back in the annotator's own log, as many steps as there are decisions,
from any session. An undo is itself logged (it names the decision it reverts); the state
goes back to the decision in force before, or to none. Decisions written together (a
batch: :mod:`xner.store.bulk`) are one step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlalchemy.orm import Session

from xner.errors import StaleDecisionError
from xner.review.rules import ANY
from xner.store.decisions import in_force, move_state
from xner.store.schema import Decision, ItemState

if TYPE_CHECKING:
    from xner.store.store import Store


def _undo(store: Store, session: Session, last: Decision, annotator: str) -> None:
    undo = Decision(item_id=last.item_id, annotator=annotator, action="undo", entities=[], undoes=last.id)
    session.add(undo)
    session.flush()
    before = session.scalars(in_force(annotator, item_id=last.item_id).limit(1)).first()
    state = session.get(ItemState, (last.item_id, annotator))
    if before is not None:
        move_state(store, session, last.item_id, annotator, before.action, before.entities, undo.id, ANY)
    elif state is not None:
        session.delete(state)


def undo_last(store: Store, dataset_id: int, annotator: str, *, expected: int | None = None) -> int | None:
    """Revert the annotator's last decision in the dataset that is not yet undone.

    Repeated calls step further back. Returns the item it was on (to show it), or None
    when there is nothing to undo. ``expected``: the decision id the reviewer was
    offered to undo; if another session decided or undid meanwhile, nothing changes
    and :class:`StaleDecisionError` says so.
    """

    def work(session: Session) -> int | None:
        last = session.scalars(in_force(annotator, dataset_id=dataset_id).limit(1)).first()
        if last is None:
            if expected is not None:
                raise StaleDecisionError("that decision was undone already (in another tab or window)")
            return None
        if expected is not None and last.id != expected:
            raise StaleDecisionError("your last decision changed meanwhile (another tab or window); "
                                     "nothing was undone — look at the list and try again")
        if last.batch is None:
            _undo(store, session, last, annotator)
            return last.item_id
        # a batch (bulk accept, propagated correction) is one step back, written at once
        batch = list(session.scalars(in_force(annotator, dataset_id=dataset_id).where(Decision.batch == last.batch)))
        undos = {d.id: Decision(item_id=d.item_id, annotator=annotator, action="undo", entities=[], undoes=d.id)
                 for d in batch}
        session.add_all(undos.values())
        session.flush()
        items = {d.item_id for d in batch}
        before: dict[int, Decision] = {}
        for decision in session.scalars(in_force(annotator).where(Decision.item_id.in_(items))):
            before.setdefault(decision.item_id, decision)  # newest first: the one in force now
        for decision in batch:
            prior = before.get(decision.item_id)
            if prior is not None:
                move_state(store, session, decision.item_id, annotator, prior.action, prior.entities,
                           undos[decision.id].id, ANY)
        session.execute(delete(ItemState).where(ItemState.annotator == annotator,
                                                ItemState.item_id.in_(items - set(before))))
        return last.item_id

    return store._write(work)


def undo(store: Store, item_id: int, annotator: str) -> bool:
    """Revert the annotator's last not yet undone decision on one item."""

    def work(session: Session) -> bool:
        last = session.scalars(in_force(annotator, item_id=item_id).limit(1)).first()
        if last is None:
            return False
        _undo(store, session, last, annotator)
        return True

    return store._write(work)
