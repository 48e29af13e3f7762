"""Translate-test combined with a tagger run on the target words themselves.

Translate-test projects English entities onto the target words (METHOD §1); a
multilingual tagger applied to the target words directly (model transfer) makes other
mistakes. A *combination* merges the two per sentence, given the projected entities and
the target tagger's :class:`~xner.ner.base.TaggedSentence` (entities + per-word tag
probabilities) and, where known, the source NER's probability of the entity behind each
projected span (:func:`source_probabilities`). Rules, named ``RULE:VALUE`` and chained
with ``+`` (left to right):

- ``confirm:τ`` — keep a projected entity only when the source NER's probability of its
  source entity or the tagger's probability of it is ≥ τ (unknown source: kept);
- ``complete:τ`` — keep every projected entity; add each tagger entity that overlaps
  none of them when the tagger's probability of it (:func:`entity_probability`) is ≥ τ;
- ``relabel:w`` — keep the projected spans; give each the label ``l`` maximising
  ``(1 − w)·[l is the projected label] + w·(mean over its words of p(B-l) + p(I-l))``;
- ``mix:w`` — per word ``(1 − w)·q + w·(tagger's distribution)``, then constrained IOB2
  decoding (:func:`xner.ner.decoding.decode_iob2`); ``q`` puts the source probability
  ``c`` of a projected entity on its projected tag and ``1 − c`` on ``O`` (``c = 1``
  where unknown), and all of it on ``O`` outside projected entities.

>>> from xner.ner.base import TaggedSentence
>>> from xner.types import Entity
>>> probs = ({"O": 0.9, "B-PER": 0.1}, {"O": 0.05, "B-PER": 0.95})
>>> tagged = TaggedSentence((Entity(1, 2, "PER"),), tuple(probs))
>>> combine((Entity(0, 1, "LOC"),), tagged, parse_combination("complete:0.9"))
(Entity(start=0, end=1, label='LOC'), Entity(start=1, end=2, label='PER'))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from xner.errors import ConfigError
from xner.ner.base import TaggedSentence
from xner.types import Entity, ProjectionResult, SentencePair, Span

Distributions = Sequence[Mapping[str, float]]
Sources = Mapping[Span, float]  # projected span -> the source NER's probability of its source entity
UNKNOWN: Sources = MappingProxyType({})  # no source probabilities: every source entity counts as sure
EXAMPLE = "confirm:0.6, complete:0.9, relabel:0.8 or mix:0.4, chained with + (confirm:0.6+relabel:0.8+complete:0.95)"


def entity_probability(probabilities: Distributions, entity: Entity) -> float:
    """The tagger's mean per-word probability of exactly this entity's tags
    (``B-l`` on its first word, ``I-l`` on the others)."""
    tags = [f"B-{entity.label}"] + [f"I-{entity.label}"] * (len(entity) - 1)
    return sum(probabilities[j].get(tag, 0.0) for j, tag in zip(entity.span.indices(), tags)) / len(entity)


def class_probability(probabilities: Distributions, entity: Entity, label: str) -> float:
    """Mean over the entity's words of ``p(B-label) + p(I-label)``: how much the tagger
    thinks these words belong to some ``label`` entity, wherever it would start."""
    words = [probabilities[j] for j in entity.span.indices()]
    return sum(d.get(f"B-{label}", 0.0) + d.get(f"I-{label}", 0.0) for d in words) / len(words)


def labels_of(probabilities: Distributions) -> list[str]:
    return sorted({tag[2:] for d in probabilities for tag in d if tag[:2] in ("B-", "I-")})


def source_probabilities(projection: ProjectionResult, pair: SentencePair, source: TaggedSentence) -> dict[Span, float]:
    """Per projected span, the source tagger's probability of the source entity it was chosen
    for. Known where the projector records its choices as chosen candidates carrying their
    finished spans (heuristic, n-gram, NER-span, fused); empty for a tagger without
    probabilities."""
    if not source.probabilities:
        return {}
    return {c.span: _tagged_probability(source, pair.source_entities[c.entity_index])
            for c in projection.candidates if c.chosen}


def _tagged_probability(source: TaggedSentence, entity: Entity) -> float:
    """The tagger's probability of ``entity``; for one the pipeline joined from tagged parts
    (a word the translation split at a hyphen), the least probability of its parts: the
    tags of the joined span itself (O at the hyphen, B- after it) do not describe it."""
    parts = [e for e in source.entities if entity.start <= e.start and e.end <= entity.end]
    if entity in source.entities or len(parts) < 2:
        return entity_probability(source.probabilities, entity)
    return min(entity_probability(source.probabilities, part) for part in parts)


def confirm(projected: Sequence[Entity], tagged: TaggedSentence, threshold: float,
            sources: Sources = UNKNOWN) -> tuple[Entity, ...]:
    """The projected entities that one side is sure of: source or tagger probability ≥ ``threshold``."""
    return tuple(sorted(e for e in projected if sources.get(e.span, 1.0) >= threshold
                        or entity_probability(tagged.probabilities, e) >= threshold))


def complete(projected: Sequence[Entity], tagged: TaggedSentence, threshold: float,
             sources: Sources = UNKNOWN) -> tuple[Entity, ...]:
    """``projected`` plus the tagged entities overlapping none of them, probability ≥ ``threshold``."""
    added = [e for e in tagged.entities
             if not any(e.span.overlaps(p.span) for p in projected)
             and entity_probability(tagged.probabilities, e) >= threshold]
    return tuple(sorted([*projected, *added]))


def relabel(projected: Sequence[Entity], tagged: TaggedSentence, weight: float,
            sources: Sources = UNKNOWN) -> tuple[Entity, ...]:
    """The projected spans, each with the label both sides agree on best (ties: the projected one)."""
    labels = labels_of(tagged.probabilities)
    result = []
    for entity in projected:
        def support(label: str) -> float:
            return (1 - weight) * (label == entity.label) + weight * class_probability(tagged.probabilities, entity, label)
        best = max([entity.label, *labels], key=support)  # max keeps the first of equals: the projected label
        result.append(Entity(entity.start, entity.end, best))
    return tuple(sorted(result))


def mix(projected: Sequence[Entity], tagged: TaggedSentence, weight: float,
        sources: Sources = UNKNOWN) -> tuple[Entity, ...]:
    """Constrained IOB2 decoding of the weighted mean of the projected tags (as sure as the
    source NER was of each entity) and the tagger's per-word distributions."""
    from xner.io.tags import entities_to_tags, tags_to_entities
    from xner.ner.decoding import decode_iob2

    probabilities = tagged.probabilities
    projected_tags = entities_to_tags(len(probabilities), projected)
    tags = sorted({"O", *projected_tags, *(t for d in probabilities for t in d)})
    column = {tag: k for k, tag in enumerate(tags)}
    mixed = np.array([[weight * d.get(tag, 0.0) for tag in tags] for d in probabilities]).reshape(len(probabilities), len(tags))
    sure = np.ones(len(projected_tags))
    for entity in projected:
        sure[entity.start : entity.end] = sources.get(entity.span, 1.0)
    rows = np.arange(len(projected_tags))
    mixed[rows, [column[t] for t in projected_tags]] += (1 - weight) * sure
    mixed[rows, column["O"]] += (1 - weight) * (1 - sure)
    with np.errstate(divide="ignore"):
        return tuple(tags_to_entities(decode_iob2(np.log(mixed), tags)))


RULES: dict[str, Callable[[Sequence[Entity], TaggedSentence, float, Sources], tuple[Entity, ...]]] = {
    "confirm": confirm, "complete": complete, "relabel": relabel, "mix": mix,
}


@dataclass(frozen=True)
class Combination:
    """Rules applied in order: ``((name, value), ...)``; ``name`` is how a spec writes them."""

    steps: tuple[tuple[str, float], ...]

    @property
    def name(self) -> str:
        return "+".join(f"{rule}:{value:g}" for rule, value in self.steps)


def parse_combination(spec: str | Combination | None) -> Combination | None:
    """``complete:0.9`` / ``relabel:0.6+complete:0.9`` as a :class:`Combination` (empty: none).

    >>> parse_combination("relabel:0.6 + complete:0.9").name
    'relabel:0.6+complete:0.9'
    """
    if spec is None or isinstance(spec, Combination):
        return spec
    steps = []
    for part in filter(None, (p.strip() for p in spec.split("+"))):
        rule, sep, value = (s.strip() for s in part.partition(":"))
        if rule not in RULES:
            raise ConfigError(f"combination {spec!r}: unknown rule {rule!r}; the rules are "
                              f"{', '.join(RULES)} (e.g. {EXAMPLE})")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not sep or not 0 <= number <= 1:
            raise ConfigError(f"combination {spec!r}: {rule} needs a number from 0 to 1 after a colon ({EXAMPLE})")
        steps.append((rule, number))
    return Combination(tuple(steps)) if steps else None


def combine(projected: Sequence[Entity], tagged: TaggedSentence, combination: Combination | str,
            sources: Sources | None = None) -> tuple[Entity, ...]:
    """The entities of one target sentence after every rule of ``combination``.

    ``tagged`` is the target tagger's output on the same target words; it needs per-word
    probabilities (a ``head:DIR`` or ``hf:MODEL`` tagger gives them). ``sources``: see
    :func:`source_probabilities` (none: every source entity counts as sure).
    """
    combination = parse_combination(combination)
    entities = tuple(sorted(projected))
    if combination is None:
        return entities
    if tagged.probabilities is None:
        raise ConfigError("combining translate-test with a target tagger needs its per-word probabilities: "
                          "use a head:DIR or hf:MODEL tagger (spaCy gives none)")
    for rule, value in combination.steps:
        entities = RULES[rule](entities, tagged, value, sources or UNKNOWN)
    return entities
