import random

import pytest
from sklearn.metrics import cohen_kappa_score

from tests.store.test_store import items
from xner.store import Store
from xner.store.agreement import cohen_kappa, pair_agreement, span_f1
from xner.types import Entity


def test_kappa_matches_scikit_learn():
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 30)
        a = [rng.choice(["accept", "edit", "reject"]) for _ in range(n)]
        b = [x if rng.random() < 0.6 else rng.choice(["accept", "edit", "reject"]) for x in a]
        expected = cohen_kappa_score(a, b) if len(set(a) | set(b)) > 1 else 1.0
        assert cohen_kappa(a, b) == pytest.approx(expected)


def test_span_f1_counts_exact_spans():
    assert span_f1([{(0, 2, "PER")}], [{(0, 2, "PER")}]) == 1.0
    assert span_f1([{(0, 2, "PER"), (3, 4, "LOC")}], [{(0, 2, "PER"), (3, 4, "ORG")}]) == 0.5
    assert span_f1([set()], [set()]) == 1.0


def test_agreement_per_pair_with_the_items_to_adjudicate(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    dataset = store.create_dataset("demo", items(4))
    ids = store.item_ids(dataset)
    for annotator, decisions in {"ana": ["accept", "accept", "reject", "accept"],
                                 "bob": ["accept", "edit", "reject", None],
                                 "cy": [None, None, None, "skip"]}.items():
        for item, action in zip(ids, decisions):
            if action:
                entities = [Entity(0, 1, "PER")] if action == "edit" else [Entity(0, 2, "PER")]
                store.record(item, annotator, action, entities if action != "reject" else [])
    (pair,) = pair_agreement(store, dataset)  # cy only skipped: reviewed nothing
    assert (pair.first, pair.second, pair.items, pair.kept) == ("ana", "bob", 3, 2)
    assert pair.kappa == pytest.approx(cohen_kappa_score(["accept", "accept", "reject"], ["accept", "edit", "reject"]))
    assert pair.f1 == pytest.approx(0.5) and pair.disagreements == (ids[1],)
