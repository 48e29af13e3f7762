import threading

import pytest

from xner.errors import ConfigError
from xner.projection.base import build_projector
from xner.store import Store
from xner.types import Alignment, Entity, SentencePair


def items(n=4):
    result = []
    for k in range(n):
        pair = SentencePair(("Angela", "Merkel", f"w{k}"), ("Angela", "Merkel", f"v{k}"), (Entity(0, 2, "PER"),),
                            alignment=Alignment.of([(0, 0), (1, 1)]), id=str(k))
        result.append((pair, build_projector("ngram").project(pair)))
    return result


@pytest.fixture
def store(store_url):
    store = Store(store_url)
    yield store
    store.engine.dispose()


def test_review_cycle_with_undo_and_resume(store, tmp_path):
    dataset = store.create_dataset("demo", items(), "en", "de")
    first, second, third, fourth = store.item_ids(dataset)
    assert store.next_item(dataset, "ana") == first
    store.record(first, "ana", "accept", [Entity(0, 2, "PER")])
    store.record(second, "ana", "skip")
    store.record(third, "ana", "edit", [Entity(0, 1, "PER")])
    assert store.next_item(dataset, "ana") == fourth  # skipped items come after the fresh ones
    store.record(fourth, "ana", "reject")
    assert store.next_item(dataset, "ana") == second
    progress = store.progress(dataset, "ana")
    assert (progress.total, progress.accepted, progress.edited, progress.rejected, progress.skipped) == (4, 1, 1, 1, 1)
    assert store.undo(third, "ana") and store.state(third, "ana") is None
    assert not store.undo(third, "ana")
    # a fresh connection (a reload, another process) sees every decision
    again = Store(store.url)
    assert again.state(first, "ana") == ("accept", (Entity(0, 2, "PER"),))
    assert [a for _, a, _ in again.decisions(third)] == ["edit", "undo"]


def test_export_accepted_only_or_with_corrections(store):
    dataset = store.create_dataset("demo", items(3))
    a, b, c = store.item_ids(dataset)
    store.record(a, "ana", "edit", [Entity(2, 3, "LOC")])
    store.record(b, "ana", "reject")
    accepted = store.export(dataset, "ana")
    assert [(p.id, e) for p, e in accepted] == [("0", (Entity(2, 3, "LOC"),))]
    everything = store.export(dataset, "ana", accepted_only=False)
    assert [(p.id, e) for p, e in everything] == [("0", (Entity(2, 3, "LOC"),)), ("1", ()), ("2", (Entity(0, 2, "PER"),))]


def test_agreement_between_annotators(store):
    dataset = store.create_dataset("demo", items(2))
    a, b = store.item_ids(dataset)
    for annotator in ("ana", "ben"):
        store.record(a, annotator, "accept", [Entity(0, 2, "PER")])
    store.record(b, "ana", "accept", [Entity(0, 2, "PER")])
    store.record(b, "ben", "edit", [Entity(0, 1, "PER")])
    assert store.agreement(dataset) == (2, 0.5)


def test_bad_input(store):
    store.create_dataset("demo", items(1))
    with pytest.raises(ConfigError, match="exists already"):
        store.create_dataset("demo", items(1))
    ((dataset, _, _),) = store.datasets()
    (item,) = store.item_ids(dataset)
    with pytest.raises(ConfigError, match="annotator"):
        store.record(item, " ", "accept")
    with pytest.raises(ConfigError, match="unknown review action"):
        store.record(item, "ana", "approve")


def test_two_writers_at_once_lose_and_duplicate_nothing(store_url):
    url = store_url
    dataset = Store(url).create_dataset("demo", items(40))
    ids = Store(url).item_ids(dataset)
    errors = []

    def annotate(name):
        store = Store(url)  # its own engine and connections, as a second app process would have
        try:
            for item in ids:
                store.record(item, name, "accept", [Entity(0, 2, "PER")])
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=annotate, args=(name,)) for name in ("ana", "ben")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    store = Store(url)
    log = [d for item in ids for d in store.decisions(item)]
    assert len(log) == 80 and sorted({(a, x) for a, x, _ in log}) == [("ana", "accept"), ("ben", "accept")]
    assert store.progress(dataset, "ana").accepted == store.progress(dataset, "ben").accepted == 40
