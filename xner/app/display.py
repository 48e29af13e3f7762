"""Single-sentence helpers for interactive use (the app, notebooks).

>>> parse_tags_for(["Angela", "Merkel", "came"], "B-PER I-PER O")
(Entity(start=0, end=2, label='PER'),)
>>> highlight_html(["<b>", "Paris"], [Entity(1, 2, "LOC")]).startswith("&lt;b&gt; <mark")
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from xner.errors import XnerError
from xner.io.tags import tags_to_entities
from xner.types import Entity, ProjectionResult, SentencePair


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


def highlight_html(words: Sequence[str], entities: Sequence[Entity], palette: dict[str, str] | None = None) -> str:
    """Words as HTML with each entity marked and labelled; all text is escaped."""
    colours = palette or {"PER": "#fde2e4", "ORG": "#e2ecfd", "LOC": "#e4f8e1", "MISC": "#fff3c4"}
    starts = {e.start: e for e in entities}
    parts, index = [], 0
    while index < len(words):
        entity = starts.get(index)
        if entity is None:
            parts.append(html.escape(words[index]))
            index += 1
            continue
        text = html.escape(" ".join(words[entity.start : entity.end]))
        colour = colours.get(entity.label, "#eeeeee")
        parts.append(f'<mark style="background:{colour};padding:0 .2em;border-radius:.2em">{text} '
                     f'<sub>{html.escape(entity.label)}</sub></mark>')
        index = entity.end
    return " ".join(parts)


def parse_tags_for(words: Sequence[str], tags_text: str, what: str = "tags") -> tuple[Entity, ...]:
    """Entities from one tag per word, with an error that says what is wrong."""
    tags = tags_text.split()
    if len(tags) != len(words):
        raise XnerError(f"{what}: {len(tags)} tags for {len(words)} words; give one tag (O, B-PER, ...) per word")
    try:
        return tuple(tags_to_entities(tags))
    except ValueError as error:
        raise XnerError(f"{what}: {error}") from None
