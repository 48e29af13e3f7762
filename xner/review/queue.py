"""What the review page does, without Streamlit, by the rules of :mod:`xner.review.rules`:
which item to show, storing a decision made on a view of an item, undo, and what to say
when a decision cannot be stored.

Every decision names the item *and* the revision the reviewer saw
(:class:`xner.store.values.ItemView`); the store refuses it when that item changed since,
and the page says so instead of writing on whatever item is current now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xner.errors import StaleDecisionError, StoreBusyError, XnerError
from xner.review import rules
from xner.review.rules import STATUS_WORDS, next_open
from xner.store.search import QueueFilter, find_items
from xner.store.store import Store
from xner.store.values import ItemView, LoggedDecision, Progress
from xner.types import Entity


@dataclass(frozen=True)
class Outcome:
    """What the page does after an action: a notice ``(kind, text)`` to show (kind:
    ``success``, ``warning``, ``error``), and the item number to show next (None: stay)."""

    notice: tuple[str, str] | None = None
    show: int | None = None
    finished: bool = False


class Queue:
    """One annotator's review of one dataset, in an order: ``position`` (as imported) or
    ``score`` (the least sure projections first), through a filter (all items by default)."""

    def __init__(self, store: Store, dataset_id: int, annotator: str, order: str = "position",
                 where: QueueFilter = QueueFilter()) -> None:
        self.store, self.dataset_id, self.annotator, self.order = store, dataset_id, annotator, order
        self.where = where
        self._rows: list[tuple[int, int, str | None]] | None = None

    def rows(self) -> list[tuple[int, int, str | None]]:
        """``(item_id, position, status)`` of the items the filter shows, in review order
        (read once per queue: a page run builds a new one)."""
        if self._rows is None:
            self._rows = find_items(self.store, self.dataset_id, self.annotator, self.where, self.order)
        return self._rows

    def _next_open(self, after: int | None) -> int | None:
        """The first item shown not reviewed yet after position ``after`` (wrapping round);
        skipped ones after all fresh ones; None when there is none."""
        return next_open(self.rows(), after)

    def current(self, requested: str | None) -> ItemView | None:
        """The item to show: ``requested`` (a 1-based number, from the URL) when it exists,
        else the first one the filter shows not reviewed yet; None when all those are reviewed."""
        item_id = None
        if requested and requested.strip().isdigit():
            item_id = self.store.item_at(self.dataset_id, int(requested) - 1)
        if item_id is None:
            item_id = self._next_open(None)
        return None if item_id is None else self.store.view(item_id, self.annotator)

    def decide(self, item_id: int, revision: int, action: str, entities: Sequence[Entity],
               kept_edits: int = 0) -> Outcome:
        """Store ``action`` on the item as it was shown (``revision``), then move on to the
        next item not reviewed. A refused decision keeps the screen where it is;
        ``kept_edits``: unsaved edits that stay with the item (the notice says so)."""
        view = self.store.view(item_id, self.annotator)
        kept = ""
        if kept_edits:
            kept = (f" Your unsaved edit{'s are' if kept_edits > 1 else ' is'} kept on screen: "
                    "Save stores the spans as shown, Discard edits drops them.")
        try:
            self.store.record(item_id, self.annotator, action, entities, revision=revision)
        except StaleDecisionError as error:
            return Outcome(("warning", f"{error}.{kept}" if kept else str(error)), show=view.number)
        except StoreBusyError as error:
            return Outcome(("error", f"{error}. Your decision on item {view.number} is still on screen: "
                                     "press the button again."), show=view.number)
        except XnerError as error:
            return Outcome(("error", f"{error}.{kept}" if kept else str(error)), show=view.number)
        self._rows = None
        following = self._next_open(view.position)
        if following is None:
            return Outcome(None, finished=True)
        return Outcome(None, show=self.store.view(following, self.annotator).number)

    def undo(self, expected: int) -> Outcome:
        """Undo the annotator's last decision in force (``expected``: its id, as offered on
        screen), and show the item it was on."""
        last = self.last_decision()
        try:
            item_id = self.store.undo_last(self.dataset_id, self.annotator, expected=expected or None)
        except (StaleDecisionError, StoreBusyError) as error:
            return Outcome(("warning", str(error)))
        if item_id is None or last is None:
            return Outcome(("warning", "nothing to undo: you have no decision in this dataset"))
        return Outcome(("success", f"undid '{STATUS_WORDS.get(last.action, last.action)}' on item "
                                   f"{last.position + 1}"), show=last.position + 1)

    def last_decision(self) -> LoggedDecision | None:
        return self.store.last_decision(self.dataset_id, self.annotator)

    def progress(self) -> Progress:
        return self.store.progress(self.dataset_id, self.annotator)

    def labels(self) -> tuple[str, ...]:
        return self.store.labels(self.dataset_id)

    def agreement(self) -> tuple[int, float]:
        return self.store.agreement(self.dataset_id)

    @staticmethod
    def starting_entities(view: ItemView) -> tuple[Entity, ...]:
        """What the editor starts from: the annotator's saved entities, else the projection."""
        return rules.starting_entities(view.status, view.entities, view.projection)

    @staticmethod
    def keep_action(view: ItemView, entities: Sequence[Entity]) -> str:
        """``accept`` when the entities are the projection's, else ``edit`` (a correction)."""
        return rules.keep_action(view.projection.entities if view.projection is not None else (), entities)

    def neighbours(self, view: ItemView) -> tuple[int | None, int | None]:
        """The numbers of the items before and after ``view`` in the review order (of those the
        filter shows; from an item it does not show, Next goes to the first one)."""
        numbers = [position + 1 for _, position, _ in self.rows()]
        if view.number not in numbers:
            return None, (numbers[0] if numbers else None)
        at = numbers.index(view.number)
        return (numbers[at - 1] if at > 0 else None), (numbers[at + 1] if at + 1 < len(numbers) else None)

    def item_rows(self) -> list[dict[str, object]]:
        """One row per item the filter shows, in the review order."""
        return [{"item": position + 1, "state": STATUS_WORDS.get(status, "—")} for _, position, status in self.rows()]
