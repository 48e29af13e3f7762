"""Symmetrisation of a forward (source→target) and a reverse (target→source) alignment.

Both inputs are given as ``(source_index, target_index)`` links. Methods: ``forward``,
``reverse``, ``intersection``, ``union``, ``grow-diag``, ``grow-diag-final`` and
``grow-diag-final-and`` (Koehn et al., as in Moses).
"""

from __future__ import annotations

from xner.errors import ConfigError
from xner.types import Link

_NEIGHBOURS = ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))
METHODS = ("forward", "reverse", "intersection", "union", "grow-diag", "grow-diag-final", "grow-diag-final-and")


def _grow_diag(alignment: set[Link], union: set[Link]) -> None:
    aligned_src = {i for i, _ in alignment}
    aligned_tgt = {j for _, j in alignment}
    added = True
    while added:
        added = False
        for i, j in sorted(alignment):
            for di, dj in _NEIGHBOURS:
                link = (i + di, j + dj)
                if link in union and link not in alignment and (
                    link[0] not in aligned_src or link[1] not in aligned_tgt
                ):
                    alignment.add(link)
                    aligned_src.add(link[0])
                    aligned_tgt.add(link[1])
                    added = True


def _final(alignment: set[Link], directional: set[Link], *, both_unaligned: bool) -> None:
    aligned_src = {i for i, _ in alignment}
    aligned_tgt = {j for _, j in alignment}
    for i, j in sorted(directional):
        src_free, tgt_free = i not in aligned_src, j not in aligned_tgt
        if (src_free and tgt_free) if both_unaligned else (src_free or tgt_free):
            alignment.add((i, j))
            aligned_src.add(i)
            aligned_tgt.add(j)


def symmetrize(forward: set[Link], reverse: set[Link], method: str = "grow-diag-final-and") -> set[Link]:
    forward, reverse = set(forward), set(reverse)
    if method == "forward":
        return forward
    if method == "reverse":
        return reverse
    if method == "intersection":
        return forward & reverse
    if method == "union":
        return forward | reverse
    if method not in METHODS:
        raise ConfigError(f"unknown symmetrisation {method!r}; choose one of: {', '.join(METHODS)}")
    alignment = forward & reverse
    _grow_diag(alignment, forward | reverse)
    if method != "grow-diag":
        both = method == "grow-diag-final-and"
        _final(alignment, forward, both_unaligned=both)
        _final(alignment, reverse, both_unaligned=both)
    return alignment
