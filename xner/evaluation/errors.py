"""Error analysis: each disagreement between gold and predicted entities, classified.

``missed`` (gold entity with no overlapping prediction), ``spurious`` (prediction with no
overlapping gold entity), ``type`` (same span, other label), ``boundary`` (overlapping
spans that differ).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xner.types import Entity

KINDS = ("missed", "spurious", "boundary", "type")


@dataclass(frozen=True)
class EntityError:
    sentence: int
    kind: str
    gold: tuple[Entity, ...]
    predicted: tuple[Entity, ...]


def _overlapping(entity: Entity, others: Sequence[Entity]) -> tuple[Entity, ...]:
    return tuple(o for o in others if o.start < entity.end and entity.start < o.end)


def classify_errors(gold: Sequence[Sequence[Entity]], predicted: Sequence[Sequence[Entity]]) -> list[EntityError]:
    errors = []
    for k, (g, p) in enumerate(zip(gold, predicted)):
        g_set, p_set = set(g), set(p)
        for entity in sorted(p_set - g_set):
            near = _overlapping(entity, g)
            if not near:
                errors.append(EntityError(k, "spurious", (), (entity,)))
            elif any((n.start, n.end) == (entity.start, entity.end) for n in near):
                errors.append(EntityError(k, "type", near, (entity,)))
            else:
                errors.append(EntityError(k, "boundary", near, (entity,)))
        for entity in sorted(g_set - p_set):
            if not _overlapping(entity, p):
                errors.append(EntityError(k, "missed", (entity,), ()))
    return errors
