"""Tagging schemes as tables: IOB1, IOB2, BIOES (and BILOU) in, IOB2 out.

Decoding is lenient in the way seqeval's default mode is: an ``I-X`` that does not
continue an open ``X`` entity starts one, an ``E-X`` without a matching begin is a
single-word entity. With that rule IOB1 and IOB2 decode identically, so one decoder
serves every scheme.

BILOU's ``L-`` and ``U-`` are read as BIOES's ``E-`` and ``S-`` (last and unit): as
seqeval's strict mode with ``scheme=BILOU`` reads them. seqeval's *default* mode does
not know these two prefixes (it warns "seems not to be NE tag" and cuts entities
wrongly), so score BILOU files with ``xner evaluate`` (which hands seqeval IOB2) or with
seqeval's strict BILOU mode, not with its default mode.

>>> tags_to_entities(["B-PER", "I-PER", "O", "S-LOC"])
[Entity(start=0, end=2, label='PER'), Entity(start=3, end=4, label='LOC')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from xner.types import Entity

# prefix -> (opens a new entity unless continuing, may continue an open one, closes after)
_PREFIX_ROLE: dict[str, tuple[bool, bool, bool]] = {
    "B": (True, False, False),
    "I": (False, True, False),
    "E": (False, True, True),
    "S": (True, False, True),
    # BILOU spellings of the same roles
    "L": (False, True, True),
    "U": (True, False, True),
}
OUTSIDE = "O"
USUAL_LABELS = ("PER", "LOC", "ORG", "MISC")  # CoNLL-2003's; any other label is read as it is


def parse_tag(tag: str) -> tuple[str, str]:
    """Split a tag into ``(prefix, label)``; ``("O", "")`` for outside.

    Raises ``ValueError`` with a readable message for anything else.
    """
    if tag == OUTSIDE:
        return OUTSIDE, ""
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in _PREFIX_ROLE or not label:
        raise ValueError(
            f"{tag!r} is not a tag: expected O or B-/I-/E-/S- (or BILOU's L-/U-) followed by a label, e.g. B-PER"
        )
    return prefix, label


def tags_to_entities(tags: Sequence[str]) -> list[Entity]:
    """Decode a tag sequence in any supported scheme into entities, in order."""
    entities: list[Entity] = []
    start: int | None = None
    label = ""

    def close(end: int) -> None:
        nonlocal start
        if start is not None:
            entities.append(Entity(start, end, label))
            start = None

    for index, tag in enumerate(tags):
        prefix, tag_label = parse_tag(tag)
        if prefix == OUTSIDE:
            close(index)
            continue
        opens, continues, closes = _PREFIX_ROLE[prefix]
        if opens or not (continues and start is not None and tag_label == label):
            close(index)
            start, label = index, tag_label
        if closes:
            close(index + 1)
    close(len(tags))
    return entities


def entities_to_tags(length: int, entities: Iterable[Entity]) -> list[str]:
    """Encode non-overlapping entities as IOB2 tags for a sentence of ``length`` words."""
    tags = [OUTSIDE] * length
    for entity in sorted(entities):
        if entity.end > length:
            raise ValueError(f"entity {entity} does not fit a {length}-word sentence")
        if any(tag != OUTSIDE for tag in tags[entity.start : entity.end]):
            raise ValueError(f"entity {entity} overlaps another entity")
        tags[entity.start] = f"B-{entity.label}"
        for index in range(entity.start + 1, entity.end):
            tags[index] = f"I-{entity.label}"
    return tags


def detect_scheme(tags: Iterable[str]) -> str:
    """Name the scheme a tag sequence uses: ``BIOES``, ``IOB2`` or ``IOB1`` (a best guess)."""
    prefixes = set()
    previous = OUTSIDE
    iob1 = False
    for tag in tags:
        prefix, _ = parse_tag(tag)
        prefixes.add(prefix)
        if prefix == "I" and previous == OUTSIDE:
            iob1 = True
        previous = prefix
    if prefixes & {"E", "S", "L", "U"}:
        return "BIOES"
    return "IOB1" if iob1 else "IOB2"


def labels_note(where: str, labels: Iterable[str]) -> str | None:
    """A one-line note naming the labels read from ``where`` when any is outside
    :data:`USUAL_LABELS` (a typo there would otherwise only show as a low score)."""
    found = sorted(set(labels))
    unusual = [label for label in found if label not in USUAL_LABELS]
    if not unusual:
        return None
    return (f"note: labels read from {where}: {', '.join(found)} "
            f"({', '.join(unusual)} outside the usual {'/'.join(USUAL_LABELS)}; kept as they are)")
