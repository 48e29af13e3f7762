"""Target-side candidate spans for candidate matching (METHOD §4.1).

An extractor proposes, for every source entity, a list of target spans. Extractors that
do not depend on the entity (all n-grams, a target NER model) return the same list for
each; the n-gram extractor can instead restrict itself to the window between the
leftmost and rightmost target word aligned to the entity, which loses nothing when only
alignment scores are used, and can leave out spans that start or end with punctuation
(:mod:`xner.projection.boundaries`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from xner.errors import ConfigError
from xner.projection.boundaries import BoundaryTrimmer
from xner.types import Alignment, SentencePair, Span


@runtime_checkable
class CandidateExtractor(Protocol):
    name: str

    def extract(self, pair: SentencePair) -> list[list[Span]]:
        """One list of candidate spans per source entity, in entity order."""
        ...


def ngram_spans(words: tuple[str, ...], lo: int, hi: int, max_len: int, stop_chars: str) -> list[Span]:
    """All spans inside ``[lo, hi)`` of at most ``max_len`` words containing no stop char."""
    blocked = [any(ch in word for ch in stop_chars) for word in words]
    spans = []
    for start in range(lo, hi):
        for end in range(start + 1, min(hi, start + max_len) + 1):
            if blocked[end - 1]:
                break
            spans.append(Span(start, end))
    return spans


@dataclass(frozen=True)
class NgramExtractor:
    max_len: int = 10
    stop_chars: str = "!?"
    window: bool = False
    boundaries: BoundaryTrimmer | None = None
    name: str = "ngram"

    def __post_init__(self) -> None:
        if self.max_len < 1:
            raise ConfigError(f"max n-gram length must be >= 1, got {self.max_len}")

    def _spans(self, words: tuple[str, ...], lo: int, hi: int) -> list[Span]:
        spans = ngram_spans(words, lo, hi, self.max_len, self.stop_chars)
        if self.boundaries is not None:
            edge = [self.boundaries.edge_punctuation(w) for w in words]  # once per word, not per span
            spans = [s for s in spans if not edge[s.start] and not edge[s.end - 1]]
        return spans

    def extract(self, pair: SentencePair) -> list[list[Span]]:
        words = pair.target_words
        if not self.window:
            spans = self._spans(words, 0, len(words))
            return [spans for _ in pair.source_entities]
        alignment = pair.alignment or Alignment()
        result = []
        for entity in pair.source_entities:
            targets = alignment.targets_of(entity.span.indices())
            result.append(
                self._spans(words, min(targets), max(targets) + 1) if targets else []
            )
        return result
