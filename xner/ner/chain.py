"""One sentence under a CRF head, kept for exact whole-entity probabilities (numpy and scipy,
so a tagged sentence carries it without torch).

A CRF's per-word marginals say how likely each word is to begin or continue an entity;
they cannot say how likely a span is to be one *whole* entity: "Angela" in "Angela Merkel"
is a likely start of a person but not a likely person on its own. :class:`Chain` keeps the
sentence's emissions and the CRF's scores; from their forward/backward log-scores
:meth:`Chain.entity_probabilities` gives that probability for any spans at once. Tested
against enumeration of every tag sequence (``tests/ner/test_crf.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.special import logsumexp

from xner.ner.decoding import allowed_transitions

FORBIDDEN = -1.0e4  # the score of a step IOB2 forbids: finite, so log-sum-exp and its gradient stay finite


@dataclass(frozen=True, eq=False)
class Chain:
    """One sentence as a CRF head sees it: enough to give the exact probability that any
    span of words is one whole entity (``entity_probabilities``), which per-word marginals
    cannot: "Angela" alone is a likely *start* of a person in "Angela Merkel", but not a
    likely whole entity. Built by :meth:`of` from the sentence's emissions and the CRF's
    learned scores (IOB2 penalties added). The forward/backward pass runs when a
    probability is first asked for, so tagging, which builds a chain for every sentence,
    does not pay for it."""

    tags: tuple[str, ...]
    emissions: np.ndarray  # words × tags
    start: np.ndarray
    transitions: np.ndarray
    end: np.ndarray

    @classmethod
    def of(cls, emissions: np.ndarray, learned: dict[str, np.ndarray], tags: Sequence[str]) -> Chain:
        start_ok, transition_ok = allowed_transitions(tags)
        return cls(tuple(tags), np.asarray(emissions, dtype=np.float64),
                   learned["start"] + np.where(start_ok, 0.0, FORBIDDEN),
                   learned["transitions"] + np.where(transition_ok, 0.0, FORBIDDEN),
                   learned["end"].astype(np.float64))

    @cached_property
    def _forward_backward(self) -> tuple[np.ndarray, np.ndarray, float]:
        """Forward log-scores (emission of the word included), backward log-scores (emission
        excluded), both words × tags, and the log partition function."""
        emissions, transitions = self.emissions, self.transitions
        n = len(emissions)
        alpha, beta = np.empty_like(emissions), np.empty_like(emissions)
        alpha[0] = self.start + emissions[0]
        for t in range(1, n):
            alpha[t] = logsumexp(alpha[t - 1][:, None] + transitions, axis=0) + emissions[t]
        beta[n - 1] = self.end
        for t in range(n - 2, -1, -1):
            beta[t] = logsumexp(transitions + (emissions[t + 1] + beta[t + 1])[None, :], axis=1)
        return alpha, beta, float(logsumexp(alpha[n - 1] + self.end))

    def entity_probabilities(self, starts: np.ndarray, ends: np.ndarray, label: str | None = None) -> np.ndarray:
        """For each span ``[starts[k], ends[k])``: the probability that exactly those words form
        one entity of ``label`` (``None``: of any label), i.e. ``B-l I-l … I-l`` there, and the
        next word, if any, not ``I-l``."""
        starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
        n, index = len(self.emissions), {tag: k for k, tag in enumerate(self.tags)}
        labels = [label] if label is not None else sorted({t[2:] for t in self.tags if t[:2] in ("B-", "I-")})
        total = np.zeros(len(starts))
        e, trans = self.emissions, self.transitions
        alpha, beta, log_partition = self._forward_backward
        for name in labels:
            b, i = index.get(f"B-{name}"), index.get(f"I-{name}")
            if b is None:
                continue
            # entering B-l at word s (from the start, or from any tag before it)
            enter = np.empty(n)
            enter[0] = self.start[b]
            enter[1:] = logsumexp(alpha[:-1] + trans[:, b][None, :], axis=1)
            enter += e[:, b]
            # staying inside: I-l at words s+1 … end-1 (prefix sums of trans[I, I] + e[t, I])
            if i is not None:
                steps = np.concatenate([[0.0], np.cumsum(trans[i, i] + e[:, i])])
            not_inside = np.array([k != i for k in range(len(self.tags))])

            def leave(last: int) -> np.ndarray:  # the span's last tag is `last`; what follows at word j
                out = np.empty(n + 1)
                out[n] = self.end[last]
                out[:n] = logsumexp((trans[last][None, :] + e + beta)[:, not_inside], axis=1)
                return out

            single, multi = ends - starts == 1, ends - starts > 1
            score = np.full(len(starts), -np.inf)
            score[single] = enter[starts[single]] + leave(b)[ends[single]]
            if i is not None and multi.any():
                s, j = starts[multi], ends[multi]
                inside = trans[b, i] - trans[i, i] + steps[j] - steps[s + 1]
                score[multi] = enter[s] + inside + leave(i)[j]
            total += np.exp(score - log_partition)
        return np.minimum(total, 1.0)
