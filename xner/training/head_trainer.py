"""Training a head tagger on frozen encoder features (``xner train --trainer head[:ENCODER]``).

The encoder is never back-propagated through (on a CPU that runs at a few sentences a
second); its word features are extracted once, cached on disk, and a small head
(:mod:`xner.ner.head_model`) is trained over them with Adam. After every epoch the head
is scored on the dev set (seqeval F1 with constrained IOB2 decoding) and the best epoch
is kept; training stops when the dev F1 has not improved for ``patience`` epochs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from xner.errors import ConfigError
from xner.evaluation.metrics import evaluate
from xner.io.tags import entities_to_tags, tags_to_entities
from xner.ner.features import WordFeatures, extract_features
from xner.ner.head_model import HeadConfig, build_network, check_shape, pad_batch, save_head
from xner.ner.head_tagger import predict
from xner.training.transformers_trainer import iob2_labels
from xner.types import Sentence

# the default head, as chosen on English CoNLL dev (bench/head_ner.py): a BiLSTM-CRF over a
# learned mix of every layer of multilingual-e5-small
DEFAULT_LAYERS = tuple(range(1, 13))
DEFAULT_KIND = "bilstm-crf"


@dataclass(frozen=True)
class HeadTrainReport:
    sentences: int
    epochs: int
    seconds: float
    losses: tuple[float, ...]
    labels: tuple[str, ...]
    feature_seconds: float
    head_seconds: float
    best_epoch: int
    dev_f1: tuple[float, ...]
    layer_weights: tuple[float, ...]


def _in_memory(features: WordFeatures, layers: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The chosen layers of ``features`` as one float16 array in memory, and the offsets."""
    index = [features.layers.index(layer) for layer in layers]
    if index == list(range(len(features.layers))):
        return np.ascontiguousarray(features.vectors), features.offsets
    return np.ascontiguousarray(features.vectors[:, index]), features.offsets


def _statistics(vectors: np.ndarray, chunk: int = 65536) -> tuple[np.ndarray, np.ndarray]:
    total = np.zeros(vectors.shape[1:], np.float64)
    squares = np.zeros(vectors.shape[1:], np.float64)
    for first in range(0, len(vectors), chunk):
        part = vectors[first : first + chunk].astype(np.float64)
        total += part.sum(0)
        squares += (part**2).sum(0)
    mean = total / max(1, len(vectors))
    std = np.sqrt(np.maximum(squares / max(1, len(vectors)) - mean**2, 0)) + 1e-4
    return mean.astype(np.float32), std.astype(np.float32)


def warm_start(network, tags: Sequence[str], base_config: HeadConfig, base_network) -> None:
    """Start ``network`` (built for ``tags``) from a trained head of the same shape: every
    weight is copied, the output rows and CRF scores matched by tag name (a tag the base
    never learned, e.g. DATE on top of an English CoNLL head, starts untrained; one the data
    lacks, e.g. MISC, is dropped), and the base's feature statistics are kept, since its
    weights were learned on features standardised by them."""
    import torch

    known = [k for k, tag in enumerate(tags) if tag in base_config.tags]
    source = torch.tensor([base_config.tags.index(tags[k]) for k in known], dtype=torch.long)
    target = torch.tensor(known, dtype=torch.long)
    state, base_state = network.state_dict(), base_network.state_dict()
    with torch.no_grad():
        for name, value in base_state.items():
            if name.startswith("out."):  # one row per tag
                state[name][target] = value[source]
            elif name in ("crf.start", "crf.end"):
                state[name][target] = value[source]
            elif name == "crf.transitions":
                state[name][target[:, None], target[None, :]] = value[source[:, None], source[None, :]]
            elif not name.startswith("crf."):  # the IOB2 penalties are rebuilt from the new tags
                state[name].copy_(value)
    network.load_state_dict(state)


def score_head(network, vectors: np.ndarray, offsets: np.ndarray, tags: Sequence[str],
               gold: Sequence[Sentence]) -> float:
    """Dev F1 (seqeval micro) of ``network`` with constrained decoding."""
    network.eval()
    decoded = predict(network, [vectors[offsets[k] : offsets[k + 1]] for k in range(len(gold))], tags)
    predicted = [tuple(tags_to_entities(p.tags)) for p in decoded]
    return evaluate([s.entities for s in gold], predicted, [len(s.words) for s in gold]).overall.f1


def train_head(
    sentences: Sequence[Sentence], output: str | Path | None = None, *, encoder: str = "e5",
    dev: Sequence[Sentence] | None = None, layers: Sequence[int] = DEFAULT_LAYERS,
    feature_layers: Sequence[int] | None = None, kind: str = DEFAULT_KIND, hidden: int = 256, dropout: float = 0.25,
    lstm_layers: int = 1,
    epochs: int = 10, patience: int = 3, batch_size: int = 32, learning_rate: float | None = None, seed: int = 0,
    cache: Path | bool = True, threads: int | None = None, log: Callable[[str], None] | None = None,
    features: WordFeatures | None = None, dev_features: WordFeatures | None = None, device: str | None = "auto",
    init: str | Path | None = None,
):
    """Train a head on ``sentences`` and save it to ``output`` (when given).

    ``layers`` are the encoder layers the head mixes; ``feature_layers`` (a superset, by
    default the same) are the layers extracted and cached, so several heads can be
    compared on one extraction. ``learning_rate`` defaults to 1e-3 for a BiLSTM and
    1e-2 for a linear head. ``threads`` sets torch's CPU threads (default: torch's own
    choice; a tiny head on a busy machine is fastest on one). ``features`` / ``dev_features``:
    features already extracted for the (non-empty) sentences, in order, with ``feature_layers``
    (the scaling study gathers them from one extraction of a whole corpus); then nothing is
    extracted here. ``device``: where the encoder extracts the features (``auto``: a CUDA GPU
    when torch sees one); the head trains on the CPU, where the features are. ``init``: a head
    directory to start from (:func:`warm_start`: e.g. the English head, so translate-train
    starts where model transfer ends); its encoder, layers and network shape then replace
    ``encoder``, ``layers``, ``kind``, ``hidden``, ``dropout`` and ``lstm_layers``. Returns
    ``(config, network, report)``.
    """
    import torch

    from xner.models.device import resolve_device

    check_shape(kind, hidden, lstm_layers)  # before minutes of feature extraction
    base = None
    if init is not None:
        from xner.ner.head_model import load_head

        base = load_head(init)  # a bad directory fails here, before minutes of feature extraction
        encoder, layers = base[0].encoder, base[0].layers
        kind, hidden, dropout, lstm_layers = base[0].kind, base[0].hidden, base[0].dropout, base[0].lstm_layers
    device = resolve_device(device)
    sentences = [s for s in sentences if s.words]
    if not sentences:
        raise ConfigError("no training sentences: the training data is empty")
    dev = [s for s in (dev or []) if s.words]
    if Path(encoder).is_dir():  # a directory is kept by its absolute path, so the model loads from anywhere
        encoder = str(Path(encoder).resolve())
    layers = tuple(sorted(set(layers)))
    feature_layers = tuple(sorted(set(feature_layers or layers)))
    if not set(layers) <= set(feature_layers):
        raise ConfigError(f"layers {layers} are not all among the extracted layers {feature_layers}")
    if threads:
        torch.set_num_threads(threads)
    learning_rate = learning_rate or (1e-2 if kind.startswith("linear") else 1e-3)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    tags = tuple(iob2_labels(sentences))
    tag_id = {t: i for i, t in enumerate(tags)}
    say = log or (lambda _message: None)

    start = time.perf_counter()
    train_features = features if features is not None else extract_features(
        [s.words for s in sentences], encoder, feature_layers, cache=cache, log=say, device=device)
    if dev and dev_features is None:
        dev_features = extract_features([s.words for s in dev], encoder, feature_layers, cache=cache, log=say,
                                        device=device)
    elif not dev:
        dev_features = None
    feature_seconds = time.perf_counter() - start

    vectors, offsets = _in_memory(train_features, layers)
    config = HeadConfig(encoder=encoder, layers=layers, tags=tags, dim=int(vectors.shape[2]), kind=kind,
                        hidden=hidden, dropout=dropout, lstm_layers=lstm_layers)
    network = build_network(config)
    if base is not None:
        warm_start(network, tags, *base)
    else:
        mean, std = _statistics(vectors)
        network.mean.copy_(torch.from_numpy(mean))
        network.std.copy_(torch.from_numpy(std))
    dev_vectors, dev_offsets = _in_memory(dev_features, layers) if dev_features is not None else (None, None)

    targets = [np.array([tag_id.get(t, 0) for t in entities_to_tags(len(s.words), s.entities)]) for s in sentences]
    optimizer = torch.optim.Adam(network.parameters(), lr=learning_rate)
    # batches of similar length (little padding), shuffled every epoch
    by_length = sorted(range(len(sentences)), key=lambda k: (len(sentences[k].words), k))
    batches = [by_length[i : i + batch_size] for i in range(0, len(by_length), batch_size)]
    losses, dev_f1 = [], []
    best_state, best_epoch, best_f1 = None, 0, -1.0
    head_start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        network.train()
        rng.shuffle(batches)
        total = 0.0
        for batch in batches:
            features, lengths = pad_batch([vectors[offsets[k] : offsets[k + 1]] for k in batch], vectors.shape[1:])
            gold = torch.full(features.shape[:2], -100, dtype=torch.long)
            for row, k in enumerate(batch):
                gold[row, : len(targets[k])] = torch.from_numpy(targets[k])
            loss = network.loss(network(features, lengths), gold, lengths)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 5.0)
            optimizer.step()
            total += loss.item() * len(batch)
        losses.append(total / len(sentences))
        if dev:
            f1 = score_head(network, dev_vectors, dev_offsets, tags, dev)
            dev_f1.append(f1)
            say(f"epoch {epoch}: loss {losses[-1]:.4f}, dev F1 {100 * f1:.2f}")
            if f1 > best_f1:
                best_state = {k: v.detach().clone() for k, v in network.state_dict().items()}
                best_epoch, best_f1 = epoch, f1
                if output is not None:  # a run cut short still leaves its best head so far
                    save_head(output, replace(config, training={
                        "partial": True, "sentences": len(sentences), "epochs_run": epoch, "best_epoch": epoch,
                        "dev_f1": [round(f, 4) for f in dev_f1],
                        "layer_weights": [round(float(w), 4) for w in torch.softmax(network.mix.detach(), 0)]}), network)
            elif epoch - best_epoch >= patience:
                break
        else:
            say(f"epoch {epoch}: loss {losses[-1]:.4f}")
            best_epoch = epoch
    if best_state is not None:
        network.load_state_dict(best_state)
    network.eval()
    head_seconds = time.perf_counter() - head_start
    weights = tuple(float(w) for w in torch.softmax(network.mix.detach(), 0))
    report = HeadTrainReport(
        sentences=len(sentences), epochs=len(losses), seconds=feature_seconds + head_seconds, losses=tuple(losses),
        labels=tuple(sorted({t.split("-", 1)[1] for t in tags if t != "O"})), feature_seconds=feature_seconds,
        head_seconds=head_seconds, best_epoch=best_epoch, dev_f1=tuple(dev_f1), layer_weights=weights)
    config = replace(config, training={
        "sentences": len(sentences), "epochs_run": len(losses), "best_epoch": best_epoch,
        "dev_f1": [round(f, 4) for f in dev_f1], "learning_rate": learning_rate, "batch_size": batch_size,
        "seed": seed, "layer_weights": [round(w, 4) for w in weights], "kind": kind,
        "init": str(Path(init).resolve()) if init is not None else None,
        "feature_seconds": round(feature_seconds, 1), "head_seconds": round(head_seconds, 1)})
    if output is not None:
        save_head(output, config, network)
    return config, network, report
