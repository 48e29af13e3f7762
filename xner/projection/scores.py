"""Scores of (source entity, target candidate) pairs (METHOD §4.2).

A scorer returns one score per candidate span; the matcher fuses them with weights.
A scorer may also give ``details``: further per-span values that are shown beside the
scores (kept with each candidate) but never fused; ``score_many(pair, spans)``: the
scores of every entity's candidates in one call (a model scorer batches them); and
``prefilter = True``: score only the candidates the other scorers already support
(:meth:`~xner.projection.matching.CandidateMatchingProjector.score_candidates`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from xner.types import Alignment, SentencePair, Span


@runtime_checkable
class CandidateScorer(Protocol):
    name: str

    def score(self, pair: SentencePair, entity_index: int, spans: Sequence[Span]) -> np.ndarray:
        """Scores (float array, one per span) of the spans as the projection of the entity."""
        ...


@dataclass(frozen=True)
class AlignmentScorer:
    """Link overlap, the paper's alignment score: ``2 * #links(s, t) / (len(s) + len(t))``.

    Adding an unaligned word to a candidate lowers it, so the tightest span that covers
    the links wins. It counts links, not words, so a word with several links counts
    several times and the score can exceed 1 (up to 2 in theory; 1.6 seen on Europarl).
    Ranking and selection use it as published; :meth:`details` adds ``word_dice``, the
    0–1 Dice overlap of aligned *words* that a reviewer can read as a share.
    """

    name: str = "alignment"

    def score(self, pair: SentencePair, entity_index: int, spans: Sequence[Span]) -> np.ndarray:
        if not spans:
            return np.zeros(0)
        entity = pair.source_entities[entity_index]
        per_word = np.zeros(len(pair.target_words) + 1)
        for i, j in (pair.alignment or Alignment()).links:
            if entity.start <= i < entity.end:
                per_word[j + 1] += 1
        prefix = np.cumsum(per_word)
        starts, ends = _bounds(spans)
        links = prefix[ends] - prefix[starts]
        return 2.0 * links / (len(entity) + (ends - starts))

    def details(self, pair: SentencePair, entity_index: int, spans: Sequence[Span]) -> dict[str, np.ndarray]:
        """``word_dice``: ``(#entity words linked into t + #words of t linked to the entity) /
        (len(s) + len(t))``, in ``[0, 1]``; 1 when every word on both sides is aligned across."""
        entity = pair.source_entities[entity_index]
        n = len(pair.target_words)
        linked_target = np.zeros(n + 1)
        per_source: dict[int, np.ndarray] = {}
        for i, j in (pair.alignment or Alignment()).links:
            if entity.start <= i < entity.end:
                linked_target[j + 1] = 1
                per_source.setdefault(i, np.zeros(n + 1))[j + 1] = 1
        starts, ends = _bounds(spans)
        target_prefix = np.cumsum(linked_target)
        covered = target_prefix[ends] - target_prefix[starts]
        for row in per_source.values():
            prefix = np.cumsum(row)
            covered = covered + ((prefix[ends] - prefix[starts]) > 0)
        return {"word_dice": covered / (len(entity) + (ends - starts))}


def _bounds(spans: Sequence[Span]) -> tuple[np.ndarray, np.ndarray]:
    starts = np.fromiter((s.start for s in spans), dtype=np.int64, count=len(spans))
    ends = np.fromiter((s.end for s in spans), dtype=np.int64, count=len(spans))
    return starts, ends
