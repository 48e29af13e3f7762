"""Fine-tuning any transformers encoder (hub id or directory) for token classification.

Labels go on each word's first sub-word (the others are ignored in the loss, and the
word takes the first sub-word's prediction), as the paper's source NER does. A plain
PyTorch loop with AdamW and a fixed seed, on ``device`` (``auto``: a CUDA GPU when torch
sees one); the offline e5 encoder works here too.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from pathlib import Path

from xner.errors import ConfigError
from xner.io.tags import entities_to_tags
from xner.training.spacy_trainer import TrainReport
from xner.types import Sentence

IGNORE = -100


def iob2_labels(sentences: Sequence[Sentence]) -> list[str]:
    classes = sorted({e.label for s in sentences for e in s.entities})
    return ["O"] + [f"{p}-{c}" for c in classes for p in ("B", "I")]


def train_transformers(
    sentences: Sequence[Sentence], model: str, output: str | Path, *, epochs: int = 3, seed: int = 0,
    batch_size: int = 16, learning_rate: float = 5e-5, max_subwords: int = 256, device: str | None = "auto",
) -> TrainReport:
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from xner.models.device import resolve_device
    from xner.models.encoder import resolve_model

    device = resolve_device(device)  # a device that cannot be had is an error before any model loads
    sentences = [s for s in sentences if s.words]
    if not sentences:
        raise ConfigError("no training sentences: the silver data is empty")
    torch.manual_seed(seed)
    random.seed(seed)
    labels = iob2_labels(sentences)
    label_id = {label: i for i, label in enumerate(labels)}
    path = resolve_model(model)
    tokenizer = AutoTokenizer.from_pretrained(path)
    network = AutoModelForTokenClassification.from_pretrained(
        path, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id=label_id).to(device)
    network.train()

    def encode(batch: Sequence[Sentence]):
        encoded = tokenizer([list(s.words) for s in batch], is_split_into_words=True, truncation=True,
                            max_length=max_subwords, padding=True, return_tensors="pt")
        targets = torch.full(encoded["input_ids"].shape, IGNORE, dtype=torch.long)
        for row, sentence in enumerate(batch):
            tags = entities_to_tags(len(sentence.words), sentence.entities)
            previous = None
            for position, word in enumerate(encoded.word_ids(row)):
                if word is not None and word != previous:
                    targets[row, position] = label_id[tags[word]]
                previous = word
        return {name: tensor.to(device) for name, tensor in encoded.items()}, targets.to(device)

    optimizer = torch.optim.AdamW(network.parameters(), lr=learning_rate)
    order = list(range(len(sentences)))
    rng = random.Random(seed)
    losses = []
    start = time.perf_counter()
    for _ in range(epochs):
        rng.shuffle(order)
        total = 0.0
        for first in range(0, len(order), batch_size):
            encoded, targets = encode([sentences[k] for k in order[first : first + batch_size]])
            loss = network(**encoded, labels=targets).loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        losses.append(total)
    seconds = time.perf_counter() - start
    Path(output).mkdir(parents=True, exist_ok=True)
    network.save_pretrained(output)
    tokenizer.save_pretrained(output)
    return TrainReport(len(sentences), epochs, seconds, tuple(losses), tuple(labels))
