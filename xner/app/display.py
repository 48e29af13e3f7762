"""Showing user text in the app: literally, never as Markdown or HTML.

Words, labels, dataset names and messages come from users' files. Streamlit renders
Markdown (and, where asked, HTML) in most elements, so ``![x](http://host/x.png)`` in a
token would make every reviewer's browser fetch that address. :func:`literal` turns every
ASCII punctuation character into a numeric character reference: Markdown and HTML print
those characters and never parse them.

>>> parse_tags_for(["Angela", "Merkel", "came"], "B-PER I-PER O")
(Entity(start=0, end=2, label='PER'),)
>>> highlight_html(["<b>", "Paris"], [Entity(1, 2, "LOC")]).startswith("&#60;b&#62; <mark")
True
>>> literal("**bold** ![t](http://x)")
'&#42;&#42;bold&#42;&#42; &#33;&#91;t&#93;&#40;http&#58;&#47;&#47;x&#41;'
"""

from __future__ import annotations

import string
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


_PUNCTUATION = frozenset(string.punctuation)


def literal(text: object) -> str:
    """``text`` as Markdown/HTML source that displays exactly ``text``."""
    return "".join(f"&#{ord(c)};" if c in _PUNCTUATION else c for c in str(text))


def highlight_html(words: Sequence[str], entities: Sequence[Entity], palette: dict[str, str] | None = None) -> str:
    """Words as HTML with each entity marked and labelled; all text is shown literally."""
    colours = palette or {"PER": "#fde2e4", "ORG": "#e2ecfd", "LOC": "#e4f8e1", "MISC": "#fff3c4"}
    starts = {e.start: e for e in entities}
    parts, index = [], 0
    while index < len(words):
        entity = starts.get(index)
        if entity is None:
            parts.append(literal(words[index]))
            index += 1
            continue
        text = literal(" ".join(words[entity.start : entity.end]))
        colour = colours.get(entity.label, "#eeeeee")
        parts.append(f'<mark style="background:{colour};padding:0 .2em;border-radius:.2em">{text} '
                     f'<sub>{literal(entity.label)}</sub></mark>')
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
