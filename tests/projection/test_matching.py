import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import alignments, entities, sentence_pairs
from xner.errors import ConfigError
from xner.projection.base import build_projector
from xner.projection.candidates import NgramExtractor
from xner.projection.matching import CandidateMatchingProjector
from xner.projection.scores import AlignmentScorer
from xner.projection.solvers import solve_greedy
from xner.types import Alignment, Entity, SentencePair, Span, spans_overlap


def test_articles_are_left_out_of_the_chosen_span():
    # "the Netherlands" -> "den Niederlanden": only "Niederlanden" is aligned to the entity
    p = SentencePair(("in", "the", "Netherlands"), ("in", "den", "Niederlanden"), (Entity(2, 3, "LOC"),),
                     alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]))
    assert build_projector("ngram").project(p).entities == (Entity(2, 3, "LOC"),)


def test_multi_word_entity_onto_one_word_survives_where_heuristic_drops_it():
    p = SentencePair(("European", "Parliament", "met"), ("Europaparlament", "tagte"), (Entity(0, 2, "ORG"),),
                     alignment=Alignment.of([(0, 0), (1, 0), (2, 1)]))
    assert build_projector("ngram").project(p).entities == (Entity(0, 1, "ORG"),)
    assert build_projector("heuristic").project(p).entities == ()


class Constant:
    name = "prior"

    def score(self, pair, entity_index, spans):
        return np.array([0.5 if s == Span(0, 1) else 0.0 for s in spans])


def test_extra_scores_are_fused_with_weights():
    p = SentencePair(("A", "B"), ("x", "y"), (Entity(0, 1, "PER"),), alignment=Alignment.of([(0, 1)]))
    plain = CandidateMatchingProjector().project(p)
    assert plain.entities == (Entity(1, 2, "PER"),)
    fused = CandidateMatchingProjector(scorers=(AlignmentScorer(), Constant()),
                                       weights={"alignment": 0.4, "prior": 1.0}).project(p)
    assert fused.entities == (Entity(0, 1, "PER"),)
    chosen = next(c for c in fused.candidates if c.chosen)
    assert chosen.scores == {"alignment": 0.0, "prior": 0.5, "word_dice": 0.0} and chosen.total == pytest.approx(0.5)


def test_weights_must_name_configured_scorers():
    with pytest.raises(ConfigError, match="ner"):
        CandidateMatchingProjector(weights={"alignment": 1.0, "ner": 0.5})


def test_candidates_from_several_extractors_are_merged_with_their_origins():
    p = SentencePair(("A",), ("x", "y"), (Entity(0, 1, "PER"),), alignment=Alignment.of([(0, 0)]))
    projector = CandidateMatchingProjector(extractors=(NgramExtractor(max_len=1), NgramExtractor(name="dict", max_len=2)))
    origins = {c.span: c.origin for c in projector.project(p).candidates}
    assert origins[Span(0, 1)] == "ngram+dict" and origins[Span(0, 2)] == "dict"


@settings(max_examples=200, deadline=None)
@given(sentence_pairs())
def test_matching_properties_and_greedy_vs_exact(p):
    greedy = build_projector("ngram").project(p)
    exact = build_projector("ngram", solver="exact").project(p)
    windowed = build_projector("ngram", window=True).project(p)
    for result in (greedy, exact, windowed):
        assert all(0 <= e.start < e.end <= len(p.target_words) for e in result.entities)
        assert not spans_overlap(result.entities)
        chosen = [c for c in result.candidates if c.chosen]
        assert len({c.entity_index for c in chosen}) == len(chosen) == len(result.entities)
        for c in chosen:
            assert p.source_entities[c.entity_index].label in {e.label for e in result.entities}
            assert c.total > 0
    # the window loses nothing when only alignment scores are used
    assert windowed.entities == greedy.entities

    def total(result):
        return sum(c.total for c in result.candidates if c.chosen)

    assert total(exact) >= total(greedy) - 1e-9
    assert build_projector("ngram").project(p.with_alignment(Alignment())).entities == ()


def test_link_overlap_can_exceed_one_and_word_dice_is_the_readable_share():
    # every word linked to every word: 4 links over 2 + 2 words
    p = SentencePair(("New", "York", "."), ("Nueva", "York", "."), (Entity(0, 2, "LOC"),),
                     alignment=Alignment.of([(0, 0), (0, 1), (1, 0), (1, 1), (2, 2)]))
    chosen = next(c for c in CandidateMatchingProjector().project(p).candidates if c.chosen)
    assert chosen.span == Span(0, 2) and chosen.scores["alignment"] == pytest.approx(2.0)
    assert chosen.scores["word_dice"] == pytest.approx(1.0) and chosen.total == pytest.approx(2.0)
    # one of the two target words unaligned: (2 source words + 1 target word) / 4
    p = SentencePair(("New", "York"), ("Nueva", "York"), (Entity(0, 2, "LOC"),), alignment=Alignment.of([(0, 1), (1, 1)]))
    scores = AlignmentScorer().details(p, 0, [Span(0, 2), Span(1, 2), Span(0, 1)])["word_dice"]
    assert scores.tolist() == pytest.approx([0.75, 1.0, 0.0])


@settings(max_examples=100, deadline=None)
@given(sentence_pairs())
def test_word_dice_is_between_0_and_1(p):
    for candidate in CandidateMatchingProjector().project(p).candidates:
        assert 0.0 <= candidate.scores["word_dice"] <= 1.0
        assert candidate.scores["word_dice"] > 0  # a live candidate has a link


@st.composite
def punctuated_pairs(draw, max_words: int = 12):
    """Pairs whose target words include bare punctuation and German function words."""
    n_source = draw(st.integers(1, max_words))
    n_target = draw(st.integers(1, max_words))
    return SentencePair(
        tuple(draw(st.sampled_from(["Paris", "the", "Union", "of"])) for _ in range(n_source)),
        tuple(draw(st.sampled_from(["Paris", ",", ".", "der", "Union", "!", "x"])) for _ in range(n_target)),
        draw(entities(n_source)),
        alignment=draw(alignments(n_source, n_target)),
    )


@settings(max_examples=400, deadline=None)
@given(punctuated_pairs(), st.sampled_from(["greedy", "exact"]), st.sampled_from([None, "de"]))
def test_the_default_window_chooses_what_all_ngrams_choose(p, solver, lang):
    everything = build_projector("ngram", window=False, solver=solver, trim_stop_words=lang).project(p)
    default = build_projector("ngram", solver=solver, trim_stop_words=lang).project(p)
    if solver == "greedy":  # its tie-breaking does not depend on the candidate set
        assert default.entities == everything.entities
        chosen = sorted((c.entity_index, c.span, c.total) for c in everything.candidates if c.chosen)
        assert sorted((c.entity_index, c.span, c.total) for c in default.candidates if c.chosen) == chosen
    else:  # the same optimum; equally good selections may be picked differently
        def objective(result):
            return sum(c.total for c in result.candidates if c.chosen)

        assert objective(default) == pytest.approx(objective(everything))


def test_the_published_window_is_not_exact_when_an_aligned_word_is_punctuation():
    # the entity is aligned only to ","; no span may end with it, but "x , y" contains it
    p = SentencePair(("A", "B"), ("x", ",", "y"), (Entity(0, 1, "PER"),), alignment=Alignment.of([(0, 1)]))
    assert build_projector("ngram", window=False).project(p).entities == (Entity(0, 3, "PER"),)
    assert build_projector("ngram").project(p).entities == (Entity(0, 3, "PER"),)
    assert build_projector("ngram", window=True).project(p).entities == ()


def straightforward_candidates(p, weights, window, max_len=10, stop_chars="!?"):
    """Candidate matching as METHOD §4 defines it, one candidate at a time: n-grams (in the
    aligned window, or all), links and words counted one by one, fused in weight order.
    ``prior`` is :class:`Constant`'s score. Returns ``(entity, span, scores, total)`` of every
    candidate with a positive total."""
    rows = []
    for index, entity in enumerate(p.source_entities):
        links = [(i, j) for i, j in p.alignment.links if entity.start <= i < entity.end]
        if window and not links:
            continue
        lo, hi = (min(j for _, j in links), max(j for _, j in links) + 1) if window else (0, len(p.target_words))
        for start in range(lo, hi):
            for end in range(start + 1, min(hi, start + max_len) + 1):
                if any(ch in word for word in p.target_words[start:end] for ch in stop_chars):
                    break
                inside = [(i, j) for i, j in links if start <= j < end]
                size = len(entity) + end - start
                scores = {"alignment": 2 * len(inside) / size, "prior": 0.5 if (start, end) == (0, 1) else 0.0}
                total = 0
                for name, value in scores.items():
                    total += weights.get(name, 0.0) * value
                if total > 0:
                    words_linked = len({i for i, _ in inside}) + len({j for _, j in inside})
                    rows.append((index, Span(start, end), {**scores, "word_dice": words_linked / size}, total))
    return rows


@settings(max_examples=300, deadline=None)
@given(sentence_pairs(), st.sampled_from([None, False]),
       st.sampled_from([{"alignment": 1.0}, {"alignment": 0.4, "prior": 1.0}, {"alignment": 0.3, "prior": 0.1}]))
def test_matching_gives_exactly_the_straightforward_candidates_scores_and_choices(p, window, weights):
    projector = CandidateMatchingProjector(extractors=(NgramExtractor(window=window),),
                                           scorers=(AlignmentScorer(), Constant()), weights=weights)
    result = projector.project(p)
    expected = straightforward_candidates(p, weights, window is None)
    # the same floats bit for bit (==, not approx), details included, in the same order
    assert [(c.entity_index, c.span, dict(c.scores), c.total) for c in result.candidates] == expected
    assert all(c.origin == "ngram" for c in result.candidates)
    decisions = solve_greedy([(index, span, total) for index, span, _, total in expected])
    assert [(c.chosen, c.reason) for c in result.candidates] == decisions
    assert result.entities == tuple(sorted(Entity(c.span.start, c.span.end, p.source_entities[c.entity_index].label)
                                           for c in result.candidates if c.chosen))


def test_details_are_computed_once_per_entity_and_only_when_read():
    calls = []

    class Counting(AlignmentScorer):
        def details(self, pair, entity_index, spans):
            calls.append(entity_index)
            return super().details(pair, entity_index, spans)

    p = SentencePair(("New", "York", "and", "Paris"), ("Nueva", "York", "y", "París"),
                     (Entity(0, 2, "LOC"), Entity(3, 4, "LOC")),
                     alignment=Alignment.of([(0, 0), (1, 1), (2, 2), (3, 3)]))
    result = CandidateMatchingProjector(scorers=(Counting(),)).project(p)
    assert calls == [] and len(result.candidates) > 2
    first, *rest = result.candidates
    assert first.scores["word_dice"] > 0 and calls == [first.entity_index]
    for c in rest:
        dict(c.scores)
    assert sorted(calls) == [0, 1]


def test_lazy_scores_read_compare_print_and_pickle_as_a_plain_dict():
    p = SentencePair(("New", "York"), ("Nueva", "York"), (Entity(0, 2, "LOC"),),
                     alignment=Alignment.of([(0, 1), (1, 1)]))
    result = CandidateMatchingProjector().project(p)
    for c in result.candidates:
        plain = dict(c.scores)
        assert c.scores == plain and plain == c.scores and repr(c.scores) == repr(plain)
        assert list(c.scores) == ["alignment", "word_dice"] and len(c.scores) == 2
    copied = pickle.loads(pickle.dumps(result))
    assert copied == result and all(type(c.scores) is dict for c in copied.candidates)
