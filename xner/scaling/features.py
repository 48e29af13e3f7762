"""Encoder features of a corpus, extracted once in cached, timed blocks and gathered for
each training set (:class:`FeatureBank`); two banks read as one (:class:`JoinedBank`)."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence

import numpy as np

from xner.scaling.config import Log, cache_root


def timed_features(words: Sequence[Sequence[str]], encoder: str, layers: tuple[int, ...], cache, log: Log):
    """Features of ``words`` and the seconds their extraction took (as recorded in the cache
    when they were extracted by an earlier run; NaN when that run did not record it)."""
    from xner.models.encoder import resolve_model
    from xner.ner.features import _cache_key, extract_features

    root = cache_root(cache) / "features"
    done = root / _cache_key(resolve_model(encoder), layers, words) / "done.json"
    cached = done.exists()
    start = time.perf_counter()
    features = extract_features(words, encoder, layers, cache=root, log=log)
    seconds = time.perf_counter() - start
    if cached:
        seconds = float(json.loads(done.read_text()).get("seconds", math.nan))
    return features, seconds


class FeatureBank:
    """The features of one corpus, extracted once (in cached blocks) and gathered per training set.

    ``seconds_at(n)`` is the extraction time of the first ``n`` sentences (blocks summed,
    the last one pro rata)."""

    def __init__(self, words: Sequence[Sequence[str]], encoder: str, layers: tuple[int, ...], cache=None,
                 boundaries: Sequence[int] = (), block: int | None = None, log: Log = print) -> None:
        self.words = [tuple(w) for w in words]
        cuts = {0, len(self.words), *(b for b in boundaries if 0 < b < len(self.words))}
        if block:
            cuts |= set(range(0, len(self.words), block))
        cuts = sorted(cuts)
        self.layers = layers
        self.blocks: list[tuple[int, int, np.ndarray, np.ndarray, float]] = []  # first, last, vectors, offsets, s
        self.index: list[tuple[int, int]] = [(-1, -1)] * len(self.words)  # sentence -> (block, row) of non-empty
        for first, last in zip(cuts, cuts[1:]):
            nonempty = [k for k in range(first, last) if self.words[k]]
            if nonempty:
                features, seconds = timed_features([self.words[k] for k in nonempty], encoder, layers, cache, log)
                vectors, offsets = features.vectors, features.offsets
            else:
                vectors, offsets, seconds = np.zeros((0, len(layers), 1), np.float16), np.zeros(1, np.int64), 0.0
            for row, k in enumerate(nonempty):
                self.index[k] = (len(self.blocks), row)
            self.blocks.append((first, last, vectors, offsets, seconds))
            log(f"features: {last}/{len(self.words)} sentences ({seconds:.0f}s for this block)")

    def seconds_at(self, n: int) -> float:
        total = 0.0
        for first, last, *_, seconds in self.blocks:
            if first >= n:
                break
            total += seconds * (min(n, last) - first) / (last - first)
        return total

    def gather(self, indices: Sequence[int], layers: Sequence[int] | None = None):
        """``WordFeatures`` of the non-empty sentences among ``indices`` (in order), in memory."""
        from xner.ner.features import WordFeatures

        layers = tuple(layers or self.layers)
        columns = [self.layers.index(layer) for layer in layers]
        parts, lengths = [], []
        for k in indices:
            block, row = self.index[k]
            if block < 0:
                continue
            _, _, vectors, offsets, _ = self.blocks[block]
            part = vectors[offsets[row] : offsets[row + 1]]
            parts.append(part if columns == list(range(len(self.layers))) else part[:, columns])
            lengths.append(len(part))
        offsets = np.zeros(len(lengths) + 1, np.int64)
        offsets[1:] = np.cumsum(lengths)
        if parts:
            vectors = np.concatenate(parts).astype(np.float16, copy=False)
        else:
            vectors = np.zeros((0, len(layers), 1), np.float16)
        return WordFeatures(np.ascontiguousarray(vectors), offsets, layers)


class JoinedBank:
    """Two feature banks read as one: index ``k`` is ``first``'s sentence ``k`` below
    ``split``, ``second``'s sentence ``k - split`` from there on."""

    def __init__(self, first: FeatureBank, second: FeatureBank, split: int) -> None:
        self.first, self.second, self.split = first, second, split

    def gather(self, indices: Sequence[int], layers: Sequence[int] | None = None):
        from xner.ner.features import WordFeatures

        # the order of ``indices`` is kept (the trainer pairs features with sentences by position)
        runs: list[tuple[FeatureBank, list[int]]] = []
        for k in indices:
            bank, local = (self.first, k) if k < self.split else (self.second, k - self.split)
            if runs and runs[-1][0] is bank:
                runs[-1][1].append(local)
            else:
                runs.append((bank, [local]))
        parts = [bank.gather(chunk, layers) for bank, chunk in runs]
        if not parts:
            return self.first.gather([], layers)
        offsets = [np.zeros(1, np.int64)]
        for part in parts:
            offsets.append(part.offsets[1:] + offsets[-1][-1])
        return WordFeatures(np.ascontiguousarray(np.concatenate([p.vectors for p in parts])), np.concatenate(offsets),
                            parts[0].layers)
