import pytest

from tests.store.test_store import items
from xner.errors import StaleDecisionError
from xner.store import Store
from xner.store.drafts import discard_draft, drafted_items, load_draft, save_draft
from xner.types import Entity


@pytest.fixture
def store(store_url):
    store = Store(store_url)
    yield store
    store.engine.dispose()


def test_a_draft_lives_until_a_decision_saves_exactly_it_or_it_is_discarded(store):
    dataset = store.create_dataset("demo", items(3))
    first, second, third = store.item_ids(dataset)
    edited = (Entity(0, 1, "PER"), Entity(2, 3, "MISC"))
    save_draft(store, first, "ana", 0, edited, 2)
    save_draft(store, first, "ana", 0, edited[:1], 3)  # the newest edits replace the older ones
    draft = load_draft(store, first, "ana")
    assert (draft.revision, draft.entities, draft.edits) == (0, edited[:1], 3)
    assert load_draft(store, first, "bob") is None  # one annotator's edits are not another's

    # another tab accepts the projection: refused here is nothing, but the draft stays
    store.record(first, "ana", "accept", [Entity(0, 2, "PER")], revision=0)
    with pytest.raises(StaleDecisionError):
        store.record(first, "ana", "edit", edited[:1], revision=0)
    assert load_draft(store, first, "ana").entities == edited[:1]
    # a reject leaves it too (undoing the reject finds the edits again); saving exactly it settles it
    store.record(first, "ana", "reject")
    assert load_draft(store, first, "ana") is not None
    store.record(first, "ana", "edit", edited[:1])
    assert load_draft(store, first, "ana") is None

    save_draft(store, second, "ana", 0, (), 1)
    assert drafted_items(store, "ana", [first, second, third]) == {second}
    assert discard_draft(store, second, "ana") and not discard_draft(store, second, "ana")
    assert load_draft(store, second, "ana") is None


def test_drafts_go_with_their_dataset(store):
    dataset = store.create_dataset("demo", items(1))
    (item,) = store.item_ids(dataset)
    save_draft(store, item, "ana", 0, (), 1)
    store.delete_dataset(dataset)
    assert load_draft(store, item, "ana") is None
