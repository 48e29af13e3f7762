import copy
import json
import pickle
from dataclasses import FrozenInstanceError

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xner.io.jsonl import pair_to_record, record_to_pair
from xner.io.talp import format_talp_line, parse_talp_line
from xner.types import Alignment, Candidate, Entity, ProjectionResult, SentencePair, Span, spans_overlap


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


# --- an Alignment made from arrays is the one made from tuples, in every behaviour ----------

scored_links = st.dictionaries(st.tuples(st.integers(-2, 6), st.integers(-2, 6)),
                               st.floats(0, 1, allow_nan=False), max_size=12)


def both_ways(scored: dict) -> tuple[Alignment, Alignment]:
    """The same links and scores as an Alignment made from tuples and one made from arrays
    (given in any order, some twice)."""
    links = list(scored.items())[::-1] + list(scored.items())[:2]
    made = Alignment.from_arrays([i for (i, _), _ in links], [j for (_, j), _ in links], [s for _, s in links])
    return Alignment.of(scored, scored), made


@settings(max_examples=300, deadline=None)
@given(scored_links, scored_links, st.sets(st.integers(-2, 6)), st.integers(0, 7), st.integers(0, 7))
def test_an_alignment_made_from_arrays_behaves_as_the_one_made_from_tuples(
        scored, other_scored, indices, n_source, n_target):
    tuples, arrays = both_ways(scored)
    other_tuples, other_arrays = both_ways(other_scored)
    assert arrays.link_array is not None and tuples.link_array is None
    assert arrays.links == tuples.links and type(arrays.links) is frozenset
    assert arrays.scores == tuples.scores
    assert len(arrays) == len(tuples) and bool(arrays) == bool(tuples)
    assert list(arrays) == list(tuples) and all(type(i) is int and type(j) is int for i, j in arrays)
    assert arrays == tuples and tuples == arrays and hash(arrays) == hash(tuples)
    assert (arrays == other_arrays) == (tuples == other_tuples) == (arrays == other_tuples)
    assert eval(repr(arrays), {"Alignment": Alignment}) == tuples  # a frozenset's repr has no set order
    assert arrays.targets_of(indices) == tuples.targets_of(indices)
    assert arrays.sources_of(indices) == tuples.sources_of(indices)
    assert arrays.inverted() == tuples.inverted() and arrays.inverted().scores == tuples.inverted().scores
    assert arrays.inverted().link_array is not None
    errors = []
    for alignment in (tuples, arrays):
        try:
            alignment.check_bounds(n_source, n_target)
            errors.append(None)
        except ValueError as error:
            errors.append(str(error))
    assert errors[0] == errors[1]
    for copied in (pickle.loads(pickle.dumps(arrays)), copy.copy(arrays), copy.deepcopy(arrays)):
        assert copied == tuples and copied.scores == tuples.scores and copied.link_array is not None
    assert pickle.loads(pickle.dumps(tuples)) == arrays
    assert {tuples: 1}[arrays] == 1


@settings(max_examples=100, deadline=None)
@given(scored_links.map(lambda scored: {(abs(i), abs(j)): s for (i, j), s in scored.items()}))
def test_an_alignment_made_from_arrays_round_trips_through_jsonl_and_talp(scored):
    tuples, arrays = both_ways(scored)
    pair = SentencePair(("a",) * 7, ("b",) * 7, alignment=arrays)
    record = json.loads(json.dumps(pair_to_record(pair)))
    assert record == pair_to_record(SentencePair(("a",) * 7, ("b",) * 7, alignment=tuples))
    assert record_to_pair(record)[0].alignment == arrays
    assert format_talp_line(arrays) == format_talp_line(tuples)
    assert parse_talp_line(format_talp_line(arrays)) == arrays


def test_an_alignment_made_from_arrays_is_frozen_and_keeps_no_view_of_its_input():
    source, target = np.array([1, 0]), np.array([0, 2])
    alignment = Alignment.from_arrays(source, target)
    source[0] = 5
    assert alignment.links == {(0, 2), (1, 0)} and alignment.scores == {}
    with pytest.raises(FrozenInstanceError):
        alignment.links = frozenset()
    with pytest.raises(ValueError):
        alignment.link_array[0, 0] = 3
    with pytest.raises(ValueError, match="2 sources, 1 targets"):
        Alignment.from_arrays([0, 1], [0])
    assert Alignment.from_arrays([], []) == Alignment() and not Alignment.from_arrays([], [])
    assert Alignment.from_arrays([0, 0], [1, 1], [0.2, 0.7]).scores == {(0, 1): 0.7}  # the last score


def test_an_alignment_made_from_arrays_keeps_int32_unless_an_index_needs_more():
    small, large = Alignment.from_arrays([0, 2**31 - 1], [-2**31, 1]), Alignment.from_arrays([0, 1], [2**31, 2**40])
    assert small.link_array.dtype == np.int32 and large.link_array.dtype == np.int64
    assert small == Alignment.of([(0, -2**31), (2**31 - 1, 1)]) and large == Alignment.of([(0, 2**31), (1, 2**40)])
    assert list(large) == [(0, 2**31), (1, 2**40)] and large != small
