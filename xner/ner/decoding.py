"""Constrained IOB2 decoding: the most probable tag sequence in which every ``I-X``
continues a ``B-X`` or ``I-X`` (never follows ``O``, another label, or starts a sentence).

>>> import numpy as np
>>> tags = ["O", "B-PER", "I-PER"]
>>> probs = np.array([[0.1, 0.2, 0.7], [0.2, 0.1, 0.7]])   # argmax says I-PER I-PER
>>> decode_iob2(np.log(probs), tags)
['B-PER', 'I-PER']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from xner.io.tags import parse_tag


def allowed_transitions(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(start, transition)``: which tag may open a sentence, and ``transition[i, j]``
    whether tag ``j`` may follow tag ``i`` under IOB2."""
    parsed = [parse_tag(t) for t in tags]
    start = np.array([prefix != "I" for prefix, _ in parsed])
    transition = np.ones((len(tags), len(tags)), dtype=bool)
    for j, (prefix, label) in enumerate(parsed):
        if prefix == "I":
            transition[:, j] = [p in ("B", "I") and l == label for p, l in parsed]
    return start, transition


def decode_iob2(log_probs: np.ndarray, tags: Sequence[str], *, start: np.ndarray | None = None,
                transitions: np.ndarray | None = None, end: np.ndarray | None = None) -> list[str]:
    """Viterbi over per-word scores (``n_words × n_tags``: log-probabilities, or a CRF's
    emissions) with IOB2 constraints; ``start`` / ``transitions`` / ``end``: a CRF's learned
    scores for the first tag, each pair of neighbouring tags and the last tag (none: 0)."""
    if len(log_probs) == 0:
        return []
    allowed_start, allowed = allowed_transitions(tags)
    penalty = np.where(allowed, 0.0, -np.inf) + (0.0 if transitions is None else transitions)
    score = np.where(allowed_start, log_probs[0] + (0.0 if start is None else start), -np.inf)
    back = np.zeros(log_probs.shape, dtype=np.int64)
    for t in range(1, len(log_probs)):
        candidates = score[:, None] + penalty  # previous tag × next tag
        back[t] = np.argmax(candidates, axis=0)
        score = candidates[back[t], np.arange(len(tags))] + log_probs[t]
    if end is not None:
        score = score + end
    best = [int(np.argmax(score))]
    for t in range(len(log_probs) - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return [tags[k] for k in reversed(best)]
