import threading

import pytest

from xner.errors import ConfigError
from xner.projection.base import build_projector
from xner.store import Store
from xner.types import Alignment, Entity, SentencePair


def run_together(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join()


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
    # a rejected item is never exported: all-O would say "no entities here"
    assert [(p.id, e) for p, e in everything] == [("0", (Entity(2, 3, "LOC"),)), ("2", (Entity(0, 2, "PER"),))]


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

    run_together([threading.Thread(target=annotate, args=(name,)) for name in ("ana", "ben")])
    assert not errors
    store = Store(url)
    log = [d for item in ids for d in store.decisions(item)]
    assert len(log) == 80 and sorted({(a, x) for a, x, _ in log}) == [("ana", "accept"), ("ben", "accept")]
    assert store.progress(dataset, "ana").accepted == store.progress(dataset, "ben").accepted == 40


def test_a_decision_on_a_view_that_changed_is_refused_and_stores_nothing(store):
    from xner.errors import StaleDecisionError

    dataset = store.create_dataset("demo", items(3))
    first, second, _ = store.item_ids(dataset)
    tab1, tab2 = store.view(second, "ana"), store.view(second, "ana")  # two tabs show item 2
    assert tab1.revision == tab2.revision == 0 and tab1.number == 2
    store.record(second, "ana", "accept", [Entity(0, 2, "PER")], revision=tab1.revision)
    with pytest.raises(StaleDecisionError, match="item 2 changed since it was shown"):
        store.record(second, "ana", "reject", revision=tab2.revision)
    assert store.state(second, "ana")[0] == "accept"
    assert [a for _, a, _ in store.decisions(second)] == ["accept"]  # the refused one left no trace
    # the same key pressed twice on one view: the second press is refused, not applied elsewhere
    view = store.view(first, "ana")
    store.record(first, "ana", "accept", [Entity(0, 2, "PER")], revision=view.revision)
    with pytest.raises(StaleDecisionError):
        store.record(first, "ana", "accept", [Entity(0, 2, "PER")], revision=view.revision)
    # a fresh view of the changed item can be decided on; another annotator is unaffected
    store.record(second, "ana", "reject", revision=store.view(second, "ana").revision)
    store.record(second, "ben", "accept", [Entity(0, 2, "PER")], revision=0)
    assert store.state(second, "ana")[0] == "reject" and store.state(second, "ben")[0] == "accept"


def test_undo_steps_back_through_the_annotators_own_log_across_restarts(store):
    dataset = store.create_dataset("demo", items(3))
    a, b, c = store.item_ids(dataset)
    store.record(a, "ana", "skip")
    store.record(b, "ana", "accept", [Entity(0, 2, "PER")])
    store.record(a, "ben", "reject")  # someone else's decision is not ana's to undo
    store.record(a, "ana", "accept", [Entity(0, 2, "PER")])
    assert store.last_decision(dataset, "ana").item_id == a
    again = Store(store.url)  # a reload or a restarted server: the log is the truth
    assert again.undo_last(dataset, "ana") == a and again.state(a, "ana")[0] == "skip"
    assert again.undo_last(dataset, "ana") == b and again.state(b, "ana") is None
    assert again.undo_last(dataset, "ana") == a and again.state(a, "ana") is None
    assert again.undo_last(dataset, "ana") is None
    assert store.state(a, "ben")[0] == "reject"
    # a decision after undos is undone first; an undo offered for an older decision is refused
    store.record(c, "ana", "edit", [Entity(2, 3, "LOC")])
    from xner.errors import StaleDecisionError

    with pytest.raises(StaleDecisionError):
        store.undo_last(dataset, "ana", expected=12345)
    assert store.undo_last(dataset, "ana", expected=store.last_decision(dataset, "ana").decision_id) == c
    assert [d.item_id for d in store.history(dataset, "ana")] == []


def test_agreement_counts_the_decision_not_only_the_entities(store):
    pair = SentencePair(("nothing", "here"), ("nada", "aquí"), (), alignment=Alignment.of([(0, 0)]), id="0")
    dataset = store.create_dataset("demo", [(pair, build_projector("ngram").project(pair))])
    (item,) = store.item_ids(dataset)
    store.record(item, "ana", "accept", [])
    store.record(item, "ben", "reject")
    assert store.agreement(dataset) == (1, 0.0)


def test_corrections_use_the_datasets_labels(store):
    dataset = store.create_dataset("demo", items(1))
    (item,) = store.item_ids(dataset)
    assert store.labels(dataset) == ("LOC", "MISC", "ORG", "PER")  # the data has PER: the CoNLL set
    with pytest.raises(ConfigError, match="label PRE is not used in this dataset; use one of: LOC, MISC, ORG, PER"):
        store.record(item, "ana", "edit", [Entity(0, 2, "PRE")])
    assert store.state(item, "ana") is None
    store.record(item, "ana", "edit", [Entity(0, 2, "ORG")])


def test_a_dataset_appears_only_when_its_import_is_complete(store):
    dataset = store.reserve_dataset("big")
    store.add_items(dataset, items(5), chunk=2)
    assert store.datasets() == [] and store.datasets(include_importing=True) == [(dataset, "big", 5)]
    with pytest.raises(ConfigError, match="exists already"):
        store.check_dataset_name(" big ")
    with pytest.raises(ConfigError, match="a dataset named 'big' exists already"):
        store.check_dataset_name("BIG")
    store.finish_dataset(dataset)
    assert store.datasets() == [(dataset, "big", 5)]

    def failing():
        yield from items(3)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        store.create_dataset("broken", failing(), chunk=2)
    assert [name for _, name, _ in store.datasets(include_importing=True)] == ["big"]  # nothing half-written


def test_same_annotator_in_two_processes_first_decisions_race(store_url):
    """Two app processes of one annotator decide the same fresh item at once: one wins, the
    other is refused as stale (never a UniqueViolation), and with no revision both land."""
    from xner.errors import StaleDecisionError

    dataset = Store(store_url).create_dataset("demo", items(30))
    ids = Store(store_url).item_ids(dataset)
    outcomes, errors = [], []
    barrier = threading.Barrier(2)

    def annotate(action):
        store = Store(store_url)
        for item in ids:
            barrier.wait()
            try:
                store.record(item, "ana", action, [] if action == "reject" else [Entity(0, 2, "PER")], revision=0)
                outcomes.append((item, action))
            except StaleDecisionError:
                pass
            except Exception as error:  # noqa: BLE001
                errors.append(error)
        store.engine.dispose()

    run_together([threading.Thread(target=annotate, args=(a,)) for a in ("accept", "reject")])
    assert not errors
    store = Store(store_url)
    assert sorted(i for i, _ in outcomes) == ids  # exactly one decision per item
    assert {i: store.state(i, "ana")[0] for i in ids} == dict(outcomes)
    # without a revision (scripts): an upsert, both land, the later one is the state
    for action in ("accept", "reject"):
        store.record(ids[0], "ben", action, [Entity(0, 2, "PER")] if action == "accept" else [])
    assert store.state(ids[0], "ben")[0] == "reject"


def test_first_starts_at_once_create_the_tables_once(store_url):
    errors = []

    def start():
        try:
            Store(store_url).engine.dispose()
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    run_together([threading.Thread(target=start) for _ in range(4)])
    assert not errors
    assert Store(store_url).datasets() == []


WRITER = """
import sys
from xner.store import Store
from xner.types import Entity
store = Store(sys.argv[1])
for item in map(int, sys.argv[2:]):
    store.record(item, "ana", "accept", [Entity(0, 2, "PER")], revision=0)
    print(item, flush=True)  # acknowledged: the transaction committed
"""


def test_kill_9_of_a_writer_loses_no_acknowledged_decision(store_url):
    import signal
    import subprocess
    import sys

    dataset = Store(store_url).create_dataset("demo", items(400))
    ids = Store(store_url).item_ids(dataset)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, store_url, *map(str, ids)], stdout=subprocess.PIPE,
                              text=True)
    acknowledged = [int(writer.stdout.readline()) for _ in range(20)]
    writer.send_signal(signal.SIGKILL)
    rest, _ = writer.communicate()
    acknowledged += [int(line) for line in rest.split()]
    assert len(acknowledged) < len(ids)  # killed mid-run
    store = Store(store_url)
    decided = [i for i in ids if store.state(i, "ana") is not None]
    assert set(acknowledged) <= set(decided) and decided == ids[: len(decided)]
    assert all(len(store.decisions(i)) == 1 for i in decided)  # a decision and its state, or neither
    # the store is not left locked: the next writer goes on at once
    following = ids[len(decided)]
    store.record(following, "ana", "accept", [Entity(0, 2, "PER")], revision=0)
    assert store.state(following, "ana")[0] == "accept"


def test_reviewers_work_while_a_big_import_writes(store_url):
    """An import of 3,000 pairs in chunks while two annotators decide: every decision lands,
    no error, and reads go on."""
    from xner.errors import StaleDecisionError

    dataset = Store(store_url).create_dataset("reviewed", items(60))
    ids = Store(store_url).item_ids(dataset)
    errors, decided = [], []
    import_done = threading.Event()
    pair, projection = items(1)[0]

    def importer():
        try:
            Store(store_url).create_dataset("big", ((pair, projection) for _ in range(3000)), chunk=100)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            import_done.set()

    def annotate(name):
        store = Store(store_url)
        for item in ids:
            try:
                view = store.view(item, name)
                store.progress(dataset, name)
                store.record(item, name, "accept", [Entity(0, 2, "PER")], revision=view.revision)
                decided.append((name, item))
            except StaleDecisionError as error:
                errors.append(error)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
        store.engine.dispose()

    run_together([threading.Thread(target=importer)] + [threading.Thread(target=annotate, args=(n,))
                                                       for n in ("ana", "ben")])
    assert not errors and len(decided) == 120
    store = Store(store_url)
    assert store.progress(dataset, "ana").accepted == store.progress(dataset, "ben").accepted == 60
    assert sorted((name, n) for _, name, n in store.datasets()) == [("big", 3000), ("reviewed", 60)]


def test_lowest_score_first_order(store):
    from xner.io.jsonl import pair_to_record
    from xner.store.datasets import record_score

    def pair(k, links):
        return SentencePair(("Angela", "Merkel", "came"), ("Angela", "Merkel", f"kam{k}"), (Entity(0, 2, "PER"),),
                            alignment=Alignment.of(links), id=str(k))

    sure, unsure, lost = pair(0, [(0, 0), (1, 1)]), pair(1, [(0, 0), (1, 2)]), pair(2, [(2, 2)])
    projector = build_projector("ngram")
    dataset = store.create_dataset("demo", [(p, projector.project(p)) for p in (sure, unsure, lost)]
                                   + [(SentencePair(("x",), ("y",), ()), None)])
    scores = [record_score(pair_to_record(*store.item(i))) for i in store.item_ids(dataset)]
    assert scores[3] is None and scores[0] > scores[1] > 0
    order = [position for _, position, _ in store.statuses(dataset, "ana", "score")]
    assert order == sorted(range(4), key=lambda k: (scores[k] is None, scores[k] or 0, k))
    assert store.next_item(dataset, "ana", order="score") == store.item_ids(dataset)[order[0]]
    first = store.item_ids(dataset)[order[0]]
    store.record(first, "ana", "reject")
    assert store.next_item(dataset, "ana", after=order[0], order="score") == store.item_ids(dataset)[order[1]]
    with pytest.raises(ConfigError, match="unknown review order"):
        store.statuses(dataset, "ana", "random")
