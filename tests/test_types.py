import pytest

from xner.types import Alignment, Entity, ProjectionResult, Candidate, Span, spans_overlap


def test_span_rejects_empty_and_negative_ranges():
    for start, end in [(2, 2), (3, 1), (-1, 2)]:
        with pytest.raises(ValueError):
            Span(start, end)


def test_overlap_is_half_open():
    assert not Span(0, 2).overlaps(Span(2, 3))
    assert Span(0, 3).overlaps(Span(2, 4))
    assert spans_overlap([Entity(0, 2, "PER"), Entity(1, 3, "LOC")])
    assert not spans_overlap([Entity(0, 2, "PER"), Entity(2, 3, "LOC")])


def test_alignment_lookups_and_inversion():
    a = Alignment.of([(0, 1), (1, 1), (2, 0)], {(0, 1): 0.9})
    assert a.targets_of([0, 1]) == {1}
    assert a.sources_of([1]) == {0, 1}
    inverted = a.inverted()
    assert inverted.links == frozenset({(1, 0), (1, 1), (0, 2)})
    assert inverted.scores == {(1, 0): 0.9}
    with pytest.raises(ValueError, match="2-0"):
        a.check_bounds(2, 2)


def test_candidates_for_orders_best_first():
    c = [Candidate(0, Span(0, 1), "ngram", {}, 0.2), Candidate(0, Span(1, 2), "ngram", {}, 0.9),
         Candidate(1, Span(3, 4), "ngram", {}, 1.0)]
    result = ProjectionResult((), tuple(c))
    assert [x.total for x in result.candidates_for(0)] == [0.9, 0.2]
