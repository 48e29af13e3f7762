"""The review page's logic without a browser: what is shown, and what a refused decision says."""

import sqlite3

import pytest

from xner.errors import StoreBusyError
from xner.projection.base import build_projector
from xner.review.queue import Queue
from xner.store import Store
from xner.types import Alignment, Entity, SentencePair


@pytest.fixture
def queue(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'q.db'}", busy_ms=50, retries=3)
    items = []
    for k in range(3):
        pair = SentencePair(("Angela", "Merkel", f"w{k}"), ("Angela", "Merkel", f"v{k}"), (Entity(0, 2, "PER"),),
                            alignment=Alignment.of([(0, 0), (1, 1)]), id=str(k))
        items.append((pair, build_projector("ngram").project(pair)))
    return Queue(store, store.create_dataset("demo", items), "ana")


def test_the_url_item_or_the_first_not_reviewed(queue):
    assert queue.current(None).number == 1 and queue.current("3").number == 3
    assert queue.current("99").number == 1 and queue.current("x").number == 1 and queue.current("done").number == 1
    view = queue.current("1")
    outcome = queue.decide(view.item_id, view.revision, "accept", view.projection.entities)
    assert outcome == type(outcome)(None, show=2)
    assert queue.current(None).number == 2


def test_a_refused_decision_stays_on_its_item_and_says_why(queue):
    view = queue.current("2")
    queue.decide(view.item_id, view.revision, "accept", view.projection.entities)
    outcome = queue.decide(view.item_id, view.revision, "reject", ())  # the same view, again
    assert outcome.show == 2 and outcome.notice[0] == "warning" and "changed since it was shown" in outcome.notice[1]
    outcome = queue.decide(queue.current("3").item_id, 0, "edit", [Entity(0, 2, "PRE")])
    assert outcome.notice == ("error", "label PRE is not used in this dataset; use one of: LOC, MISC, ORG, PER")


def test_a_locked_store_keeps_the_decision_on_screen(queue):
    """Another process holds the write lock through every retry: a clear message, nothing
    lost (the item and its revision are unchanged, so pressing again stores it)."""
    view = queue.current("1")
    path = queue.store.url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusyError):
            queue.store.record(view.item_id, "ana", "accept", view.projection.entities, revision=view.revision)
        outcome = queue.decide(view.item_id, view.revision, "accept", view.projection.entities)
        assert outcome.show == 1 and outcome.notice[0] == "error"
        assert "still on screen" in outcome.notice[1] and "Traceback" not in outcome.notice[1]
        assert queue.current("1").revision == view.revision  # reads go on while the lock is held
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert queue.decide(view.item_id, view.revision, "accept", view.projection.entities).show == 2


def test_undo_shows_the_item_it_reverted(queue):
    first, second = queue.current("1"), queue.current("2")
    queue.decide(first.item_id, 0, "skip", ())
    queue.decide(second.item_id, 0, "reject", ())
    outcome = queue.undo(queue.last_decision().decision_id)
    assert outcome == type(outcome)(("success", "undid 'rejected' on item 2"), show=2)
    assert queue.undo(queue.last_decision().decision_id).show == 1
    assert queue.undo(0).notice == ("warning", "nothing to undo: you have no decision in this dataset")


def test_keep_action_and_starting_entities(queue):
    view = queue.current("1")
    assert queue.keep_action(view, view.projection.entities) == "accept"
    assert queue.keep_action(view, [Entity(0, 1, "PER")]) == "edit"
    queue.decide(view.item_id, 0, "edit", [Entity(0, 1, "PER")])
    assert queue.starting_entities(queue.current("1")) == (Entity(0, 1, "PER"),)
    assert [r["state"] for r in queue.item_rows()] == ["corrected", "—", "—"]


def test_neighbours_follow_the_review_order(queue):
    by_position = queue.current("2")
    assert queue.neighbours(by_position) == (1, 3)
    lowest_first = Queue(queue.store, queue.dataset_id, "ana", "score")
    order = [row["item"] for row in lowest_first.item_rows()]
    middle = lowest_first.current(str(order[1]))
    assert lowest_first.neighbours(middle) == (order[0], order[2])
    assert lowest_first.neighbours(lowest_first.current(str(order[0])))[0] is None
