"""What the store hands out: an item as a reviewer sees it, a logged decision, progress;
entities as stored. (The review vocabulary and rules: :mod:`xner.review.rules`.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from xner.types import Entity, ProjectionResult, SentencePair


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


def entity_rows(entities: Iterable[Entity]) -> list[list]:
    """Entities as stored (JSON): ``[[start, end, label], ...]``, sorted."""
    return [[e.start, e.end, e.label] for e in sorted(entities)]


def row_entities(values: Iterable) -> tuple[Entity, ...]:
    """Stored ``[[start, end, label], ...]`` back as entities."""
    return tuple(Entity(int(s), int(e), str(label)) for s, e, label in values)
