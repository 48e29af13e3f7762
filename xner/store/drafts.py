"""Unsaved edits, kept in the store with their item and annotator.

An edit in the review editor is written here at once (one small upsert), so that a
reload, a restart, a decision refused as stale or a move to another item never loses
it. A draft goes away only when a decision saves exactly its entities
(:meth:`xner.store.store.Store.record` removes it in the same transaction) or when the
reviewer discards it on purpose; any other decision (a reject, another tab's accept)
leaves it, and undoing that decision finds the edits still there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from xner.store.schema import Draft
from xner.store.values import entity_rows, row_entities
from xner.types import Entity

if TYPE_CHECKING:
    from xner.store.store import Store


@dataclass(frozen=True)
class SavedDraft:
    """Edits made on ``revision`` of an item, not yet saved as a decision."""

    item_id: int
    annotator: str
    revision: int
    entities: tuple[Entity, ...]
    edits: int
    updated_at: datetime


def save_draft(store: Store, item_id: int, annotator: str, revision: int, entities: Iterable[Entity],
               edits: int) -> None:
    """Keep the editor's entities for ``(item, annotator)``, replacing an earlier draft."""
    values = {"revision": int(revision), "entities": entity_rows(entities), "edits": int(edits),
              "updated_at": datetime.now(timezone.utc)}

    def work(session: Session) -> None:
        insert = store._insert(Draft).values(item_id=item_id, annotator=annotator, **values)
        session.execute(insert.on_conflict_do_update(index_elements=["item_id", "annotator"], set_=values))

    store._write(work)


def load_draft(store: Store, item_id: int, annotator: str) -> SavedDraft | None:
    with store.sessions() as session:
        draft = session.get(Draft, (item_id, annotator))
        if draft is None:
            return None
        updated = draft.updated_at
        if updated.tzinfo is None:  # SQLite hands back naive UTC times
            updated = updated.replace(tzinfo=timezone.utc)
        return SavedDraft(item_id, annotator, draft.revision, row_entities(draft.entities), draft.edits, updated)


def discard_draft(store: Store, item_id: int, annotator: str) -> bool:
    """Drop the annotator's unsaved edits of one item (on purpose); False when there were none."""

    def work(session: Session) -> bool:
        result = session.execute(delete(Draft).where(Draft.item_id == item_id, Draft.annotator == annotator)
                                 .returning(Draft.item_id))
        return result.first() is not None

    return store._write(work)


def drafted_items(store: Store, annotator: str, item_ids: Iterable[int]) -> set[int]:
    """Which of ``item_ids`` hold unsaved edits of the annotator."""
    ids = list(item_ids)
    with store.sessions() as session:
        return set(session.scalars(select(Draft.item_id).where(Draft.annotator == annotator,
                                                               Draft.item_id.in_(ids))))
