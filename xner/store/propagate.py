"""The same correction elsewhere: after a reviewer corrects the span projected from a
source entity, find the other items where the same source entity (same words, same
label) was projected onto the same target words, and make the same change there
(the same boundary shift, label or deletion) as one batch — previewed first.

Only items the annotator has not reviewed (or skipped) and that hold no unsaved edits are
offered; the new span must hold the same words as the corrected one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, select

from xner.io.jsonl import record_to_pair
from xner.review.rules import REVIEWED
from xner.store.bulk import BatchResult, Planned, write_batch
from xner.store.schema import Draft, Item, ItemState, ItemText
from xner.store.search import _escape, ensure_search_table
from xner.types import Entity, ProjectionResult, SentencePair

if TYPE_CHECKING:
    from xner.store.store import Store


@dataclass(frozen=True)
class Change:
    """How one source entity's projection was corrected: the projected words and label
    before, and the start/end shift and label after (``label`` None: deleted)."""

    source: tuple[str, ...]
    source_label: str
    before: tuple[str, ...]
    before_label: str
    shift: tuple[int, int]
    label: str | None
    after: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    item_id: int
    position: int
    revision: int
    entities: tuple[Entity, ...]
    change: Change

    def row(self) -> dict[str, object]:
        c = self.change
        becomes = "removed" if c.label is None else f"{' '.join(c.after)} ({c.label})"
        return {"item": self.position + 1, "source entity": f"{' '.join(c.source)} ({c.source_label})",
                "projected": f"{' '.join(c.before)} ({c.before_label})", "becomes": becomes}


def _projected(pair: SentencePair, projection: ProjectionResult | None) -> dict[int, Entity]:
    """Source entity index → the target entity projected from it."""
    if projection is None:
        return {}
    by_span = {(e.start, e.end): e for e in projection.entities}
    found = {}
    for c in projection.candidates:
        if c.chosen and (c.span.start, c.span.end) in by_span:
            found[c.entity_index] = by_span[(c.span.start, c.span.end)]
    return found


def changes(pair: SentencePair, projection: ProjectionResult | None, saved: Sequence[Entity]) -> list[Change]:
    """The corrections ``saved`` makes to the projection, one per source entity whose span
    was moved, relabelled or deleted (a span overlapping it, or none)."""
    found = []
    for index, before in _projected(pair, projection).items():
        hits = [e for e in saved if e.start < before.end and before.start < e.end]
        if len(hits) > 1 or (hits and hits[0] == before):
            continue
        source = pair.source_entities[index]
        after = hits[0] if hits else None
        found.append(Change(
            tuple(pair.source_words[source.start:source.end]), source.label,
            tuple(pair.target_words[before.start:before.end]), before.label,
            (0, 0) if after is None else (after.start - before.start, after.end - before.end),
            None if after is None else after.label,
            () if after is None else tuple(pair.target_words[after.start:after.end])))
    return found


def apply_change(pair: SentencePair, projection: ProjectionResult | None, change: Change) -> tuple[Entity, ...] | None:
    """The projection of another item with ``change`` made, or None where it does not apply."""
    current = list(projection.entities) if projection is not None else []
    for index, before in _projected(pair, projection).items():
        source = pair.source_entities[index]
        if (tuple(pair.source_words[source.start:source.end]), source.label) != (change.source, change.source_label):
            continue
        if (tuple(pair.target_words[before.start:before.end]), before.label) != (change.before, change.before_label):
            continue
        rest = [e for e in current if e != before]
        if change.label is None:
            return tuple(sorted(rest))
        start, end = before.start + change.shift[0], before.end + change.shift[1]
        if not 0 <= start < end <= len(pair.target_words) or tuple(pair.target_words[start:end]) != change.after:
            return None
        if any(e.start < end and start < e.end for e in rest):
            return None
        return tuple(sorted(rest + [Entity(start, end, change.label)]))
    return None


def propose(store: Store, dataset_id: int, annotator: str, item_id: int, limit: int = 2000) -> list[Proposal]:
    """The same correction(s) as the annotator saved on ``item_id``, on the other items of
    the dataset where they apply."""
    with store.sessions() as session:
        state = session.get(ItemState, (item_id, annotator))
        item = session.get(Item, item_id)
    if state is None or state.status != "edit" or item is None:
        return []
    pair, projection = record_to_pair(item.record)
    wanted = changes(pair, projection, [Entity(int(s), int(e), str(label)) for s, e, label in state.entities])
    if not wanted:
        return []
    ensure_search_table(store, dataset_id)
    proposals: list[Proposal] = []
    for change in wanted:
        source = _escape(" " + " ".join(change.source).lower() + " ")
        target = _escape(" " + " ".join(change.before).lower() + " ")
        mine = and_(ItemState.item_id == Item.id, ItemState.annotator == annotator)
        drafted = and_(Draft.item_id == Item.id, Draft.annotator == annotator)
        with store.sessions() as session:
            rows = session.execute(
                select(Item.id, Item.position, Item.record, ItemState.status, ItemState.decision_id)
                .join(ItemText, ItemText.item_id == Item.id)
                .join(ItemState, mine, isouter=True)
                .where(Item.dataset_id == dataset_id, Item.id != item_id,
                       ItemText.source.like(f"%{source}%", escape="\\"),
                       ItemText.target.like(f"%{target}%", escape="\\"),
                       ~select(Draft.item_id).where(drafted).exists())
                .order_by(Item.position).limit(limit)).all()
        for other, position, record, status, decision in rows:
            if status in REVIEWED or any(p.item_id == other for p in proposals):
                continue
            other_pair, other_projection = record_to_pair(record)
            entities = apply_change(other_pair, other_projection, change)
            if entities is not None:
                proposals.append(Proposal(other, position, decision or 0, entities, change))
    return sorted(proposals, key=lambda p: p.position)


def apply_proposals(store: Store, dataset_id: int, annotator: str, proposals: Sequence[Proposal]) -> BatchResult:
    """Save the proposed corrections as one batch (one undo step)."""
    return write_batch(store, dataset_id, annotator,
                       [Planned(p.item_id, "edit", p.entities, p.revision) for p in proposals])
