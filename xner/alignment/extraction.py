"""Link extraction from a word (or sub-word) similarity matrix (SimAlign; METHOD §2).

All functions take an ``m × n`` similarity matrix (rows: source, columns: target) and
return a boolean matrix of links.
"""

from __future__ import annotations

import numpy as np

from xner.errors import ConfigError

EXTRACTIONS = ("argmax", "itermax", "match")


def _one_hot_rows(sim: np.ndarray) -> np.ndarray:
    hot = np.zeros(sim.shape, dtype=bool)
    hot[np.arange(sim.shape[0]), sim.argmax(axis=1)] = True
    return hot


def _one_hot_columns(sim: np.ndarray) -> np.ndarray:
    hot = np.zeros(sim.shape, dtype=bool)
    hot[sim.argmax(axis=0), np.arange(sim.shape[1])] = True
    return hot


def argmax_links(sim: np.ndarray) -> np.ndarray:
    """Mutual best: ``(i, j)`` iff ``j`` is row ``i``'s argmax and ``i`` column ``j``'s."""
    return _one_hot_rows(sim) & _one_hot_columns(sim)


def itermax_links(sim: np.ndarray, iterations: int = 2, damping: float = 0.9) -> np.ndarray:
    """ArgMax, then further rounds of mutual bests among rows/columns still unaligned.

    In a later round a pair whose row and column are both unaligned keeps its
    similarity; one whose row or column is already aligned is damped by ``damping``;
    pairs of two aligned words are out. Very small matrices (a side of <= 2 words)
    keep the plain ArgMax result, as SimAlign does.
    """
    links = argmax_links(sim)
    if min(sim.shape) <= 2:
        return links
    for _ in range(iterations - 1):
        free_rows = ~links.any(axis=1)
        free_cols = ~links.any(axis=0)
        if not free_rows.any() or not free_cols.any():
            break
        row_free = free_rows[:, None].astype(sim.dtype)
        col_free = free_cols[None, :].astype(sim.dtype)
        weight = np.clip(damping * row_free + damping * col_free, 0.0, 1.0)
        allowed = free_rows[:, None] | free_cols[None, :]
        damped = sim * weight
        new = _one_hot_rows(damped) & _one_hot_columns(damped) & allowed
        if not (new & ~links).any():
            break
        links |= new
    return links


def match_links(sim: np.ndarray) -> np.ndarray:
    """Maximum-weight bipartite matching (each word linked at most once)."""
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(sim, maximize=True)
    links = np.zeros(sim.shape, dtype=bool)
    links[rows, cols] = True
    return links


def apply_distortion(sim: np.ndarray, ratio: float) -> np.ndarray:
    """Penalise links far from the diagonal: ``sim * (1 - ratio * (i/(m-1) - j/(n-1))^2)``."""
    m, n = sim.shape
    if ratio == 0.0 or m < 2 or n < 2:
        return sim
    rows = np.arange(m)[:, None] / (m - 1)
    cols = np.arange(n)[None, :] / (n - 1)
    return sim * (1.0 - ratio * (rows - cols) ** 2)


def extract_links(sim: np.ndarray, method: str = "itermax", iterations: int = 2) -> np.ndarray:
    if sim.size == 0:
        return np.zeros(sim.shape, dtype=bool)
    if method == "argmax":
        return argmax_links(sim)
    if method == "itermax":
        return itermax_links(sim, iterations)
    if method == "match":
        return match_links(sim)
    raise ConfigError(f"unknown link extraction {method!r}; choose one of: {', '.join(EXTRACTIONS)}")
