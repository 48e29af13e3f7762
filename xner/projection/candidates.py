"""Target-side candidate spans for candidate matching (METHOD §4.1).

An extractor proposes, for every source entity, a list of target spans. Extractors that
do not depend on the entity (all n-grams, a target NER model) return the same list for
each; the n-gram extractor can instead restrict itself to the window between the
leftmost and rightmost target word aligned to the entity, which loses nothing when only
alignment scores are used (the ``ngram`` method's default), and can leave out spans that
start or end with punctuation (:mod:`xner.projection.boundaries`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, Protocol, runtime_checkable

from xner.errors import ConfigError
from xner.projection.boundaries import BoundaryTrimmer
from xner.types import Alignment, SentencePair, Span


@runtime_checkable
class CandidateExtractor(Protocol):
    name: str

    def extract(self, pair: SentencePair) -> list[list[Span]]:
        """One list of candidate spans per source entity, in entity order. An extractor whose
        lists never hold a span twice may say so with ``distinct = True`` (the matcher then
        skips merging them)."""
        ...


def ngram_spans(words: tuple[str, ...], lo: int, hi: int, max_len: int, stop_chars: str) -> list[Span]:
    """All spans inside ``[lo, hi)`` of at most ``max_len`` words containing no stop char."""
    stops = frozenset(stop_chars)
    # only the window's words are looked at (this runs once per entity), each in one C call
    blocked = [not stops.isdisjoint(words[k]) for k in range(lo, hi)]
    spans = []
    for start in range(lo, hi):
        for end in range(start + 1, min(hi, start + max_len) + 1):
            if blocked[end - 1 - lo]:
                break
            spans.append(_span(start, end))
    return spans


@lru_cache(maxsize=1 << 14)
def _span(start: int, end: int) -> Span:
    """``Span(start, end)``, shared: spans are values, and every sentence proposes the same few."""
    return Span(start, end)


@dataclass(frozen=True)
class NgramExtractor:
    """All n-grams of up to ``max_len`` words (none containing a ``stop_chars`` character).

    ``window``: ``False`` proposes every n-gram of the sentence; ``True`` only those inside
    the window between the leftmost and rightmost target word aligned to the entity (the
    published option); ``None`` the window wherever that loses nothing for alignment-only
    scores, every n-gram containing an aligned word elsewhere. Under the alignment score
    a span with words outside the window is beaten by the tighter span between its aligned
    words (same links, fewer words), which lies in the window and is proposed unless one
    of its edges is punctuation that may not end a span; so ``None`` gives the same
    choices as ``False`` with the greedy solver, and the same optimum with the exact one
    (which may break a tie between equally good selections differently). Use ``False``
    when other scores (NER, translation) can favour words that are not aligned.
    """

    max_len: int = 10
    stop_chars: str = "!?"
    window: bool | None = False
    boundaries: BoundaryTrimmer | None = None
    name: str = "ngram"
    distinct: ClassVar[bool] = True  # no span twice in one entity's list (the matcher need not merge)

    def __post_init__(self) -> None:
        if self.max_len < 1:
            raise ConfigError(f"max n-gram length must be >= 1, got {self.max_len}")

    def _spans(self, words: tuple[str, ...], lo: int, hi: int, edge: list[bool] | None) -> list[Span]:
        spans = ngram_spans(words, lo, hi, self.max_len, self.stop_chars)
        if edge is not None:
            spans = [s for s in spans if not edge[s.start] and not edge[s.end - 1]]
        return spans

    def _edges(self, words: tuple[str, ...]) -> list[bool] | None:
        if self.boundaries is None:
            return None
        return [self.boundaries.edge_punctuation(w) for w in words]  # once per word, not per span

    def extract(self, pair: SentencePair) -> list[list[Span]]:
        words = pair.target_words
        edge = self._edges(words)
        if self.window is False:
            spans = self._spans(words, 0, len(words), edge)
            return [spans for _ in pair.source_entities]
        alignment = pair.alignment or Alignment()
        result = []
        everything: list[Span] | None = None
        for entity in pair.source_entities:
            targets = alignment.targets_of(range(entity.start, entity.end))
            if not targets:
                result.append([])
            elif self.window is None and edge is not None and any(edge[j] for j in targets):
                # an aligned word that may not end a span: a wider span around it can win
                if everything is None:
                    everything = self._spans(words, 0, len(words), edge)
                result.append([s for s in everything if any(s.start <= j < s.end for j in targets)])
            else:
                result.append(self._spans(words, min(targets), max(targets) + 1, edge))
        return result
