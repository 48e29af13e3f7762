"""What the store hands out: an item as a reviewer sees it, a logged decision, progress;
and the review vocabulary its modules share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from xner.types import Entity, ProjectionResult, SentencePair

ACTIONS = ("accept", "reject", "skip", "edit")
# statuses that count as reviewed (a skip is not)
REVIEWED = ("accept", "reject", "edit")
# review orders: as imported, or the least sure projections first
ORDERS = ("position", "score")
# "no revision check": for callers that decide without having shown the item (scripts, the CLI)
ANY = -1


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
