"""The review rules, in one place: the decisions a reviewer makes and what each means,
which item comes next, and what to say when a decision comes too late. Pure functions and
values: the store keeps them (:mod:`xner.store.decisions`; undo, a step back in the
annotator's own log where a batch is one step, is :mod:`xner.store.undo`), the review
flow (:mod:`xner.review.queue`) and the pages follow them.

>>> next_open([(10, 0, "accept"), (11, 1, "skip"), (12, 2, None)], after=None)
12
>>> keep_action((Entity(0, 2, "PER"),), [Entity(0, 2, "PER")])
'accept'
"""

from __future__ import annotations

from collections.abc import Sequence

from xner.errors import XnerError
from xner.types import Entity, ProjectionResult

# what a reviewer decides on an item; an ``undo`` is logged too, naming the decision it reverts
ACTIONS = ("accept", "reject", "skip", "edit")
# decisions that count as reviewed (a skip is not)
REVIEWED = ("accept", "reject", "edit")
# decisions that keep the item's sentence with entities: exported, compared span by span
KEPT = ("accept", "edit")
# each decision as the reviewer reads it
STATUS_WORDS = {"accept": "accepted", "reject": "rejected", "skip": "skipped", "edit": "corrected"}
# review orders: as imported, or the least sure projections first (Item.score)
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


def keep_action(projected: Sequence[Entity], entities: Sequence[Entity]) -> str:
    """Keeping an item with ``entities``: ``accept`` when they are the projection's, else
    ``edit`` (a correction)."""
    return "accept" if tuple(sorted(entities)) == tuple(sorted(projected)) else "edit"


def starting_entities(status: str | None, saved: Sequence[Entity] | None,
                      projection: ProjectionResult | None) -> tuple[Entity, ...]:
    """What an editor starts from: the entities the reviewer kept, else the projection's."""
    if status in KEPT and saved is not None:
        return tuple(saved)
    return projection.entities if projection is not None else ()


def settles_draft(action: str, saved: list, draft: list) -> bool:
    """Whether a decision settles the unsaved edits of its item: only when it kept exactly
    them; any other decision (another tab's, a reject) leaves them to be saved or
    discarded on purpose."""
    return action in KEPT and draft == saved


def with_candidate(projection: ProjectionResult, entity_index: int, rank: int, label: str,
                   current: Sequence[Entity]) -> tuple[Entity, ...]:
    """Replace whatever was projected for one source entity by its ``rank``-th candidate (1-based).

    ``label`` is used unless the candidate is the span already projected, which keeps its
    label (a derived form projected as MISC stays MISC).
    """
    candidates = projection.candidates_for(entity_index)
    if not 1 <= rank <= len(candidates):
        raise XnerError(f"candidate {rank} does not exist: this entity has {len(candidates)}")
    chosen = candidates[rank - 1].span
    if candidates[rank - 1].chosen:
        label = next((e.label for e in projection.entities if e.span == chosen), label)
    kept = [e for e in current if not (e.start < chosen.end and chosen.start < e.end)]
    own = next((c.span for c in candidates if c.chosen), None)
    if own is not None:
        kept = [e for e in kept if (e.start, e.end) != (own.start, own.end)]
    return tuple(sorted(kept + [Entity(chosen.start, chosen.end, label)]))


def stale_message(number: int, annotator: str, status: str | None) -> str:
    """Why a decision made on an item shown before was refused: it changed since
    (``status``: its state now, None when its decision was undone)."""
    now = f"it is now {STATUS_WORDS.get(status, status)}" if status is not None else "its decision was undone"
    return (f"item {number} changed since it was shown ({now}, from another tab or window of "
            f"{annotator!r}); this decision was not stored — the screen shows the item as it is now")
