import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import entities
from xner.errors import MismatchError
from xner.evaluation.metrics import evaluate, evaluate_files, proj_ratio
from xner.io.conll import write_conll
from xner.types import Entity


def test_hand_counted_example():
    gold = [[Entity(0, 2, "PER"), Entity(3, 4, "LOC")], [Entity(0, 1, "ORG")]]
    pred = [[Entity(0, 2, "PER"), Entity(3, 4, "ORG")], []]
    report = evaluate(gold, pred, [5, 2])
    assert report.overall.precision == pytest.approx(1 / 2)
    assert report.overall.recall == pytest.approx(1 / 3)
    assert report.overall.f1 == pytest.approx(0.4)
    assert report.per_label["PER"].f1 == 1.0 and report.per_label["LOC"].recall == 0.0
    assert report.proj_ratio == pytest.approx((2 / 2 + 0 / 1) / 2)


def test_proj_ratio_edge_cases():
    assert proj_ratio([[]], [[]]) == 1.0
    assert proj_ratio([[]], [[Entity(0, 1, "PER")]]) == 0.0
    assert proj_ratio([[Entity(0, 1, "PER")]], [[Entity(0, 1, "PER"), Entity(1, 2, "LOC")]]) == 2.0


def test_label_filtering():
    gold = [[Entity(0, 1, "PER"), Entity(2, 3, "LOC")]]
    pred = [[Entity(0, 1, "PER"), Entity(2, 3, "LOC"), Entity(4, 5, "MISC")]]
    assert evaluate(gold, pred, [6]).overall.precision == pytest.approx(2 / 3)
    assert evaluate(gold, pred, [6], restrict_to_gold_labels=True).overall.precision == 1.0
    ignored = evaluate(gold, pred, [6], ignore=["LOC", "MISC"])
    assert ignored.overall.support == 1 and set(ignored.per_label) == {"PER"}


def test_nothing_anywhere_scores_zero_without_crashing():
    report = evaluate([[], []], [[], []], [3, 1])
    assert report.overall.f1 == 0.0 and report.proj_ratio == 1.0


@st.composite
def corpora(draw):
    lengths = draw(st.lists(st.integers(1, 12), min_size=1, max_size=6))
    gold = [draw(entities(n)) for n in lengths]
    pred = [draw(entities(n)) for n in lengths]
    return lengths, gold, pred


@settings(max_examples=200, deadline=None)
@given(corpora())
def test_agrees_with_exact_match_counting(corpus):
    lengths, gold, pred = corpus
    report = evaluate(gold, pred, lengths)
    g = {(k, e) for k, s in enumerate(gold) for e in s}
    p = {(k, e) for k, s in enumerate(pred) for e in s}
    tp = len(g & p)
    precision = tp / len(p) if p else 0.0
    recall = tp / len(g) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    assert (report.overall.precision, report.overall.recall, report.overall.f1) == pytest.approx((precision, recall, f1))


def test_files_must_hold_the_same_tokens(tmp_path):
    gold, pred = tmp_path / "g.conll", tmp_path / "p.conll"
    write_conll(gold, [(("a", "b"), [Entity(0, 1, "PER")])])
    write_conll(pred, [(("a",), [])])
    with pytest.raises(MismatchError, match="sentence 1 has 2 words"):
        evaluate_files(gold, pred)
    write_conll(pred, [(("a", "b"), []), (("c",), [])])
    with pytest.raises(MismatchError, match="has 1 sentences but"):
        evaluate_files(gold, pred)
