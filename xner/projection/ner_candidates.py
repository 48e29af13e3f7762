"""Candidates and scores from a target-language NER model (METHOD §4.1b, §4.2).

:class:`NerSpanExtractor` proposes the spans a target-side tagger finds (labels
discarded). :class:`NerScorer` scores any candidate with the tagger's per-word label
probabilities: ``α^(len−1) · (p(B-l | first) + Σ p(I-l | others)) / len`` for the
class ``l`` of the source entity (or summed over all classes, class-agnostic), set to 0
below 0.05; or, with ``whole`` and a CRF head as tagger, the exact probability that the
span is one whole entity (:meth:`xner.ner.chain.Chain.entity_probabilities`), which
also falls when the span stops inside a name or runs past it. Tags are computed once per target sentence; ``prepare`` tags a whole
dataset in one batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from xner.errors import ConfigError
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
    whole: bool = False
    name: str = "ner"

    def prepare(self, pairs: Sequence[SentencePair]) -> None:
        """Tag every target sentence in one batch; with ``whole``, refuse a tagger without a CRF
        here, before any pair is projected (a dataset fails once, not sentence by sentence)."""
        sentences = [p.target_words for p in pairs]
        self.tags.prepare(sentences)
        if self.whole:
            for words in sentences:
                if words:
                    self._chain(self.tags(words))
                    break

    def score(self, pair: SentencePair, entity_index: int, spans: Sequence[Span]) -> np.ndarray:
        tagged = self.tags(pair.target_words)
        if self.whole and pair.target_words:
            chain = self._chain(tagged)
            label = pair.source_entities[entity_index].label
            return self._whole(chain, None if self.class_agnostic else label, spans) if len(spans) else np.zeros(0)
        probabilities = tagged.probabilities
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

    @staticmethod
    def _chain(tagged: TaggedSentence):
        if tagged.chain is None:
            has = "per-word probabilities only" if tagged.probabilities else "no probabilities at all"
            raise ConfigError("{ner_score} 'whole' needs a CRF head as target NER (head:DIR trained with the "
                              f"default --head bilstm-crf); this tagger gives {has}: use the per-word score "
                              "('words')", settings=("ner_score",))
        return tagged.chain

    def _whole(self, chain, label: str | None, spans: Sequence[Span]) -> np.ndarray:
        """The probability that each span is exactly one entity (of ``label``, or any), from a
        CRF tagger's :class:`~xner.ner.chain.Chain`."""
        starts = np.fromiter((s.start for s in spans), dtype=np.int64, count=len(spans))
        ends = np.fromiter((s.end for s in spans), dtype=np.int64, count=len(spans))
        values = chain.entity_probabilities(starts, ends, label)
        return np.where(values >= self.floor, values, 0.0)
