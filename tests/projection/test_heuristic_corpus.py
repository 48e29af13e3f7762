"""The corpus path (``HeuristicProjector.project_corpus``) against the per-pair
``project``, its reference: same entities for every pair, whatever the settings."""

from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import LABELS, alignments, entities, sentence_pairs
from xner.projection.base import build_projector
from xner.projection.heuristic import HeuristicProjector
from xner.projection.heuristic_corpus import CorpusProjection, link_arrays
from xner.types import Alignment, Entity, SentencePair

projectors = st.builds(
    HeuristicProjector,
    merge_distance=st.integers(0, 2),
    threshold=st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0]),
    top_k=st.sampled_from([None, 1, 2]),
    drop_punctuation=st.booleans(),
    collision=st.sampled_from(["first", "longer"]),
    trim_punctuation=st.booleans(),
    derived_labels=st.sampled_from([{}, {"LOC": "MISC", "ORG": "MISC"}]),
    compound_labels=st.sampled_from([{}, {"LOC": "MISC", "ORG": "MISC", "PER": "MISC"}]),
)

# words for span finishing: English stop and content words, German ones in both cases,
# German derived forms with an ending ("Frankfurter") and compounds ("Grünen-Politik")
SOURCE_WORDS = ("the", "European", "Union", "of", "Greens", "in", "Finland", ",", "Frankfurt", "policy")
TARGET_WORDS = ("der", "Die", "die", "Union", "europäische", "finnischen", "Grünen", "von", ",", ".", "und", "!",
                "Frankfurter", "Grünen-Politik")


@st.composite
def worded_pairs(draw, max_words: int = 10):
    n_source, n_target = draw(st.integers(1, max_words)), draw(st.integers(1, max_words))
    return SentencePair(
        tuple(draw(st.lists(st.sampled_from(SOURCE_WORDS), min_size=n_source, max_size=n_source))),
        tuple(draw(st.lists(st.sampled_from(TARGET_WORDS), min_size=n_target, max_size=n_target))),
        draw(entities(n_source)), alignment=draw(alignments(n_source, n_target)),
    )


@st.composite
def overlapping_pairs(draw, max_words: int = 8):
    """Source entities in any order, nested or overlapping (the per-pair path allows them)."""
    n_source, n_target = draw(st.integers(1, max_words)), draw(st.integers(1, max_words))
    spans = draw(st.lists(st.tuples(st.integers(0, n_source - 1), st.integers(1, 3)), max_size=4))
    found = tuple(Entity(s, min(s + n, n_source), draw(st.sampled_from(LABELS))) for s, n in spans)
    return SentencePair(tuple(f"s{i}" for i in range(n_source)), tuple(f"t{j}" for j in range(n_target)),
                        found, alignment=draw(alignments(n_source, n_target)))


def with_arrays(pair: SentencePair) -> SentencePair:
    """The pair with its links held as arrays, as the aligners make them."""
    if pair.alignment is None:
        return pair
    links = sorted(pair.alignment.links)
    return pair.with_alignment(Alignment.from_arrays([i for i, _ in links], [j for _, j in links]))


def assert_same_as_per_pair(projector, pairs):
    corpus = projector.project_corpus(pairs)
    assert isinstance(corpus, CorpusProjection) and len(corpus) == len(pairs)
    for k, pair in enumerate(pairs):
        assert corpus.entities(k) == projector.project(pair).entities, k
    assert corpus.entities_per_pair() == [corpus.entities(k) for k in range(len(pairs))]


@settings(max_examples=300, deadline=None)
@given(projectors, st.lists(sentence_pairs(), max_size=8))
def test_corpus_path_equals_per_pair_projection(projector, pairs):
    assert_same_as_per_pair(projector, pairs)


@settings(max_examples=200, deadline=None)
@given(projectors, st.lists(st.tuples(sentence_pairs(), st.booleans()), max_size=8))
def test_corpus_path_equals_per_pair_with_links_as_arrays(projector, drawn):
    """Any mix of alignments made from arrays and from tuples; every pair's entities are
    also what the pair gives with its links held the other way."""
    pairs = [with_arrays(pair) if as_arrays else pair for pair, as_arrays in drawn]
    assert_same_as_per_pair(projector, pairs)
    assert (projector.project_corpus(pairs).entities_per_pair()
            == projector.project_corpus([pair for pair, _ in drawn]).entities_per_pair())


@settings(max_examples=200, deadline=None)
@given(projectors, st.sampled_from([None, "de"]), st.lists(worded_pairs(), max_size=6))
def test_corpus_path_equals_per_pair_with_span_finishing(projector, stop_words, pairs):
    projector = replace(projector, trim_stop_words=stop_words)
    assert_same_as_per_pair(projector, pairs)


@settings(max_examples=200, deadline=None)
@given(projectors, st.lists(overlapping_pairs(), max_size=6))
def test_corpus_path_equals_per_pair_when_source_entities_overlap(projector, pairs):
    assert_same_as_per_pair(projector, pairs)


def test_results_are_the_per_pair_results_built_when_read():
    pairs = [
        SentencePair(("Angela", "Merkel"), ("Angela", "Merkel"), (Entity(0, 2, "PER"),),
                     alignment=Alignment.of([(0, 0), (1, 1)])),
        SentencePair(("hello",), ("hallo",)),
        SentencePair(("in", "Finland"), ("in", "finnischen"), (Entity(1, 2, "LOC"),),
                     alignment=Alignment.of([(1, 1)])),
    ]
    projector = HeuristicProjector()
    corpus = projector.project_corpus(pairs)
    assert corpus[0] == projector.project(pairs[0]) and corpus[-1] == projector.project(pairs[2])
    assert corpus[1:] == [projector.project(p) for p in pairs[1:]]
    assert corpus.entities(2) == (Entity(1, 2, "MISC"),)  # a derived form
    assert corpus.entities(-3) == (Entity(0, 2, "PER"),)
    with pytest.raises(IndexError):
        corpus.entities(3)
    assert len(HeuristicProjector().project_corpus([])) == 0


def test_a_negative_link_fails_as_the_per_pair_projection_does():
    bad = SentencePair(("a", "b"), ("x", "y"), (Entity(0, 1, "PER"),), alignment=Alignment.of([(0, -1), (0, 0)]))
    with pytest.raises(ValueError):
        HeuristicProjector().project(bad)
    with pytest.raises(ValueError):
        HeuristicProjector().project_corpus([bad])
    # a negative link that reaches no entity changes nothing
    harmless = SentencePair(("a", "b"), ("x", "y"), (Entity(0, 1, "PER"),),
                            alignment=Alignment.of([(1, -1), (-1, 1), (0, 0)]))
    assert HeuristicProjector().project_corpus([harmless]).entities(0) == (Entity(0, 1, "PER"),)


def test_links_from_past_the_sentence_reach_nothing():
    pairs = [SentencePair(("a", "b"), ("x", "y"), (Entity(0, 1, "PER"),),
                          alignment=Alignment.of([(0, 0), (5, 1), (2**40, 1)])),
             SentencePair(("a",), ("x",), (Entity(0, 1, "ORG"),), alignment=Alignment.of([(2**31 - 1, 0)]))]
    assert_same_as_per_pair(HeuristicProjector(threshold=0.5), pairs)
    assert_same_as_per_pair(HeuristicProjector(threshold=0.5), [with_arrays(pair) for pair in pairs])  # int64, int32


@pytest.mark.parametrize("links", [
    [{(0, 1), (2, 3)}, set(), {(5, 4)}],
    [{(np.int64(1), 2)}, {(True, 0)}],  # not plain ints: the plain way
    [{(0, 2**40)}],  # past 32 bits
    [{(Fraction(3), 1)}],  # marshal cannot write it
    [],
])
def test_link_arrays_reads_every_link(links):
    alignments = [Alignment(frozenset(s)) for s in links]
    counts, source, target = link_arrays(alignments)
    expected = [(int(i), int(j)) for a in alignments for i, j in a.links]
    assert list(zip(source.tolist(), target.tolist())) == expected and counts.tolist() == list(map(len, links))


def test_link_arrays_takes_the_arrays_of_an_alignment_made_from_them():
    made = Alignment.from_arrays([2, 0, 0], [1, 3, 1])
    counts, source, target = link_arrays([made])
    assert source.dtype == target.dtype == np.int32
    assert list(zip(source.tolist(), target.tolist())) == [(0, 1), (0, 3), (2, 1)] and counts.tolist() == [3]
    wide = Alignment.from_arrays([7], [2**40])
    mixed = [Alignment.of([(5, 4)]), made, None, Alignment(), Alignment.of([(0, 2**40), (1, 1)]), made, wide]
    counts, source, target = link_arrays(mixed)
    assert list(zip(source.tolist(), target.tolist())) == [link for a in mixed if a is not None for link in
                                                            (a if a.link_array is not None else a.links)]
    assert counts.tolist() == [1, 3, 0, 0, 2, 3, 1]
    counts, source, target = link_arrays([made, wide, made])  # arrays only, one of them int64
    assert list(zip(source.tolist(), target.tolist())) == [*made, *wide, *made] and counts.tolist() == [3, 1, 3]


@pytest.mark.parametrize("derived_labels", [None, "none"])
def test_a_derived_source_word_projected_onto_its_name_takes_the_name_s_label_on_the_corpus_path(derived_labels):
    """"Sri Lankan" (MISC) onto "Sri Lanka" is LOC pair by pair (labels.BASE_NAME_LABELS); the
    corpus path missed that rule, whatever the derived-form mapping."""
    pair = SentencePair(("the", "Sri", "Lankan", "government"), ("die", "Regierung", "von", "Sri", "Lanka"),
                        (Entity(1, 3, "MISC"),), alignment=Alignment.of([(0, 0), (1, 3), (2, 4), (3, 1)]))
    projector = build_projector("heuristic", derived_labels=derived_labels)
    assert projector.project(pair).entities == (Entity(3, 5, "LOC"),)
    assert projector.project_corpus([pair, pair]).entities(1) == (Entity(3, 5, "LOC"),)
    # the CoNLL-2002 Spanish mapping asks the derived-form rule first; the name still wins over it
    unlabelled = build_projector("heuristic", derived_labels="LOC=O,ORG=O,MISC=O")
    assert unlabelled.project_corpus([pair]).entities(0) == unlabelled.project(pair).entities == (Entity(3, 5, "LOC"),)
