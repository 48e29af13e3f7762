"""Single-sentence helpers for interactive use (the app, notebooks).

>>> pair = parse_pair("Angela Merkel came", "B-PER I-PER O", "Angela Merkel kam", "0-0 1-1 2-2")
>>> pair.source_entities
(Entity(start=0, end=2, label='PER'),)
"""

from __future__ import annotations

from xner.errors import XnerError
from xner.io.tags import tags_to_entities
from xner.io.talp import parse_talp_line
from xner.types import ProjectionResult, SentencePair


def parse_pair(source: str, source_tags: str, target: str, links: str) -> SentencePair:
    """Build a sentence pair from whitespace-separated words, tags and ``i-j`` links."""
    source_words, tags, target_words = source.split(), source_tags.split(), target.split()
    if not source_words:
        raise XnerError("source sentence: enter at least one word")
    if not target_words:
        raise XnerError("target sentence: enter at least one word")
    if len(tags) != len(source_words):
        raise XnerError(
            f"source tags: {len(tags)} tags for {len(source_words)} words; give one tag (O, B-PER, ...) per word"
        )
    try:
        entities = tuple(tags_to_entities(tags))
    except ValueError as error:
        raise XnerError(f"source tags: {error}") from None
    try:
        alignment = parse_talp_line(links)
        alignment.check_bounds(len(source_words), len(target_words))
    except ValueError as error:
        raise XnerError(f"alignment: {error}") from None
    return SentencePair(tuple(source_words), tuple(target_words), entities, alignment=alignment)


def candidate_rows(pair: SentencePair, result: ProjectionResult) -> list[dict[str, object]]:
    """One table row per scored candidate, best first within each source entity."""
    rows = []
    for index, entity in enumerate(pair.source_entities):
        for c in result.candidates_for(index):
            rows.append({
                "source entity": f"{entity.text(pair.source_words)} ({entity.label})",
                "candidate": " ".join(pair.target_words[c.span.start : c.span.end]),
                "span": f"[{c.span.start}, {c.span.end})",
                **{k: round(v, 3) for k, v in c.scores.items()},
                "total": round(c.total, 3),
                "chosen": c.chosen,
                "why": c.reason,
            })
    return rows
