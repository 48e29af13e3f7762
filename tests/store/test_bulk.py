import pytest

from tests.store.test_store import items
from xner.store import Store
from xner.store.bulk import accept_projections, batch_size
from xner.store.drafts import save_draft
from xner.types import Entity


@pytest.fixture
def store(store_url):
    store = Store(store_url)
    yield store
    store.engine.dispose()


def test_bulk_accept_leaves_what_a_reviewer_did_and_is_undone_in_one_step(store):
    dataset = store.create_dataset("demo", items(6))
    ids = store.item_ids(dataset)
    store.record(ids[0], "ana", "edit", [Entity(0, 1, "PER")])
    store.record(ids[1], "ana", "skip")
    save_draft(store, ids[2], "ana", 0, (), 1)  # unsaved edits: never accepted over
    store.record(ids[5], "ana", "reject")
    result = accept_projections(store, dataset, "ana", ids)
    assert (result.written, result.skipped) == (3, 3)  # the skipped one and the two fresh ones
    states = {i: store.state(i, "ana") for i in ids}
    assert states[ids[0]] == ("edit", (Entity(0, 1, "PER"),)) and states[ids[5]][0] == "reject"
    assert states[ids[2]] is None
    assert states[ids[1]] == states[ids[3]] == states[ids[4]] == ("accept", (Entity(0, 2, "PER"),))
    last = store.last_decision(dataset, "ana")
    assert last.batch == result.batch and batch_size(store, result.batch) == result.written
    store.undo_last(dataset, "ana", expected=last.decision_id)
    assert store.state(ids[1], "ana")[0] == "skip" and store.state(ids[3], "ana") is None
    assert store.state(ids[0], "ana")[0] == "edit"  # the step before the batch is untouched
    assert store.last_decision(dataset, "ana").batch is None
