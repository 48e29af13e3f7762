"""NMTScore-style translation similarity of an entity and a candidate (METHOD §4.2).

``½ [P(a|b) / P(a|a) + P(b|a) / P(b|b)]`` where ``a`` is the source entity text, ``b``
the candidate text and ``P`` the length-normalised probability a seq2seq model assigns
to translating one into the other; below 0.1 the score is 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from xner.types import SentencePair, Span


@dataclass
class TranslationScorer:
    translator: object  # a Seq2SeqTranslator: needs log_probability()
    src_lang: str
    tgt_lang: str
    floor: float = 0.1
    name: str = "translation"
    _cache: dict[tuple, float] = field(default_factory=dict, repr=False)

    def _log_p(self, sources: list[str], targets: list[str], src: str, tgt: str) -> list[float]:
        keys = [(s, t, src, tgt) for s, t in zip(sources, targets)]
        missing = [k for k in dict.fromkeys(keys) if k not in self._cache]
        if missing:
            values = self.translator.log_probability([k[0] for k in missing], [k[1] for k in missing], src, tgt)
            self._cache.update(zip(missing, values))
        return [self._cache[k] for k in keys]

    def score(self, pair: SentencePair, entity_index: int, spans: Sequence[Span]) -> np.ndarray:
        if not spans:
            return np.zeros(0)
        a = pair.source_entities[entity_index].text(pair.source_words)
        bs = [" ".join(pair.target_words[s.start : s.end]) for s in spans]
        n = len(bs)
        (a_a,) = self._log_p([a], [a], self.src_lang, self.src_lang)
        a_b = self._log_p(bs, [a] * n, self.tgt_lang, self.src_lang)
        b_a = self._log_p([a] * n, bs, self.src_lang, self.tgt_lang)
        b_b = self._log_p(bs, bs, self.tgt_lang, self.tgt_lang)
        scores = np.array([0.5 * (math.exp(x - a_a) + math.exp(y - z)) for x, y, z in zip(a_b, b_a, b_b)])
        return np.where(scores >= self.floor, scores, 0.0)
