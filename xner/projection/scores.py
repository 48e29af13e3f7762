"""Scores of (source entity, target candidate) pairs (METHOD §4.2).

A scorer returns one score per candidate span; the matcher fuses them with weights.
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
    """Dice overlap of the links: ``2 * #links(s, t) / (len(s) + len(t))``.

    Adding an unaligned word to a candidate lowers its score, so the tightest span that
    covers the links wins.
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
        starts = np.fromiter((s.start for s in spans), dtype=np.int64, count=len(spans))
        ends = np.fromiter((s.end for s in spans), dtype=np.int64, count=len(spans))
        links = prefix[ends] - prefix[starts]
        return 2.0 * links / (len(entity) + (ends - starts))
