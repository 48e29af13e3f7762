"""Target label sets: the labels the target's annotation guidelines have.

English NER (CoNLL-2003, and the head trained on it) knows PER, ORG, LOC and MISC;
MasakhaNER 2.0 has no MISC and has DATE. Projected silver data, a model trained on it and
its evaluation should use the target's labels, so a label set says which labels exist
and what becomes of the others: mapped to one the target has (``GPE=LOC``), or dropped
(left O), which is what happens to any label it does not name.

A label set is written as a preset name (:data:`PRESETS`) or as labels and mappings,
comma-separated: ``PER,ORG,LOC,DATE``, ``PER,ORG,LOC,GPE=LOC``, ``PER,ORG,LOC,MISC=O``.

>>> masakhaner = parse_label_set("masakhaner")
>>> masakhaner.entities([Entity(0, 1, "PER"), Entity(2, 3, "MISC")])
(Entity(start=0, end=1, label='PER'),)
>>> str(parse_label_set("PER,LOC,GPE=LOC"))
'PER, LOC (GPE → LOC; any other label → O)'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from xner.errors import ConfigError
from xner.types import Entity, ProjectionResult, Sentence

OUTSIDE = "O"


@dataclass(frozen=True)
class LabelSet:
    """``labels`` the target has; ``mapping`` sends a label it lacks to one it has (or to
    ``O``); every other label is dropped. ``name``: the preset's, if it is one."""

    labels: tuple[str, ...]
    mapping: Mapping[str, str] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        if not self.labels:
            raise ConfigError("a label set needs at least one label, e.g. {labels} PER,ORG,LOC", settings=("labels",))
        for source, target in self.mapping.items():
            if target != OUTSIDE and target not in self.labels:
                raise ConfigError("{labels}: {source}={target} maps to a label the set does not have ({have})",
                                  settings=("labels",), source=source, target=target, have=",".join(self.labels))

    def label(self, label: str) -> str | None:
        """The target's label for ``label``; ``None`` when the target leaves it unlabelled."""
        if label in self.labels:
            return label
        mapped = self.mapping.get(label, OUTSIDE)
        return None if mapped == OUTSIDE else mapped

    def entities(self, entities: Iterable[Entity]) -> tuple[Entity, ...]:
        kept = []
        for entity in entities:
            label = self.label(entity.label)
            if label is not None:
                kept.append(entity if label == entity.label else Entity(entity.start, entity.end, label))
        return tuple(kept)

    def sentence(self, sentence: Sentence) -> Sentence:
        return replace(sentence, entities=self.entities(sentence.entities))

    def sentences(self, sentences: Sequence[Sentence]) -> list[Sentence]:
        return [self.sentence(s) for s in sentences]

    def projection(self, result: ProjectionResult) -> ProjectionResult:
        """``result`` with its entities in the target's labels; its candidates stay as they were
        (a derived form made MISC and then dropped keeps its chosen candidate).

        Every source entity is projected first and mapped after, not left out beforehand: a
        MISC entity still takes its target span from the others (no other entity claims
        "Nigerians"), and one projected onto the name it derives from is relabelled ("Nigerian"
        → "Nigeria" LOC, :func:`xner.projection.labels.projected_label`). Chosen on the
        MasakhaNER dev sets: 82.3 vs 80.9 (lug), 75.3 vs 74.3 (pcm) F1 with MISC left out first."""
        entities = self.entities(result.entities)
        return result if entities == result.entities else replace(result, entities=entities)

    def __str__(self) -> str:
        mapped = ", ".join(f"{source} → {target}" for source, target in self.mapping.items())
        rule = f"{mapped}; any other label → O" if mapped else "any other label → O"
        named = f"{self.name}: " if self.name else ""
        return f"{named}{', '.join(self.labels)} ({rule})"


PRESETS: Mapping[str, LabelSet] = {
    "conll": LabelSet(("PER", "ORG", "LOC", "MISC"), name="conll"),
    # MasakhaNER 2.0 (news): no MISC; DATE, which English CoNLL NER never finds
    "masakhaner": LabelSet(("PER", "ORG", "LOC", "DATE"), name="masakhaner"),
}


def parse_label_set(spec: str | LabelSet | None) -> LabelSet | None:
    """A preset name or ``LABEL,...,FROM=TO,...`` (see the module); ``None``/``""``: no label set
    (every label kept as it is)."""
    if spec is None or isinstance(spec, LabelSet):
        return spec
    text = spec.strip()
    if not text:
        return None
    if text.lower() in PRESETS:
        return PRESETS[text.lower()]
    labels: list[str] = []
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        source, equals, target = (s.strip() for s in part.partition("="))
        if not source or (equals and not target) or " " in part:
            raise ConfigError("{labels} {spec!r}: write a preset ({presets}) or labels and mappings, "
                              "e.g. PER,ORG,LOC,DATE or PER,ORG,LOC,GPE=LOC", settings=("labels",), spec=spec,
                              presets=", ".join(PRESETS))
        if equals:
            mapping[source] = target
        else:
            labels.append(source)
    if len(labels) == 1 and not mapping and labels[0].islower():
        raise ConfigError("{labels} {spec!r}: no such preset ({presets}); or list the labels, e.g. PER,ORG,LOC",
                          settings=("labels",), spec=spec, presets=", ".join(PRESETS))
    return LabelSet(tuple(dict.fromkeys(labels)), mapping)


def restrict(sentences: Sequence[Sentence], label_set: LabelSet | str | None) -> list[Sentence]:
    """``sentences`` in the labels of ``label_set`` (as they are when there is none)."""
    label_set = parse_label_set(label_set)
    return list(sentences) if label_set is None else label_set.sentences(sentences)
