"""Candidates and scores from a target-language NER model (METHOD §4.1b, §4.2).

:class:`NerSpanExtractor` proposes the spans a target-side tagger finds (labels
discarded). :class:`NerScorer` scores any candidate with the tagger's per-word label
probabilities: ``α^(len−1) · (p(B-l | first) + Σ p(I-l | others)) / len`` for the
class ``l`` of the source entity (or summed over all classes, class-agnostic), set to 0
below 0.05. Tags are computed once per target sentence; ``prepare`` tags a whole
dataset in one batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from xner.ner.base import TaggedSentence, Tagger
from xner.types import SentencePair, Span, Words


@dataclass
class TagCache:
    tagger: Tagger
    cache: dict[Words, TaggedSentence] = field(default_factory=dict)

    def prepare(self, sentences: Sequence[Words]) -> None:
        missing = list(dict.fromkeys(s for s in sentences if s not in self.cache))
        if missing:
            self.cache.update(zip(missing, self.tagger.tag(missing)))

    def __call__(self, words: Words) -> TaggedSentence:
        if words not in self.cache:
            self.prepare([words])
        return self.cache[words]


@dataclass
class NerSpanExtractor:
    tags: TagCache
    name: str = "ner"

    def prepare(self, pairs: Sequence[SentencePair]) -> None:
        self.tags.prepare([p.target_words for p in pairs])

    def extract(self, pair: SentencePair) -> list[list[Span]]:
        spans = [e.span for e in self.tags(pair.target_words).entities]
        return [spans for _ in pair.source_entities]


@dataclass
class NerScorer:
    tags: TagCache
    alpha: float = 1.15
    class_agnostic: bool = False
    floor: float = 0.05
    name: str = "ner"

    def prepare(self, pairs: Sequence[SentencePair]) -> None:
        self.tags.prepare([p.target_words for p in pairs])

    def score(self, pair: SentencePair, entity_index: int, spans: Sequence[Span]) -> np.ndarray:
        probabilities = self.tags(pair.target_words).probabilities
        if not probabilities or not len(spans):
            return np.zeros(len(spans))
        label = pair.source_entities[entity_index].label

        def p(dist: dict[str, float], prefix: str) -> float:
            if self.class_agnostic:
                return sum(v for tag, v in dist.items() if tag.startswith(prefix + "-"))
            return dist.get(f"{prefix}-{label}", 0.0)

        # per-word p(B-l), and prefix sums of p(I-l): every span is scored in one pass
        begin = np.array([p(dist, "B") for dist in probabilities])
        inside = np.concatenate([[0.0], np.cumsum([p(dist, "I") for dist in probabilities])])
        starts = np.fromiter((s.start for s in spans), dtype=np.int64, count=len(spans))
        ends = np.fromiter((s.end for s in spans), dtype=np.int64, count=len(spans))
        lengths = ends - starts
        values = self.alpha ** (lengths - 1) * (begin[starts] + inside[ends] - inside[starts + 1]) / lengths
        return np.where(values >= self.floor, values, 0.0)
