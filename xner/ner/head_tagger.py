"""``head:DIR``: a CoNLL-label tagger trained on frozen features of a multilingual encoder
(``xner train CONLL --trainer head --dev DEV -o DIR``).

The same model serves every NER role: source NER for translate-test, target NER for
``ner-span`` / ``fused`` candidates (its per-word tag probabilities give the NER score),
and zero-shot model transfer, since the encoder is multilingual. Tags come from
constrained IOB2 decoding; ``probabilities`` are each word's distribution over the tags
(a softmax head's, or a CRF head's marginals).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from xner.io.tags import tags_to_entities
from xner.ner.base import TaggedSentence, taggers
from xner.ner.chain import Chain
from xner.ner.decoding import decode_iob2
from xner.ner.features import extract_features
from xner.ner.head_model import load_head, pad_batch
from xner.types import Words

_LOCK = threading.Lock()


@functools.lru_cache(maxsize=2)
def _load(directory: str):
    return load_head(directory)


def cached_head(directory: str | Path):
    with _LOCK:
        return _load(str(Path(directory).resolve()))


class Prediction(NamedTuple):
    tags: list[str]
    log_probs: np.ndarray  # words × tags
    chain: Chain | None = None


def predict(network, features: Sequence[np.ndarray], tags: Sequence[str], batch_words: int = 4096,
            chains: bool = False) -> list[Prediction]:
    """Per sentence, its decoded IOB2 tags and each word's log-probabilities of the tags
    (``n_words × n_tags``): a softmax head's distributions, decoded with the IOB2
    constraints; a CRF head's exact marginals, decoded by Viterbi over its emissions and
    learned transitions, and with ``chains`` its :class:`~xner.ner.chain.Chain` (exact
    whole-entity probabilities). Sentences are batched by length."""
    import torch

    crf = getattr(network, "crf", None)
    learned = crf.decoding_scores() if crf is not None else {}
    order = sorted(range(len(features)), key=lambda k: len(features[k]), reverse=True)
    result = [Prediction([], np.zeros((0, len(tags)))) for _ in features]
    layers_dim = features[order[0]].shape[1:] if order else (0, 0)
    position = 0
    while position < len(order):
        longest = max(1, len(features[order[position]]))
        size = max(1, batch_words // longest)
        batch = [k for k in order[position : position + size] if len(features[k])]
        position += size
        if not batch:
            continue
        tensor, lengths = pad_batch([np.asarray(features[k], dtype=np.float32) for k in batch], layers_dim)
        with torch.inference_mode():
            scores = network(tensor, lengths)
            log_probs = network.log_marginals(scores, lengths).numpy()
            scores = scores.numpy()
        for row, k in enumerate(batch):
            n = len(features[k])
            decoded = decode_iob2(scores[row, :n] if crf is not None else log_probs[row, :n], tags, **learned)
            chain = Chain.of(scores[row, :n], learned, tags) if chains and crf is not None else None
            result[k] = Prediction(decoded, log_probs[row, :n], chain)
    return result


@dataclass(frozen=True)
class HeadTagger:
    """``device``: where the encoder computes the features (``auto``: a CUDA GPU when torch
    sees one, ``cpu``, ``cuda``, ``cuda:N``); the head itself is small and runs on the CPU."""

    model: str
    device: str = "auto"
    name: str = "head"

    def __post_init__(self) -> None:
        from xner.models.device import resolve_device

        resolve_device(self.device)  # a device that cannot be had is an error now, before any model loads

    @property
    def config(self):
        return cached_head(self.model)[0]

    def encoder_use(self):
        """The encoder pass the features read, so an aligner on the same encoder can share it
        (:func:`xner.models.encoder.shared_passes`)."""
        from xner.models.encoder import EncoderUse, resolve_model
        from xner.ner.features import load_layer_encoder

        layers = tuple(sorted(set(self.config.layers)))  # as extract_features asks, so the same encoder loads
        encoder = load_layer_encoder(resolve_model(self.config.encoder), layers, self.device)
        return EncoderUse(encoder, layers, words=True)

    def tag(self, sentences: Sequence[Words]) -> list[TaggedSentence]:
        config, network = cached_head(self.model)
        nonempty = [k for k, words in enumerate(sentences) if len(words)]
        result = [TaggedSentence((), ()) for _ in sentences]
        if not nonempty:
            return result
        features = extract_features([list(sentences[k]) for k in nonempty], config.encoder, config.layers, cache=False,
                                    device=self.device)
        predicted = predict(network, [features.sentence(i) for i in range(len(nonempty))], config.tags, chains=True)
        for k, (tags, scores, chain) in zip(nonempty, predicted):
            probs = np.exp(scores)
            probs /= probs.sum(axis=1, keepdims=True)
            result[k] = TaggedSentence(tuple(tags_to_entities(tags)),
                                       tuple(dict(zip(config.tags, row.tolist())) for row in probs), chain)
        return result


@taggers.register("head")
def _head(model: str, **params) -> HeadTagger:
    """A head trained on frozen multilingual-encoder features (xner train --trainer head)."""
    return HeadTagger(model, **params)
