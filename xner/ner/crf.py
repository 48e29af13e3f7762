"""A linear-chain CRF layer confined to IOB2, for the head tagger (``kind="bilstm-crf"``).

The score of a tag sequence ``y`` of a sentence with emissions ``e`` (words × tags) is
``start[y₀] + Σₜ e[t, yₜ] + Σₜ transition[yₜ₋₁, yₜ] + end[y₋₁]``; ``start``, ``transition``
and ``end`` are learned. Sequences that break IOB2 (an ``I-X`` opening a sentence or
following anything but ``B-X`` / ``I-X``) get a fixed penalty so large that their
probability is zero in float32, so the model is trained, and its marginals computed, over
valid sequences only; decoding (:func:`xner.ner.decoding.decode_iob2` with the learned
scores) forbids them outright.

Written here rather than taken from ``pytorch-crf``: the tagger needs per-word marginal
probabilities (the NER score of fused projection, the combination rules), which that
package does not compute, and the IOB2 constraints. Tested against enumeration of every
tag sequence (``tests/ner/test_crf.py``). What a tagged sentence keeps of it, for exact
whole-entity probabilities, is a :class:`xner.ner.chain.Chain` (numpy and scipy, no torch).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from xner.ner.chain import FORBIDDEN
from xner.ner.decoding import allowed_transitions


class LinearChainCRF(nn.Module):
    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__()
        n = len(tags)
        start_ok, transition_ok = allowed_transitions(tags)
        self.start = nn.Parameter(torch.zeros(n))
        self.transitions = nn.Parameter(torch.zeros(n, n))
        self.end = nn.Parameter(torch.zeros(n))
        self.register_buffer("start_penalty", torch.from_numpy(np.where(start_ok, 0.0, FORBIDDEN).astype(np.float32)))
        self.register_buffer("transition_penalty",
                             torch.from_numpy(np.where(transition_ok, 0.0, FORBIDDEN).astype(np.float32)))

    def _potentials(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.start + self.start_penalty, self.transitions + self.transition_penalty, self.end

    @staticmethod
    def _mask(emissions: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return torch.arange(emissions.shape[1])[None, :] < lengths.to(torch.long)[:, None]

    def _forward(self, emissions: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Forward log-scores ``α`` (batch × words × tags; past a sentence's end, its last
        ``α`` repeated) and the log-partition per sentence."""
        start, transitions, end = self._potentials()
        alpha = start + emissions[:, 0]
        alphas = [alpha]
        for t in range(1, emissions.shape[1]):
            step = torch.logsumexp(alpha.unsqueeze(2) + transitions, dim=1) + emissions[:, t]
            alpha = torch.where(mask[:, t, None], step, alpha)
            alphas.append(alpha)
        return torch.stack(alphas, 1), torch.logsumexp(alpha + end, dim=1)

    def neg_log_likelihood(self, emissions: torch.Tensor, gold: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """``−log p(gold)`` per sentence; ``emissions``: batch × words × tags, ``gold``:
        batch × words tag ids (anything past a sentence's end is ignored)."""
        mask = self._mask(emissions, lengths)
        start, transitions, end = self._potentials()
        emitted = emissions.gather(2, gold.unsqueeze(2)).squeeze(2)
        zero = emitted.new_zeros(())
        score = start[gold[:, 0]] + torch.where(mask, emitted, zero).sum(1)
        if gold.shape[1] > 1:
            score = score + torch.where(mask[:, 1:], transitions[gold[:, :-1], gold[:, 1:]], zero).sum(1)
        last = gold.gather(1, (lengths.to(torch.long) - 1).clamp(min=0).unsqueeze(1)).squeeze(1)
        score = score + end[last]
        _, log_partition = self._forward(emissions, mask)
        return log_partition - score

    def log_marginals(self, emissions: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """batch × words × tags: ``log p(yₜ = tag)`` by forward-backward (rows past a
        sentence's end are meaningless)."""
        mask = self._mask(emissions, lengths)
        _, transitions, end = self._potentials()
        alphas, log_partition = self._forward(emissions, mask)
        words = emissions.shape[1]
        beta = end.expand(emissions.shape[0], -1)
        betas = [beta] * words
        for t in range(words - 2, -1, -1):
            step = torch.logsumexp(transitions.unsqueeze(0) + (emissions[:, t + 1] + beta).unsqueeze(1), dim=2)
            beta = torch.where(mask[:, t + 1, None], step, end.expand_as(step))
            betas[t] = beta
        return alphas + torch.stack(betas, 1) - log_partition[:, None, None]

    def decoding_scores(self) -> dict[str, np.ndarray]:
        """The learned start / transition / end scores, as :func:`decode_iob2` takes them
        (it adds the IOB2 constraints itself)."""
        return {"start": self.start.detach().numpy().astype(np.float64),
                "transitions": self.transitions.detach().numpy().astype(np.float64),
                "end": self.end.detach().numpy().astype(np.float64)}
