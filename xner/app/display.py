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

Candidates say why they lost in words, naming the words involved rather than index pairs:

>>> from xner.reasons import AlreadyMatched
>>> from xner.types import Candidate, Span
>>> pair = SentencePair(("Angela", "Merkel"), ("Angela", "Merkel"), (Entity(0, 2, "PER"),))
>>> reason_in_words(pair, Candidate(0, Span(1, 2), "ngram", {}, 0.5, False, AlreadyMatched(0, 2, 1.0)))
"'Angela Merkel' already took this entity, score 1.00"
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from xner.errors import XnerError, worded_error
from xner.io.tags import tags_to_entities
from xner.reasons import describe
from xner.types import Candidate, Entity, ProjectionResult, SentencePair

if TYPE_CHECKING:  # altair is imported on first use (only the pages that draw a chart need it)
    import altair as alt
    import numpy as np


def candidate_rows(pair: SentencePair, result: ProjectionResult, entity: int | None = None) -> list[dict[str, object]]:
    """One table row per scored candidate, best first within each source entity; only
    those of source entity ``entity`` (an index) when given. ``proposed by`` names the
    candidate sources (n-grams, target NER, back-translation); ``why`` is in words."""
    rows = []
    for index, source in enumerate(pair.source_entities):
        if entity is not None and index != entity:
            continue
        for c in result.candidates_for(index):
            rows.append({
                "source entity": f"{index + 1} {source.text(pair.source_words)} ({source.label})",
                "candidate": " ".join(pair.target_words[c.span.start : c.span.end]),
                # numbered as the editor numbers words (first–last), not as a half-open span
                "words": f"{c.span.start}–{c.span.end - 1}",
                "proposed by": c.origin,
                **{k: round(v, 3) for k, v in c.scores.items()},
                "total": round(c.total, 3),
                "chosen": c.chosen,
                "why": reason_in_words(pair, c),
            })
    return rows


def entity_choices(pair: SentencePair) -> list[str]:
    """How the source entities are named in a picker, numbered from 1 as in the editor."""
    return [f"{k + 1} {e.text(pair.source_words)} ({e.label})" for k, e in enumerate(pair.source_entities)]


def reason_in_words(pair: SentencePair, candidate: Candidate) -> str:
    """Why ``candidate`` was (not) chosen, naming words instead of index pairs
    (:func:`xner.reasons.describe`); a reason the pair cannot name is shown as files write it."""
    return describe(candidate.reason, pair)


def editor_item(pair: SentencePair, result: ProjectionResult | None, *settings: object) -> str:
    """An editor item key that changes whenever the pair, its projection or ``settings``
    change, so the editor starts afresh on a new projection instead of keeping old edits."""
    parts = (pair.source_words, pair.target_words, pair.source_entities,
             sorted(pair.alignment.links) if pair.alignment is not None else None,
             result.entities if result is not None else None, settings)
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:16]


def similarity_chart(similarity: np.ndarray, source_words: Sequence[str], target_words: Sequence[str],
                     links: Sequence[tuple[int, int]] = ()) -> alt.LayerChart:
    """The word similarity matrix as a heatmap, alignment links marked ●; clicking a cell
    focuses its source word (the other rows fade), shift+click adds words, a double click
    clears. All drawn in the browser: no rerun."""
    import altair as alt
    import pandas as pd

    src = [f"{i} {w}" for i, w in enumerate(source_words)]
    tgt = [f"{j} {w}" for j, w in enumerate(target_words)]
    linked = set(map(tuple, links))
    frame = pd.DataFrame([{"source": src[i], "target": tgt[j], "similarity": round(float(similarity[i, j]), 3),
                           "link": "●" if (i, j) in linked else ""}
                          for i in range(len(src)) for j in range(len(tgt))])
    focus = alt.selection_point(fields=["source"], name="focus", on="click", clear="dblclick")
    base = alt.Chart(frame).encode(
        x=alt.X("target:N", sort=tgt, title="target word", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("source:N", sort=src, title="source word"),
    )
    heat = base.mark_rect().encode(
        color=alt.Color("similarity:Q", scale=alt.Scale(scheme="blues"), title="cosine"),
        opacity=alt.condition(focus, alt.value(1.0), alt.value(0.25)),
        tooltip=["source", "target", "similarity", "link"],
    ).add_params(focus)
    marks = base.mark_text(color="#d62728", fontSize=14).encode(text="link:N")
    return (heat + marks).properties(height=max(120, 22 * len(src)))


_PUNCTUATION = frozenset(string.punctuation)


def literal(text: object) -> str:
    """``text`` as Markdown/HTML source that displays exactly ``text``."""
    return "".join(f"&#{ord(c)};" if c in _PUNCTUATION else c for c in str(text))


def error_text(error: Exception, labels: Mapping[str, str]) -> str:
    """``error``'s message for a page, shown literally, with each setting it names called
    by its widget's label (``labels``: setting key → label) instead of its library key.

    >>> from xner.errors import ConfigError
    >>> error = ConfigError("set {target_ner} to hf:MODEL", settings=("target_ner",))
    >>> error_text(error, {"target_ner": "Target NER"}) == literal("set “Target NER” to hf:MODEL")
    True
    """
    return literal(worded_error(error, lambda key: f"“{labels[key]}”" if key in labels else key))


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
