"""The small network a head tagger trains over frozen encoder features, and its files.

Input per word: ``n_layers × dim`` features, standardised per layer and dimension with
the training set's statistics; a learned softmax-weighted mix of the layers (one layer is
a mix of one); then either a linear layer (``linear``) or a bidirectional LSTM
(``lstm_layers`` deep) and a linear layer (``bilstm``) giving one score per IOB2 tag.
Those scores are either each word's softmax over the tags, or, with ``-crf``
(``linear-crf``, ``bilstm-crf``), the emissions of a linear-chain CRF
(:mod:`xner.ner.crf`) whose learned transitions are confined to IOB2 (an ``I-X`` only
after ``B-X`` / ``I-X``); its per-word probabilities are the exact marginals.

A model directory holds ``xner-head.json`` (encoder, layers, tags, sizes, how it was
trained) and ``head.pt`` (the weights, loaded with ``weights_only=True``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xner.errors import ConfigError

CONFIG_FILE = "xner-head.json"
WEIGHTS_FILE = "head.pt"
KINDS = ("linear", "bilstm", "linear-crf", "bilstm-crf")


def check_shape(kind: str, hidden: int, lstm_layers: int) -> None:
    """A :class:`ConfigError` for a head that cannot be built."""
    if kind not in KINDS:
        raise ConfigError(f"unknown head {kind!r}; choose one of: {', '.join(KINDS)}")
    if lstm_layers < 1 or hidden < 1:
        raise ConfigError(f"a head needs at least one LSTM layer of at least one unit (lstm_layers={lstm_layers}, "
                          f"hidden={hidden})")


@dataclass(frozen=True)
class HeadConfig:
    encoder: str
    layers: tuple[int, ...]
    tags: tuple[str, ...]
    dim: int
    kind: str = "bilstm"
    hidden: int = 256
    dropout: float = 0.25
    lstm_layers: int = 1
    training: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        check_shape(self.kind, self.hidden, self.lstm_layers)

    @property
    def crf(self) -> bool:
        return self.kind.endswith("-crf")


def build_network(config: HeadConfig):
    import torch
    from torch import nn

    from xner.ner.crf import LinearChainCRF

    class HeadNetwork(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            n_layers = len(config.layers)
            self.register_buffer("mean", torch.zeros(n_layers, config.dim))
            self.register_buffer("std", torch.ones(n_layers, config.dim))
            self.mix = nn.Parameter(torch.zeros(n_layers))
            self.dropout = nn.Dropout(config.dropout)
            if config.kind.startswith("bilstm"):
                self.lstm = nn.LSTM(config.dim, config.hidden, num_layers=config.lstm_layers, batch_first=True,
                                    bidirectional=True, dropout=config.dropout if config.lstm_layers > 1 else 0.0)
                width = 2 * config.hidden
            else:
                self.lstm = None
                width = config.dim
            self.out = nn.Linear(width, len(config.tags))
            self.crf = LinearChainCRF(config.tags) if config.crf else None

        def forward(self, features: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
            """``features``: batch × words × layers × dim (padded); returns batch × words × tags logits."""
            x = (features.float() - self.mean) / self.std
            x = torch.einsum("btld,l->btd", x, torch.softmax(self.mix, dim=0))
            x = self.dropout(x)
            if self.lstm is not None:
                packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
                x, _ = self.lstm(packed)
                x, _ = nn.utils.rnn.pad_packed_sequence(x, batch_first=True, total_length=features.shape[1])
                x = self.dropout(x)
            return self.out(x)

        def loss(self, scores: torch.Tensor, gold: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
            """Mean negative log-likelihood per sentence (CRF) or per word (softmax) of ``gold``
            (batch × words tag ids, ``-100`` past each sentence's end)."""
            if self.crf is not None:
                return self.crf.neg_log_likelihood(scores, gold.clamp(min=0), lengths).mean()
            return nn.functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), gold.reshape(-1), ignore_index=-100)

        def log_marginals(self, scores: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
            """batch × words × tags: each word's log-probability of each tag."""
            if self.crf is not None:
                return self.crf.log_marginals(scores, lengths)
            return torch.log_softmax(scores, dim=-1)

    return HeadNetwork()


def save_head(directory: str | Path, config: HeadConfig, network) -> Path:
    import torch

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    payload = asdict(config)
    payload["layers"], payload["tags"] = list(config.layers), list(config.tags)
    (directory / CONFIG_FILE).write_text(json.dumps(payload, indent=2) + "\n")
    torch.save(network.state_dict(), directory / WEIGHTS_FILE)
    return directory


def is_head_model(directory: str | Path) -> bool:
    return (Path(directory) / CONFIG_FILE).is_file() and (Path(directory) / WEIGHTS_FILE).is_file()


def load_head(directory: str | Path):
    """``(config, network in eval mode)`` from a directory written by :func:`save_head`."""
    import torch

    directory = Path(directory)
    if not is_head_model(directory):
        raise ConfigError(f"{directory}: not a head tagger (no {CONFIG_FILE} and {WEIGHTS_FILE}); "
                          "train one with: xner train CONLL --trainer head --dev DEV.conll -o DIR")
    payload = json.loads((directory / CONFIG_FILE).read_text())
    config = HeadConfig(**{**payload, "layers": tuple(payload["layers"]), "tags": tuple(payload["tags"])})
    network = build_network(config)
    network.load_state_dict(torch.load(directory / WEIGHTS_FILE, weights_only=True))
    return config, network.eval()


def pad_batch(features: Sequence, layers_dim: tuple[int, int]):
    """Stack per-sentence ``words × layers × dim`` arrays into a padded tensor and lengths."""
    import numpy as np
    import torch

    lengths = [len(f) for f in features]
    batch = np.zeros((len(features), max(lengths), *layers_dim), dtype=np.float32)
    for row, f in enumerate(features):
        batch[row, : len(f)] = f
    return torch.from_numpy(batch), torch.tensor(lengths)
