"""The label a projected span gets.

Usually the source entity's. One exception follows the CoNLL annotation guidelines:
words *derived* from a name — nationality and other adjectives like "finnischen" for
"Finland" or "comunitarias" for "Community" — are MISC, not LOC or ORG. Languages often
render a source name as such a derived word ("in Belgium, Finland" → "in belgischen,
finnischen Häfen"), and in the many languages that write adjectives in lower case it
shows: a single lower-case target word projected from a capitalised source name is a
derived form. :func:`projected_label` relabels exactly that case through a mapping
(``LOC/ORG → MISC`` by default; adjectives from person names are rare, and a person
projected onto a lower-case word is more likely a wrong link). Labels outside the
mapping (other tag sets) never change and an empty mapping turns the rule off. A
mapping to ``O`` leaves the derived form unlabelled, as guidelines that do not annotate
such adjectives want (CoNLL-2002 Spanish: "español", "europeo" are O; English CoNLL-2003
labels "Spanish" MISC): ``LOC=O,ORG=O,MISC=O``. The rule needs a script with case: in
Arabic, Chinese, Thai, ... every word lacks upper-case letters, names included, so a word
there is never taken for a derived form.
"""

from __future__ import annotations

from collections.abc import Mapping

from xner.errors import ConfigError
from xner.projection.boundaries import BoundaryTrimmer
from xner.types import Entity, SentencePair, Span

DERIVED_LABELS: Mapping[str, str] = {"LOC": "MISC", "ORG": "MISC"}
NOT_AN_ENTITY = "O"  # a derived form mapped to this is left unlabelled
_UNLABELLED = "chosen, but a derived form"


def unlabelled_reason(word: str) -> str:
    """The reason a candidate gives when it was chosen but, a derived form mapped to ``O``, left unlabelled."""
    return f"{_UNLABELLED} ({word!r}), which these labels leave unlabelled"


def left_unlabelled(candidate) -> bool:
    """Whether ``candidate`` was chosen and then left unlabelled as a derived form: its
    entity was projected as the guidelines want (e.g. 'español' stays O), not lost."""
    return not candidate.chosen and candidate.reason.startswith(_UNLABELLED)


def projected_label(pair: SentencePair, entity_index: int, span: Span,
                    derived: Mapping[str, str] = DERIVED_LABELS) -> str:
    """The label for ``span`` projected from source entity ``entity_index``."""
    entity: Entity = pair.source_entities[entity_index]
    if entity.label not in derived or len(span) != 1 or not is_written_in_lower_case(pair.target_words[span.start]):
        return entity.label
    source = pair.source_words[entity.start:entity.end]
    return derived[entity.label] if any(ch.isupper() for word in source for ch in word) else entity.label


def is_written_in_lower_case(word: str) -> bool:
    """A word of a cased script written in lower case ("finnischen", "ευρωπαϊκή"); false
    for words of scripts without case ("فنلندا", "芬兰", "ฟินแลนด์"), whose letters are
    neither upper nor lower case."""
    return any(ch.islower() for ch in word) and not any(ch.isupper() or ch.istitle() for ch in word)


def projected_entity(pair: SentencePair, entity_index: int, span: Span, boundaries: BoundaryTrimmer | None,
                     derived: Mapping[str, str] = DERIVED_LABELS) -> Entity | str:
    """The entity a chosen ``span`` becomes: edges refined, label from :func:`projected_label`;
    or, when there is none, the candidate's reason why not (trimming left nothing, or a derived
    form mapped to ``O``)."""
    if boundaries is not None:
        span = boundaries.refine(pair, entity_index, span)
        if span is None:
            return "chosen, but only function words or punctuation"
    label = projected_label(pair, entity_index, span, derived)
    if label == NOT_AN_ENTITY:
        return unlabelled_reason(pair.target_words[span.start])
    return Entity(span.start, span.end, label)


def parse_derived_labels(text: str | Mapping[str, str] | None) -> Mapping[str, str]:
    """``"LOC=MISC,ORG=MISC"`` (or a mapping) → mapping; ``"none"`` or ``""`` → no relabelling;
    a target ``O`` leaves derived forms of that label unlabelled.

    >>> parse_derived_labels("LOC=o, ORG=O,MISC=O")
    {'LOC': 'O', 'ORG': 'O', 'MISC': 'O'}
    """
    if text is None:
        return DERIVED_LABELS
    if not isinstance(text, str):
        return dict(text)
    if text.strip().lower() in ("", "none", "off"):
        return {}
    mapping = {}
    for item in text.split(","):
        source, sep, target = (part.strip() for part in item.partition("="))
        if not sep or not source or not target:
            raise ConfigError(
                f"derived labels: {item.strip()!r} is not SOURCE=TARGET; write e.g. LOC=MISC,ORG=MISC or none"
            )
        mapping[source] = NOT_AN_ENTITY if target.upper() == NOT_AN_ENTITY else target
    return mapping
