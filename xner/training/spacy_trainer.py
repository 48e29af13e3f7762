"""A spaCy NER pipeline (blank language, tok2vec + ner), trained on the CPU or a GPU.

Fixed seed, fixed number of epochs, pre-tokenised words (never re-tokenised), so a run
is reproducible and its cost is predictable; the scaling study relies on both. spaCy
uses a GPU through CuPy (``device``: :func:`~xner.models.device.spacy_gpu`); on a
machine without one, ``auto`` trains on the CPU.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xner.errors import ConfigError, MissingDependencyError
from xner.io.tags import entities_to_tags
from xner.types import Entity, Sentence, Words


@dataclass(frozen=True)
class TrainReport:
    sentences: int
    epochs: int
    seconds: float
    losses: tuple[float, ...]
    labels: tuple[str, ...]


def blank_pipeline(lang: str):
    try:
        import spacy
    except ImportError:
        raise MissingDependencyError("spaCy", "pip install spacy") from None
    try:
        return spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        # languages spaCy has no tokenizer rules for get the multi-language defaults
        return spacy.blank("xx")


def _docs(nlp, sentences: Sequence[Sentence]):
    from spacy.tokens import Doc
    from spacy.training import Example

    examples = []
    for sentence in sentences:
        if not sentence.words:
            continue
        tags = entities_to_tags(len(sentence.words), sentence.entities)
        reference = Doc(nlp.vocab, words=list(sentence.words), ents=tags)
        examples.append(Example(Doc(nlp.vocab, words=list(sentence.words)), reference))
    return examples


def train_spacy(
    sentences: Sequence[Sentence], lang: str, output: str | Path | None = None, *, epochs: int = 10,
    seed: int = 0, batch_size: int = 32, dropout: float = 0.2, progress=None, device: str | None = "auto",
) -> tuple[object, TrainReport]:
    """Train and (optionally) save to ``output``; returns the pipeline and a report.

    ``device``: ``auto`` (a GPU when spaCy can use one), ``cpu``, ``cuda`` or ``cuda:N``."""
    from xner.models.device import spacy_gpu, spacy_ops

    if epochs < 1:
        raise ConfigError(f"epochs must be >= 1, got {epochs}")
    gpu = spacy_gpu(device)  # a GPU that cannot be had is an error before any work
    with spacy_ops(gpu):
        return _train(sentences, lang, output, epochs, seed, batch_size, dropout, progress)


def _train(sentences, lang, output, epochs, seed, batch_size, dropout, progress) -> tuple[object, TrainReport]:
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = blank_pipeline(lang)
    ner = nlp.add_pipe("ner")
    examples = _docs(nlp, sentences)
    if not examples:
        raise ConfigError("no training sentences: the silver data is empty")
    labels = sorted({e.label for s in sentences for e in s.entities})
    for label in labels:
        ner.add_label(label)
    start = time.perf_counter()
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    losses_per_epoch = []
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=batch_size):
            nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
        losses_per_epoch.append(float(losses.get("ner", 0.0)))
        if progress is not None:
            progress(epoch + 1, epochs)
    seconds = time.perf_counter() - start
    if output is not None:
        Path(output).mkdir(parents=True, exist_ok=True)
        nlp.to_disk(output)
    return nlp, TrainReport(len(examples), epochs, seconds, tuple(losses_per_epoch), tuple(labels))


def predict_spacy(nlp, sentences: Sequence[Words], batch_size: int = 256) -> list[tuple[Entity, ...]]:
    from spacy.tokens import Doc

    docs = [Doc(nlp.vocab, words=list(words)) for words in sentences if len(words)]
    predicted = iter(nlp.pipe(docs, batch_size=batch_size))
    result = []
    for words in sentences:
        if not len(words):
            result.append(())
            continue
        doc = next(predicted)
        result.append(tuple(Entity(e.start, e.end, e.label_) for e in doc.ents))
    return result


def load_trained(path: str | Path, device: str | None = "auto"):
    """A pipeline ``train_spacy`` saved, loaded on ``device`` (as for :func:`train_spacy`)."""
    import spacy

    from xner.models.device import spacy_gpu, spacy_ops

    if not Path(path, "config.cfg").is_file():
        raise ConfigError(f"{path}: not a trained spaCy pipeline (no config.cfg); train one with `xner train`")
    with spacy_ops(spacy_gpu(device)):
        return spacy.load(path)
