"""Frozen word features from several hidden layers of a transformers encoder, cached on disk.

Each word gets the mean of its sub-words' vectors in every requested layer
(``n_words × n_layers × dim``). The encoder's own tokenisation, windowing of long
sentences and special tokens are reused (:class:`~xner.models.encoder.SubwordEncoder`);
only the forward pass differs: it keeps every hidden state up to the highest layer asked
for, so one pass serves a learned mix of layers.

The cache is keyed by the encoder directory, the layers and the exact sentences, so
retraining a head on the same corpus reads its features back instead of encoding again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from xner.models.encoder import SubwordEncoder, resolve_model

CACHE_VERSION = 1


def cache_root() -> Path:
    from xner.models.e5_convert import xner_home

    return xner_home() / "features"


@dataclass(frozen=True)
class WordFeatures:
    """Features of many sentences in one flat array: sentence ``k`` is
    ``vectors[offsets[k]:offsets[k + 1]]`` (``words × layers × dim``, float16)."""

    vectors: np.ndarray
    offsets: np.ndarray
    layers: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def sentence(self, k: int) -> np.ndarray:
        return self.vectors[self.offsets[k] : self.offsets[k + 1]]


class LayerEncoder(SubwordEncoder):
    """A :class:`SubwordEncoder` whose forward pass returns word vectors of several layers."""

    def __init__(self, model: str, layers: Sequence[int], *, batch_tokens: int = 4096, device: str = "cpu") -> None:
        self.layers = tuple(sorted(set(layers)))
        super().__init__(model, max(self.layers), batch_tokens=batch_tokens, precision="float32", device=device)

    @property
    def dim(self) -> int:
        return int(self.model.config.hidden_size)

    def encode_words(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence, ``n_words × n_layers × dim`` float32 (mean over each word's sub-words)."""
        torch = self._torch
        tokenised = self._subwords(sentences)
        sums = [np.zeros((len(s), len(self.layers), self.dim), np.float32) for s in sentences]
        for batch, input_ids, mask in self._batches(tokenised):
            with torch.inference_mode():
                hidden = self.model(input_ids=input_ids, attention_mask=mask, output_hidden_states=True).hidden_states
                # hidden_states[0] is the embedding layer; layer l is hidden_states[l]
                stacked = torch.stack([hidden[layer] for layer in self.layers], dim=2).float().cpu().numpy()
            for row, (k, a, b) in enumerate(batch):
                owners = np.asarray(tokenised[k][1][a:b])
                np.add.at(sums[k], owners, stacked[row, self._head : self._head + (b - a)])
        result = []
        for k, (_, owners) in enumerate(tokenised):
            counts = np.bincount(np.asarray(owners, dtype=np.int64), minlength=len(sentences[k])).astype(np.float32)
            result.append(sums[k] / np.maximum(counts, 1)[:, None, None])
        return result


_LOCK = threading.Lock()


@functools.lru_cache(maxsize=2)
def _load(model: str, layers: tuple[int, ...], device: str) -> LayerEncoder:
    return LayerEncoder(resolve_model(model), layers, device=device)


def load_layer_encoder(model: str, layers: Sequence[int], device: str | None = "auto") -> LayerEncoder:
    """A cached :class:`LayerEncoder` (loaded once per process, layer set and device)."""
    from xner.models.device import resolve_device

    resolved = resolve_device(device)  # before the cache, so "auto" and its answer share one model
    with _LOCK:
        return _load(model, tuple(sorted(set(layers))), resolved)


def _cache_key(model_dir: str, layers: tuple[int, ...], sentences: Sequence[Sequence[str]]) -> str:
    digest = hashlib.sha256(f"v{CACHE_VERSION}|{Path(model_dir).resolve()}|{layers}".encode())
    for words in sentences:
        digest.update("\x1f".join(words).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()[:24]


def extract_features(
    sentences: Sequence[Sequence[str]], model: str, layers: Sequence[int], *, cache: Path | None | bool = True,
    chunk: int = 1024, log=None, device: str | None = "auto",
) -> WordFeatures:
    """Word features of ``sentences`` (float16), read from the cache when they are there.

    ``cache``: ``True`` for ``$XNER_HOME/features``, a directory, or ``False`` for none.
    Sentences are encoded in chunks so memory stays bounded on a large corpus.
    ``device``: where the encoder runs (``auto``, ``cpu``, ``cuda[:N]``).
    """
    layers = tuple(sorted(set(layers)))
    model_dir = resolve_model(model)
    directory = None
    if cache:
        directory = (cache_root() if cache is True else Path(cache)) / _cache_key(model_dir, layers, sentences)
        if (directory / "done.json").exists():
            return WordFeatures(np.load(directory / "vectors.npy", mmap_mode="r"),
                                np.load(directory / "offsets.npy"), layers)
    start = time.perf_counter()
    encoder = load_layer_encoder(model_dir, layers, device)
    offsets = np.zeros(len(sentences) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(s) for s in sentences])
    shape = (int(offsets[-1]), len(layers), encoder.dim)
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        vectors = np.lib.format.open_memmap(directory / "vectors.npy", mode="w+", dtype=np.float16, shape=shape)
    else:
        vectors = np.zeros(shape, dtype=np.float16)
    for first in range(0, len(sentences), chunk):
        part = [list(s) for s in sentences[first : first + chunk]]
        nonempty = [k for k, s in enumerate(part) if s]
        encoded = encoder.encode_words([part[k] for k in nonempty]) if nonempty else []
        for k, words in zip(nonempty, encoded):
            vectors[offsets[first + k] : offsets[first + k + 1]] = words
        if log:
            log(f"features: {min(first + chunk, len(sentences))}/{len(sentences)} sentences")
    if directory is not None:
        vectors.flush()
        np.save(directory / "offsets.npy", offsets)
        (directory / "done.json").write_text(json.dumps({
            "model": model_dir, "layers": list(layers), "sentences": len(sentences), "words": shape[0],
            "seconds": round(time.perf_counter() - start, 1)}))
        vectors = np.load(directory / "vectors.npy", mmap_mode="r")
    return WordFeatures(vectors, offsets, layers)
