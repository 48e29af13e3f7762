from hypothesis import given
from hypothesis import strategies as st

from xner.projection.spans import contiguous_ranges, is_punctuation, merge_ranges
from xner.types import Span


def test_contiguous_ranges():
    assert contiguous_ranges([4, 1, 2, 2]) == [Span(1, 3), Span(4, 5)]
    assert contiguous_ranges([]) == []


def test_merge_fills_one_gap_at_distance_one_only():
    ranges = [Span(0, 1), Span(2, 3), Span(5, 6)]
    assert merge_ranges(ranges, 0) == ranges
    assert merge_ranges(ranges, 1) == [Span(0, 3), Span(5, 6)]
    assert merge_ranges(ranges, 2) == [Span(0, 6)]


@given(st.sets(st.integers(0, 30)), st.integers(0, 3))
def test_merged_ranges_cover_every_index_and_stay_apart(indices, distance):
    merged = merge_ranges(contiguous_ranges(indices), distance)
    assert all(any(r.contains(i) for r in merged) for i in indices)
    assert all(b.start - a.end > distance for a, b in zip(merged, merged[1:]))
    # every range starts and ends on an input index: merging never grows outward
    assert all(r.start in indices and r.end - 1 in indices for r in merged)


def test_punctuation():
    assert is_punctuation(",") and is_punctuation("«") and is_punctuation("...")
    assert not is_punctuation("a,") and not is_punctuation("") and not is_punctuation("1")
