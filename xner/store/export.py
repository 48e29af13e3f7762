"""What an export holds per item: the target sentence and its entities, with the item's
id, status (accepted, corrected, unreviewed), who decided it and when, and its comments.

From one annotator's decisions, or ``final``: a curator's adjudicated version where there
is one (:mod:`xner.store.adjudication`), else the annotator's. Rejected items are never
exported: a sentence with no entities would teach a model that it holds none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import select

from xner.io.jsonl import record_to_pair
from xner.review.rules import KEPT, STATUS_WORDS
from xner.store.adjudication import finals
from xner.store.comments import comments
from xner.store.schema import Decision, Item, ItemState
from xner.store.values import row_entities
from xner.types import Entity, SentencePair

if TYPE_CHECKING:
    from xner.store.store import Store


@dataclass(frozen=True)
class ExportRow:
    item_id: int
    id: str  # the pair's own id, else the item's number
    pair: SentencePair
    entities: tuple[Entity, ...]
    status: str  # accepted, corrected or unreviewed
    annotator: str  # whose decision ("" when unreviewed)
    time: datetime | None
    adjudicated: bool = False
    comments: tuple[dict, ...] = field(default=())

    def meta(self) -> dict[str, str]:
        """The CoNLL comment lines (``# key = value``) of this item."""
        found = {"id": self.id, "status": self.status}
        if self.annotator:
            found["annotator"] = self.annotator + (" (adjudicated)" if self.adjudicated else "")
        if self.time is not None:
            found["time"] = self.time.isoformat(timespec="seconds")
        for k, note in enumerate(self.comments, start=1):
            flag = f"[{note['flag']}] " if note["flag"] else ""
            found[f"comment{k}"] = f"{note['annotator']}: {flag}{note['text']}".strip()
        return found


def _utc(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def export_rows(store: Store, dataset_id: int, annotator: str, accepted_only: bool = True,
                final: bool = False) -> list[ExportRow]:
    """The items to export, in dataset order: accepted and corrected ones, or (unless
    ``accepted_only``) also those not reviewed yet with their projection."""
    with store.sessions() as session:
        rows = session.execute(
            select(Item.id, Item.position, Item.record, ItemState.status, ItemState.entities, Decision.created_at)
            .join(ItemState, (ItemState.item_id == Item.id) & (ItemState.annotator == annotator), isouter=True)
            .join(Decision, Decision.id == ItemState.decision_id, isouter=True)
            .where(Item.dataset_id == dataset_id).order_by(Item.position)).all()
    adjudicated = finals(store, dataset_id) if final else {}
    notes = comments(store, [r[0] for r in rows])
    result = []
    for item_id, position, record, status, entities, decided in rows:
        pair, projection = record_to_pair(record)
        who, when, chosen = annotator, _utc(decided), row_entities(entities) if entities is not None else ()
        if item_id in adjudicated:
            taken = adjudicated[item_id]
            status, chosen, who, when = taken.status, taken.entities, taken.curator, taken.created_at
        if status in KEPT:
            word = STATUS_WORDS[status]
        elif not accepted_only and status != "reject":
            word, chosen, who, when = "unreviewed", projection.entities if projection is not None else (), "", None
        else:
            continue
        result.append(ExportRow(item_id, pair.id or str(position + 1), pair, tuple(chosen), word, who, when,
                                item_id in adjudicated, tuple(n.as_dict() for n in notes.get(item_id, ()))))
    return result


def reviewed_pairs(store: Store, dataset_id: int, annotator: str,
                   accepted_only: bool = True) -> list[tuple[SentencePair, tuple[Entity, ...]]]:
    """Target sentences with the reviewed entities: accepted/edited only, or also the items
    not reviewed yet (or skipped) with their projection. A rejected item is never exported:
    its sentence with no entities would teach a model that it holds none."""
    with store.sessions() as session:
        rows = session.execute(
            select(Item.record, ItemState.status, ItemState.entities)
            .join(ItemState, (ItemState.item_id == Item.id) & (ItemState.annotator == annotator), isouter=True)
            .where(Item.dataset_id == dataset_id).order_by(Item.position)).all()
    result = []
    for record, status, entities in rows:
        pair, projection = record_to_pair(record)
        if status in KEPT:
            result.append((pair, row_entities(entities)))
        elif not accepted_only and status != "reject":
            result.append((pair, projection.entities if projection is not None else ()))
    return result
