import pytest

from tests.store.test_store import items
from xner.store import Store
from xner.store.drafts import save_draft
from xner.store.propagate import apply_proposals, propose
from xner.types import Entity


@pytest.fixture
def store(store_url):
    store = Store(store_url)
    yield store
    store.engine.dispose()


def test_a_correction_is_offered_where_the_same_entity_projects_the_same_way(store):
    dataset = store.create_dataset("demo", items(5))  # "Angela Merkel" → "Angela Merkel" PER in each
    ids = store.item_ids(dataset)
    assert propose(store, dataset, "ana", ids[0]) == []  # nothing corrected yet
    store.record(ids[0], "ana", "edit", [Entity(1, 2, "PER")])  # the boundary: "Merkel" only
    store.record(ids[1], "ana", "accept", [Entity(0, 2, "PER")])  # reviewed: left alone
    save_draft(store, ids[2], "ana", 0, (), 1)  # unsaved edits: left alone
    proposals = propose(store, dataset, "ana", ids[0])
    assert [p.item_id for p in proposals] == [ids[3], ids[4]]
    assert proposals[0].entities == (Entity(1, 2, "PER"),)
    assert proposals[0].row() == {"item": 4, "source entity": "Angela Merkel (PER)",
                                  "projected": "Angela Merkel (PER)", "becomes": "Merkel (PER)"}
    result = apply_proposals(store, dataset, "ana", proposals)
    assert result.written == 2 and store.state(ids[4], "ana") == ("edit", (Entity(1, 2, "PER"),))
    store.undo_last(dataset, "ana")  # the whole batch, one step
    assert store.state(ids[3], "ana") is None and store.state(ids[4], "ana") is None
    assert store.state(ids[0], "ana")[0] == "edit"


def test_a_deletion_and_a_label_travel_too(store):
    dataset = store.create_dataset("demo", items(3))
    ids = store.item_ids(dataset)
    store.record(ids[0], "ana", "edit", [])
    assert [p.row()["becomes"] for p in propose(store, dataset, "ana", ids[0])] == ["removed", "removed"]
    store.record(ids[1], "ana", "edit", [Entity(0, 2, "ORG")])
    proposals = propose(store, dataset, "ana", ids[1])
    assert [p.item_id for p in proposals] == [ids[2]] and proposals[0].entities == (Entity(0, 2, "ORG"),)
