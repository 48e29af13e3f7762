"""Tagging a corpus with any NER (:func:`xner.ner.base.build_tagger`) and writing what it
found, with its probabilities, as CoNLL or JSONL (``xner tag``).

Words are tagged in their matching form (:func:`xner.text.matching_form`) and written as
they came. A CoNLL line is ``word<TAB>probability<TAB>tag``: the probability the tagger
gives the tag written (empty for a tagger without probabilities, spaCy); CoNLL readers
take the first column as the word and the last as the tag, so the file reads back as it is.
A JSONL record holds the words, the entities with their probabilities, the tags and each
word's distribution over the tags::

    {"id": 0, "words": ["Angela", "Merkel", "came"], "tags": ["B-PER", "I-PER", "O"],
     "entities": [[0, 2, "PER", 0.98]], "probabilities": [{"B-PER": 0.99, "O": 0.01, ...}, ...]}

An entity's probability is the exact probability that it is one whole entity where the
tagger is a CRF head (:class:`xner.ner.chain.Chain`), else the mean probability of its
words' tags. With a label set (:mod:`xner.label_sets`) the entities are in the target's
labels; an entity mapped to another label keeps its probability, a dropped one is gone and
its words are written ``O`` with the probability of ``O``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from xner.io.files import atomic_output
from xner.io.tags import OUTSIDE, entities_to_tags
from xner.io.words import is_writable_word
from xner.label_sets import LabelSet, parse_label_set
from xner.ner.base import TaggedSentence, Tagger
from xner.text import matching_form
from xner.types import Entity, Words

FORMATS = ("conll", "jsonl")
BATCH = 256  # sentences a tagger gets at once: progress to report, memory bounded


@dataclass(frozen=True)
class Tagged:
    """One sentence as written: its words, its entities (in the target's labels) with their
    probabilities, and the probability of each word's tag (``None`` without probabilities)."""

    words: Words
    entities: tuple[Entity, ...]
    entity_probabilities: tuple[float | None, ...]
    tags: tuple[str, ...]
    tag_probabilities: tuple[float | None, ...]
    distributions: tuple[dict[str, float], ...] | None


def entity_probability(tagged: TaggedSentence, entity: Entity) -> float | None:
    """The tagger's probability of ``entity`` (see the module); ``None`` without probabilities."""
    if tagged.chain is not None:
        import numpy as np

        value = tagged.chain.entity_probabilities(np.array([entity.start]), np.array([entity.end]), entity.label)
        return float(value[0])
    if not tagged.probabilities:
        return None
    from xner.projection.combine import entity_probability as mean_probability

    return mean_probability(tagged.probabilities, entity)


def tag_corpus(tagger: Tagger, sentences: Sequence[Words], label_set: LabelSet | str | None = None,
               progress: Callable[[int], None] | None = None) -> list[Tagged]:
    """Tag ``sentences`` (in batches of :data:`BATCH`; ``progress`` hears each batch's size)."""
    label_set = parse_label_set(label_set)
    found: list[TaggedSentence] = []
    for start in range(0, len(sentences), BATCH):
        batch = [matching_form(words) for words in sentences[start:start + BATCH]]
        found += tagger.tag(batch)
        if progress is not None:
            progress(len(batch))
    return [_as_written(tuple(words), tagged, label_set) for words, tagged in zip(sentences, found)]


def _as_written(words: Words, tagged: TaggedSentence, label_set: LabelSet | None) -> Tagged:
    probabilities = {entity: entity_probability(tagged, entity) for entity in tagged.entities}
    entities = tagged.entities if label_set is None else label_set.entities(tagged.entities)
    # a mapped entity keeps the probability of the entity it was mapped from (same span)
    by_span = {(e.start, e.end): p for e, p in probabilities.items()}
    tags = tuple(entities_to_tags(len(words), entities))
    as_tagged = entities_to_tags(len(words), tagged.entities)
    distributions = tuple(dict(d) for d in tagged.probabilities) if tagged.probabilities else None
    tag_probabilities = tuple(
        None if distributions is None else distributions[j].get(tag, distributions[j].get(as_tagged[j]))
        for j, tag in enumerate(tags))
    return Tagged(words, tuple(entities), tuple(by_span[e.start, e.end] for e in entities), tags, tag_probabilities,
                  distributions)


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def tagged_record(index: int, tagged: Tagged) -> dict:
    return {
        "id": index, "words": list(tagged.words), "tags": list(tagged.tags),
        "entities": [[e.start, e.end, e.label, _number(p)] for e, p in zip(tagged.entities, tagged.entity_probabilities)],
        "probabilities": None if tagged.distributions is None else
        [{tag: _number(p) for tag, p in d.items()} for d in tagged.distributions],
    }


def write_tagged(path: str | Path, sentences: Iterable[Tagged], fmt: str = "conll") -> list[int]:
    """Write ``sentences`` as CoNLL or JSONL (atomically); returns the (0-based) indices of
    the sentences CoNLL cannot hold (no words), which JSONL keeps in place."""
    if fmt not in FORMATS:
        from xner.errors import ConfigError

        raise ConfigError("unknown format {fmt!r}: use {format} conll or jsonl", settings=("format",), fmt=fmt)
    left_out = []
    with atomic_output(path) as handle:
        for k, tagged in enumerate(sentences):
            if fmt == "jsonl":
                handle.write(json.dumps(tagged_record(k, tagged), ensure_ascii=False) + "\n")
            elif not tagged.words:
                left_out.append(k)
            else:
                if not all(is_writable_word(w) for w in tagged.words):
                    raise ValueError(f"cannot write {tagged.words!r} as CoNLL: a word holds a tab or space")
                handle.write("".join(f"{w}\t{'' if p is None else f'{p:.4f}'}\t{t}\n"
                                     for w, t, p in zip(tagged.words, tagged.tags, tagged.tag_probabilities)) + "\n")
    return left_out


def format_of(path: str | Path, fmt: str | None) -> str:
    """``fmt`` when given, else ``jsonl`` for a ``.jsonl`` output and ``conll`` otherwise."""
    return fmt or ("jsonl" if Path(path).suffix.lower() == ".jsonl" else "conll")


__all__ = ["FORMATS", "OUTSIDE", "Tagged", "entity_probability", "format_of", "tag_corpus", "tagged_record",
           "write_tagged"]
