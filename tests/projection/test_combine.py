import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.strategies import LABELS, entities
from xner.errors import ConfigError
from xner.evaluation.metrics import evaluate
from xner.io.tags import entities_to_tags, tags_to_entities
from xner.ner.base import TaggedSentence
from xner.ner.decoding import decode_iob2
from xner.projection.base import build_projector
from xner.projection.combine import (
    combine, complete, confirm, entity_probability, mix, parse_combination, relabel, source_probabilities,
)
from xner.types import Alignment, Entity, SentencePair, Span, spans_overlap

TAGS = ["O"] + [f"{p}-{label}" for label in LABELS for p in "BI"]


def tagged_from(rows):
    """A tagger's output from per-word rows of probabilities over TAGS, decoded as the head decodes."""
    probs = np.asarray(rows, dtype=float)
    probs /= probs.sum(axis=1, keepdims=True)
    entities = tuple(tags_to_entities(decode_iob2(np.log(probs), TAGS)))
    return TaggedSentence(entities, tuple(dict(zip(TAGS, row.tolist())) for row in probs))


def sure(*tags, p=0.9):
    """Per word, ``p`` on the given tag and the rest spread evenly over the others."""
    return tagged_from([[p if t == tag else (1 - p) / (len(TAGS) - 1) for t in TAGS] for tag in tags])


@st.composite
def cases(draw, max_words: int = 10):
    """(projected entities, tagger output) for one sentence."""
    n = draw(st.integers(1, max_words))
    row = st.lists(st.floats(0.01, 1.0), min_size=len(TAGS), max_size=len(TAGS))
    rows = draw(st.lists(row, min_size=n, max_size=n))
    return draw(entities(n)), tagged_from(rows)


# -- hand-built cases ------------------------------------------------------------------

def test_complete_adds_only_confident_tagger_entities_that_overlap_nothing_projected():
    #          Merkel   trifft  Macron   in     Paris
    tagged = sure("B-PER", "O", "B-PER", "O", "B-LOC", p=0.9)
    assert tagged.entities == (Entity(0, 1, "PER"), Entity(2, 3, "PER"), Entity(4, 5, "LOC"))
    projected = (Entity(0, 2, "ORG"),)  # overlaps the tagger's Merkel: that one is not added
    assert complete(projected, tagged, 0.8) == (Entity(0, 2, "ORG"), Entity(2, 3, "PER"), Entity(4, 5, "LOC"))
    assert complete(projected, tagged, 0.95) == projected


def test_entity_probability_is_the_mean_probability_of_its_own_tags():
    tagged = sure("B-ORG", "I-ORG", p=0.8)
    assert entity_probability(tagged.probabilities, Entity(0, 2, "ORG")) == pytest.approx(0.8)
    assert entity_probability(tagged.probabilities, Entity(0, 2, "PER")) == pytest.approx(0.2 / 8)


def test_relabel_takes_the_tagger_label_only_when_it_is_sure_enough():
    tagged = sure("B-ORG", "I-ORG", "O", p=0.9)
    projected = (Entity(0, 2, "LOC"),)
    # switch when w·(m_ORG − m_LOC) > 1 − w: m_ORG − m_LOC = 0.9 − 0.025 = 0.875
    assert relabel(projected, tagged, 0.6) == (Entity(0, 2, "ORG"),)  # 0.6·0.875 = 0.525 > 0.4
    assert relabel(projected, tagged, 0.5) == projected  # 0.4375 < 0.5
    assert relabel(projected, tagged, 0.0) == projected


def test_mix_lets_a_sure_tagger_outvote_a_light_projection():
    tagged = sure("B-PER", "I-PER", "O", p=0.97)
    projected = (Entity(1, 3, "LOC"),)
    assert mix(projected, tagged, 0.2) == projected
    assert mix(projected, tagged, 0.8) == (Entity(0, 2, "PER"),)


def test_confirm_keeps_what_either_side_is_sure_of():
    tagged = sure("B-PER", "O", "B-LOC", "O", p=0.9)
    projected = (Entity(0, 1, "PER"), Entity(1, 2, "ORG"), Entity(3, 4, "LOC"))
    sources = {Span(0, 1): 0.3, Span(1, 2): 0.95, Span(3, 4): 0.4}  # (3, 4): neither side is sure
    assert confirm(projected, tagged, 0.8, sources) == (Entity(0, 1, "PER"), Entity(1, 2, "ORG"))
    assert confirm(projected, tagged, 0.8) == projected  # unknown sources count as sure
    assert confirm(projected, tagged, 0.0, sources) == projected


def test_mix_weighs_each_projected_entity_by_its_source_probability():
    tagged = sure("O", "O", p=0.7)
    projected = (Entity(0, 1, "PER"), Entity(1, 2, "LOC"))
    # projected word: (1 − w)·c on its tag against (1 − w)·(1 − c) + w·0.7 on O, w = 0.3
    assert mix(projected, tagged, 0.3, {Span(0, 1): 0.9, Span(1, 2): 0.5}) == (Entity(0, 1, "PER"),)
    assert mix(projected, tagged, 0.3) == projected


def test_source_probabilities_follow_the_chosen_candidates_to_their_source_entities():
    pair = SentencePair(("Ada", "met", "Bob"), ("Bob", "traf", "Ada"), (Entity(0, 1, "PER"), Entity(2, 3, "ORG")),
                        alignment=Alignment.of([(0, 2), (2, 0), (1, 1)]))
    projection = build_projector("ngram").project(pair)
    assert projection.entities == (Entity(0, 1, "ORG"), Entity(2, 3, "PER"))
    source = sure("B-PER", "O", "B-ORG", p=0.8)
    found = source_probabilities(projection, pair, source)
    assert found == pytest.approx({Span(2, 3): 0.8, Span(0, 1): 0.8})
    weaker = sure("B-PER", "O", "B-PER", p=0.8)  # the source tagger doubts Bob is an ORG
    assert source_probabilities(projection, pair, weaker)[Span(0, 1)] == pytest.approx(0.2 / 8)
    assert source_probabilities(projection, pair, TaggedSentence(source.entities)) == {}
    assert source_probabilities(build_projector("heuristic").project(pair), pair, source) == found


def test_chained_rules_run_left_to_right():
    tagged = sure("B-ORG", "O", "B-PER", p=0.95)
    projected = (Entity(0, 1, "LOC"),)
    assert combine(projected, tagged, "relabel:0.7+complete:0.9") == (Entity(0, 1, "ORG"), Entity(2, 3, "PER"))
    assert combine(projected, tagged, "complete:0.9") == (Entity(0, 1, "LOC"), Entity(2, 3, "PER"))
    # unconfirmed, the projected LOC goes, and the tagger's ORG fills its place
    assert combine(projected, tagged, "confirm:0.9+complete:0.9", {Span(0, 1): 0.5}) == (
        Entity(0, 1, "ORG"), Entity(2, 3, "PER"))


@pytest.mark.parametrize("spec, message", [
    ("merge:0.5", "unknown rule 'merge'"), ("complete", "needs a number from 0 to 1"),
    ("complete:1.5", "needs a number from 0 to 1"), ("relabel:x", "needs a number from 0 to 1"),
])
def test_a_bad_rule_is_named(spec, message):
    with pytest.raises(ConfigError, match=message):
        parse_combination(spec)


def test_no_rule_is_no_combination_and_a_tagger_without_probabilities_is_refused():
    assert parse_combination("") is None and parse_combination(" + ") is None
    assert combine((Entity(1, 2, "PER"), Entity(0, 1, "LOC")), TaggedSentence(()), "") == (
        Entity(0, 1, "LOC"), Entity(1, 2, "PER"))
    with pytest.raises(ConfigError, match="per-word probabilities"):
        combine((), TaggedSentence((Entity(0, 1, "PER"),)), "complete:0.5")


def test_completing_raises_f1_as_seqeval_scores_it():
    """The score the benchmark reports, checked against seqeval itself on the same tags."""
    from seqeval.metrics import f1_score

    gold = [(Entity(0, 1, "PER"), Entity(2, 3, "PER"), Entity(4, 5, "LOC"))]
    tagged = sure("B-PER", "O", "B-PER", "O", "B-LOC", p=0.9)
    projected = [(Entity(0, 1, "PER"),)]
    for predicted in (projected, [complete(projected[0], tagged, 0.8)]):
        ours = evaluate(gold, predicted, [5]).overall.f1
        theirs = f1_score([entities_to_tags(5, gold[0])], [entities_to_tags(5, predicted[0])], mode="strict")
        assert ours == pytest.approx(theirs)
    assert evaluate(gold, [complete(projected[0], tagged, 0.8)], [5]).overall.f1 == 1.0


# -- properties ------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(cases(), st.floats(0, 1), st.floats(0, 1))
def test_complete_keeps_every_projected_entity_adds_tagger_ones_and_never_overlaps(case, low, high):
    projected, tagged = case
    low, high = sorted((low, high))
    result = complete(projected, tagged, low)
    assert set(projected) <= set(result) and set(result) - set(projected) <= set(tagged.entities)
    assert not spans_overlap(result)
    assert set(complete(projected, tagged, high)) <= set(result)  # a higher threshold adds no more


@settings(max_examples=150, deadline=None)
@given(cases(), st.floats(0, 1), st.floats(0, 1), st.data())
def test_confirm_keeps_a_subset_that_shrinks_as_the_threshold_rises(case, low, high, data):
    projected, tagged = case
    low, high = sorted((low, high))
    sources = {e.span: data.draw(st.floats(0, 1)) for e in projected}
    kept = confirm(projected, tagged, low, sources)
    assert set(confirm(projected, tagged, high, sources)) <= set(kept) <= set(projected)
    assert all(sources[e.span] >= low or entity_probability(tagged.probabilities, e) >= low for e in kept)
    assert confirm(projected, tagged, low) == tuple(sorted(projected))


@settings(max_examples=150, deadline=None)
@given(cases(), st.floats(0, 1))
def test_relabel_keeps_the_projected_spans(case, weight):
    projected, tagged = case
    result = relabel(projected, tagged, weight)
    assert [e.span for e in result] == [e.span for e in sorted(projected)]
    assert relabel(projected, tagged, 0.0) == tuple(sorted(projected))


# Ties are why the tagger's end is compared by probability, not by entities: the tagger
# decodes its tags in its own order (O first), mix in sorted order (B-LOC first), and Viterbi
# keeps the first of equals. One word, every tag as likely: the tagger says O, mix:1 LOC.
# Two words: O O and B-PER I-PER are as likely (0.4·0.2 = 0.2·0.4) though each word's best
# tag is alone, so distinct values in a row cannot rule ties out; nor can distinct values at
# all (O 0.2302158273381295 and B-ORG 0.23021582733812948 have the same log).
@example(((), tagged_from([[1.0] * len(TAGS)])), 0.5)
@example(((), tagged_from([[0.4, 0.2] + [0.1] * 7, [0.2, 0.1, 0.4] + [0.1] * 6])), 0.5)
@example(((), TaggedSentence((), ())), 0.5)  # an empty sentence, as the head tagger gives it
@settings(max_examples=150, deadline=None)
@given(cases(), st.floats(0, 1))
def test_mix_decodes_valid_entities_between_its_two_ends(case, weight):
    projected, tagged = case
    result = mix(projected, tagged, weight)
    assert not spans_overlap(result) and all(e.end <= len(tagged.probabilities) for e in result)
    assert mix(projected, tagged, 0.0) == tuple(sorted(projected))  # the projection alone
    # the tagger alone, decoded as it decodes (up to equally probable tag sequences)
    assert log_probability(tagged, mix(projected, tagged, 1.0)) == pytest.approx(log_probability(tagged, tagged.entities))


def log_probability(tagged, found):
    tags = entities_to_tags(len(tagged.probabilities), found)
    return sum(np.log(d[tag]) for d, tag in zip(tagged.probabilities, tags))
