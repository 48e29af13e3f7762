"""NMTScore-style translation similarity of an entity and a candidate (METHOD §4.2).

``½ [P(a|b) / P(a|a) + P(b|a) / P(b|b)]`` where ``a`` is the source entity text, ``b``
the candidate text and ``P`` the length-normalised probability a seq2seq model assigns
to translating one into the other; below 0.1 the score is 0.

Every (entity, candidate) of a sentence pair is scored together: one batched
``log_probability`` call per direction (``a|a``, ``a|b``, ``b|a``, ``b|b``), each text
pair asked for once and remembered.

With ``prefilter`` (the default) the matcher asks only about candidates another scorer
(alignment, NER) already scored above 0; the others get 0 without a model call. That
changes one thing: a candidate supported by the translation score alone can no longer be
chosen. The scores of every candidate that can be chosen are unchanged.
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
    prefilter: bool = True  # score only candidates the other scorers support (see the module's docstring)
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
        """Scores of ``spans`` as the projection of one entity."""
        per_entity: list[Sequence[Span]] = [[] for _ in pair.source_entities]
        per_entity[entity_index] = spans
        return self.score_many(pair, per_entity)[entity_index]

    def score_many(self, pair: SentencePair, spans: Sequence[Sequence[Span]]) -> list[np.ndarray]:
        """Per entity, the scores of its candidate ``spans[entity]``: the whole sentence pair
        in one batched model call per direction."""
        a_texts = [e.text(pair.source_words) for e in pair.source_entities]
        rows = [(k, " ".join(pair.target_words[s.start : s.end])) for k, entity_spans in enumerate(spans)
                for s in entity_spans]
        if not rows:
            return [np.zeros(len(entity_spans)) for entity_spans in spans]
        src, tgt = self.src_lang, self.tgt_lang
        entities = sorted({k for k, _ in rows})
        a_a = dict(zip(entities, self._log_p([a_texts[k] for k in entities], [a_texts[k] for k in entities], src, src)))
        a = [a_texts[k] for k, _ in rows]
        b = [text for _, text in rows]
        a_b = self._log_p(b, a, tgt, src)
        b_a = self._log_p(a, b, src, tgt)
        b_b = self._log_p(b, b, tgt, tgt)
        values = np.array([0.5 * (math.exp(x - a_a[k]) + math.exp(y - z))
                           for (k, _), x, y, z in zip(rows, a_b, b_a, b_b)])
        values = np.where(values >= self.floor, values, 0.0)
        result, start = [], 0
        for entity_spans in spans:
            result.append(values[start : start + len(entity_spans)])
            start += len(entity_spans)
        return result
