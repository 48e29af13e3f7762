"""Frozen word features from several hidden layers of a transformers encoder, cached on disk.

Each word gets the mean of its sub-words' vectors in every requested layer
(``n_words × n_layers × dim``), from the same tokenisation, windowing of long sentences
and forward pass as the aligner's (:meth:`~xner.models.encoder.SubwordEncoder.encode_words`):
one pass keeps every hidden state asked for, so it serves a learned mix of layers, and,
where the aligner reads the same encoder, the aligner too (``shared_passes``).

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

    def encode_words(self, sentences: Sequence[Sequence[str]], layers: Sequence[int] | None = None) -> list[np.ndarray]:
        """Per sentence, ``n_words × n_layers × dim`` float32 (mean over each word's sub-words), from
        a pass shared with an aligner on the same encoder when one is open (``shared_passes``)."""
        return super().encode_words(sentences, self.layers if layers is None else layers)


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
