"""Small span operations shared by the projectors."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from xner.types import Span


def contiguous_ranges(indices: Iterable[int]) -> list[Span]:
    """Group word indices into maximal runs: ``{1, 2, 4}`` → ``[1,3), [4,5)``."""
    ranges: list[Span] = []
    start = previous = None
    for index in sorted(set(indices)):
        if previous is not None and index == previous + 1:
            previous = index
            continue
        if start is not None:
            ranges.append(Span(start, previous + 1))
        start = previous = index
    if start is not None:
        ranges.append(Span(start, previous + 1))
    return ranges


def merge_ranges(ranges: Sequence[Span], distance: int) -> list[Span]:
    """Merge sorted neighbours when ``next.start - prev.end <= distance``.

    ``distance=1`` fills a single unaligned word between two runs; touching runs are
    always joined.
    """
    merged: list[Span] = []
    for span in sorted(ranges):
        if merged and span.start - merged[-1].end <= distance:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged


def is_punctuation(word: str) -> bool:
    """True for words made only of punctuation characters (Unicode category P*)."""
    return bool(word) and all(unicodedata.category(ch).startswith("P") for ch in word)
