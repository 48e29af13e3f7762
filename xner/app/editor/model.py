"""What the projection editor is given and what it gives back, without a browser.

:func:`editor_input` turns a sentence pair and its projection into the JSON the browser
component draws: words, entities, alignment links, the candidates of every source entity,
and which source entity each target span was projected from (so both get the same colour
and number). :func:`read_value` turns what the component sends back into entities,
ignoring anything sent for another item or an older revision.

>>> from xner.types import Alignment
>>> pair = SentencePair(("Paris", "is", "big"), ("Paris", "ist", "groß"), (Entity(0, 1, "LOC"),),
...                     alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]), id="7")
>>> data = editor_input(pair, ProjectionResult((Entity(0, 1, "LOC"),)))
>>> data["target_entities"], data["labels"]
([[0, 1, 'LOC', 0, None, '']], ['PER', 'LOC', 'ORG', 'MISC'])
>>> read_value(None, data).entities
(Entity(start=0, end=1, label='LOC'),)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from xner.reasons import describe
from xner.types import Candidate, Entity, ProjectionResult, SentencePair

LABELS: tuple[str, ...] = ("PER", "LOC", "ORG", "MISC")


@dataclass(frozen=True)
class EditorValue:
    """The target entities as edited in the browser.

    ``edits`` counts the edits made to this item at this revision (0: untouched, then
    ``entities`` are the ones given); ``sources`` names, per entity, the source entity it
    stands for (``None`` for a span with no source entity); ``action`` is the last edit
    (``label``, ``add``, ``delete``, ``move``, ``take``).
    """

    item: str
    revision: int
    entities: tuple[Entity, ...]
    sources: tuple[int | None, ...]
    edits: int = 0
    action: str = ""

    @property
    def changed(self) -> bool:
        return self.edits > 0


def item_key(pair: SentencePair) -> str:
    """The pair's id, or its words when it has none: what keeps one item's edits off another."""
    return pair.id or f"{' '.join(pair.source_words)}\n{' '.join(pair.target_words)}"


def label_set(labels: Sequence[str] | None, *entity_lists: Sequence[Entity]) -> list[str]:
    """``labels`` (default PER, LOC, ORG, MISC) followed by any other label the entities use."""
    found = list(labels or LABELS)
    for entities in entity_lists:
        for entity in entities:
            if entity.label not in found:
                found.append(entity.label)
    return found


def link_sources(pair: SentencePair, result: ProjectionResult | None,
                 entities: Sequence[Entity]) -> list[int | None]:
    """The source entity each target entity stands for, one to one, or ``None``.

    A target entity belongs to the source entity whose chosen candidate it overlaps most
    (the chosen span may since have been trimmed); failing that, to the source entity with
    the most alignment links into it. Each source entity gets at most one target entity.
    """
    chosen = {c.entity_index: c.span for c in (result.candidates if result else ()) if c.chosen}
    links = pair.alignment.links if pair.alignment is not None else frozenset()
    weights = []
    for k, entity in enumerate(entities):
        for i, source in enumerate(pair.source_entities):
            span = chosen.get(i)
            overlap = max(0, min(span.end, entity.end) - max(span.start, entity.start)) if span else 0
            aligned = sum(1 for s, t in links if source.start <= s < source.end and entity.start <= t < entity.end)
            if overlap or aligned:
                weights.append(((overlap, aligned), k, i))
    weights.sort(key=lambda w: (-w[0][0], -w[0][1], w[1], w[2]))
    sources: list[int | None] = [None] * len(entities)
    taken: set[int] = set()
    for _, k, i in weights:
        if sources[k] is None and i not in taken:
            sources[k] = i
            taken.add(i)
    return sources


def fusion_weights(result: ProjectionResult | None) -> dict[str, float] | None:
    """The weights that fused each candidate's scores into its total, read back from the
    candidates (a projector fuses every candidate of a result with the same weights); ``None``
    where they cannot be told apart (fewer distinct candidates than scores) or do not fit.

    >>> from xner.types import Span
    >>> fused = [Candidate(0, Span(k, k + 1), "ngram", {"alignment": a, "ner": n}, 0.5 * a + 2 * n)
    ...          for k, (a, n) in enumerate([(1.0, 0.2), (0.5, 0.4), (0.3, 0.0)])]
    >>> fusion_weights(ProjectionResult((), tuple(fused)))
    {'alignment': 0.5, 'ner': 2.0}
    """
    import numpy as np

    candidates = result.candidates if result is not None else ()
    names = sorted({name for c in candidates for name in c.scores})
    if not names:
        return None
    scores = np.array([[c.scores.get(name, 0.0) for name in names] for c in candidates], dtype=float)
    totals = np.array([c.total for c in candidates], dtype=float)
    if np.linalg.matrix_rank(scores) < len(names):
        return None
    weights, *_ = np.linalg.lstsq(scores, totals, rcond=None)
    # read from a file, totals and scores may be rounded (to 4 places in JSONL)
    if (weights < -1e-3).any() or not np.allclose(scores @ weights, totals, atol=1e-3):
        return None
    return {name: round(float(w), 4) for name, w in zip(names, weights) if w > 1e-3}


def shown_score(candidate: Candidate, weights: Mapping[str, float] | None) -> tuple[float, str]:
    """What the editor shows for ``candidate``: a score that reads 0–1, and in words how it
    was reached (the tooltip).

    A fused total (``0.5 × alignment + 0.5 × ner + 1 × translation``) is divided by the sum
    of the weights of the scores that support the candidate (above 0): the weighted mean of
    those scores, 1 when each is 1 — a name found by its spelling alone, or by its spelling
    and the alignment, reads 1, not 2. Where the weights cannot be read back (every candidate
    scored alike), the total is shown, at most 1. It is capped
    at 1: the NER score gives longer names a bonus (``1.15 ** (words - 1)``) that can take
    it, and so the total, past 1 — a tie-breaker between spans, not more certainty. The
    tooltip gives the total with its parts. A single score (weight 1) is shown as it is.

    >>> from xner.types import Span
    >>> fused = Candidate(0, Span(0, 1), "ngram", {"alignment": 0.84, "ner": 0.4, "translation": 0.45}, 1.07)
    >>> shown_score(fused, {"alignment": 0.5, "ner": 0.5, "translation": 1.0})
    (0.535, 'fused score 1.07 = 0.5 × alignment 0.84 + 0.5 × ner 0.40 + 1 × translation 0.45, shown ÷ 2 (the sum of the weights of the scores above 0)')
    >>> named = Candidate(0, Span(0, 1), "ngram+name", {"alignment": 0.0, "name": 1.0}, 1.0)
    >>> shown_score(named, {"alignment": 1.0, "name": 1.0})[0], shown_score(named, None)[0]
    (1.0, 1.0)
    >>> merkel = Candidate(0, Span(0, 2), "ngram", {"alignment": 1.0, "ner": 1.15}, 1.075)
    >>> shown_score(merkel, {"alignment": 0.5, "ner": 0.5})
    (1.0, "fused score 1.07 = 0.5 × alignment 1.00 + 0.5 × ner 1.15, shown as 1.00 (the NER score's bonus for a longer name takes it past 1)")
    """
    parts = dict(candidate.scores)
    weighed = {name: w for name, w in (weights or {}).items() if w > 0}
    supporting = {name: w for name, w in weighed.items() if parts.get(name, 0.0) > 0} or weighed
    scale = sum(supporting.values())
    if not weighed or (len(weighed) == 1 and scale == 1.0):
        listed = ", ".join(f"{name} {value:.2f}" for name, value in parts.items())
        if not weighed and len(parts) > 1:
            return min(1.0, candidate.total), (f"fused score {candidate.total:.2f} of {listed} (weights not known "
                                               "here; shown at most 1)")
        return candidate.total, listed if not weighed else ""
    terms = " + ".join(f"{w:g} × {name} {parts.get(name, 0.0):.2f}" for name, w in weighed.items())
    detail = f"fused score {candidate.total:.2f} = {terms}"
    if scale != 1.0:
        detail += f", shown ÷ {scale:g} (the sum of the weights of the scores above 0)"
    mean = candidate.total / scale
    if mean > 1.0:
        past = "the NER score's bonus for a longer name" if parts.get("ner", 0.0) > 1.0 else "a score above 1"
        detail += f"{';' if scale != 1.0 else ','} shown as 1.00 ({past} takes it past 1)"
    return min(1.0, mean), detail


def editor_input(pair: SentencePair, result: ProjectionResult | None = None, *,
                 entities: Sequence[Entity] | None = None, labels: Sequence[str] | None = None,
                 item: str | None = None, revision: int = 0, max_candidates: int = 9,
                 weights: Mapping[str, float] | None = None) -> dict[str, Any]:
    """The component's input (JSON-ready) for one sentence pair.

    ``entities`` are the target entities to start from (default: ``result.entities``,
    else ``pair.target_entities``), e.g. a correction saved earlier. ``item`` and
    ``revision`` identify what is being edited: edits made in the browser are kept
    while both stay the same and dropped when either changes (bump ``revision`` to reset
    the editor to ``entities``). ``weights``: those that fused the scores (default: read
    back from the candidates, :func:`fusion_weights`), for :func:`shown_score`.

    Keys: ``item``, ``revision``, ``source_words``, ``target_words``, ``labels``,
    ``links`` (``[source_index, target_index]``), ``source_entities``
    (``{start, end, label, text}``), ``target_entities`` (``[start, end, label,
    source_index | None, score | None, detail]``: the shown score of the candidate that
    produced it and how it was reached), ``candidates`` (per source entity, best first, at
    most ``max_candidates``: ``{start, end, label, score, total, detail, chosen, reason,
    origin, text}``; ``score`` is :func:`shown_score`'s, ``total`` the fused total).
    """
    if entities is None:
        entities = result.entities if result is not None else pair.target_entities
    entities = sorted(entities)
    n_target = len(pair.target_words)
    for entity in entities:
        if entity.end > n_target:
            raise ValueError(f"target entity {entity} is outside the {n_target}-word target sentence")
    sources = link_sources(pair, result, entities)
    if weights is None:
        weights = fusion_weights(result)
    shown = {id(c): shown_score(c, weights) for c in (result.candidates if result is not None else ())}
    candidates: list[list[dict[str, Any]]] = []
    for i, source in enumerate(pair.source_entities):
        own = result.candidates_for(i) if result is not None else []
        projected = next((e for e, s in zip(entities, sources) if s == i), None)
        rows = []
        for c in own[:max_candidates]:
            # like xner.review.rules.with_candidate: the span already projected keeps its label (a derived form stays MISC)
            label = projected.label if c.chosen and projected is not None else source.label
            score, detail = shown[id(c)]
            rows.append({"start": c.span.start, "end": c.span.end, "label": label, "score": round(score, 4),
                         "total": round(c.total, 4), "detail": detail, "chosen": c.chosen,
                         "reason": describe(c.reason, pair),
                         "origin": c.origin,
                         "text": " ".join(pair.target_words[c.span.start:c.span.end])})
        candidates.append(rows)
    chosen_score = {c.entity_index: shown[id(c)] for c in (result.candidates if result else ()) if c.chosen}
    links = sorted(pair.alignment.links) if pair.alignment is not None else []
    return {
        "item": item if item is not None else item_key(pair),
        "revision": int(revision),
        "source_words": list(pair.source_words),
        "target_words": list(pair.target_words),
        "labels": label_set(labels, pair.source_entities, entities),
        "links": [[i, j] for i, j in links],
        "source_entities": [{"start": e.start, "end": e.end, "label": e.label, "text": e.text(pair.source_words)}
                            for e in pair.source_entities],
        "target_entities": [[e.start, e.end, e.label, s,
                             *((round(chosen_score[s][0], 4), chosen_score[s][1]) if s in chosen_score else (None, ""))]
                            for e, s in zip(entities, sources)],
        "candidates": candidates,
    }


def initial_value(data: Mapping[str, Any]) -> EditorValue:
    """What the editor holds before any edit: the entities it was given."""
    rows = data["target_entities"]
    return EditorValue(str(data["item"]), int(data["revision"]),
                       tuple(Entity(int(r[0]), int(r[1]), str(r[2])) for r in rows),
                       tuple(r[3] for r in rows))


def read_value(raw: Mapping[str, Any] | None, data: Mapping[str, Any]) -> EditorValue:
    """The component's value for the item in ``data``; the given entities when it sent
    nothing yet or sent it for another item, revision or visit (``data["visit"]``, added
    by :func:`render_editor`, counts the times the editor came to this item).

    Raises ``ValueError`` for a span outside the target sentence or two overlapping spans.
    """
    if not raw or any(raw.get(name) != data.get(name) for name in ("item", "revision", "visit")):
        return initial_value(data)
    n_target = len(data["target_words"])
    n_source = len(data["source_entities"])
    rows = list(raw.get("entities") or [])
    sources = list(raw.get("sources") or [None] * len(rows))
    if len(sources) != len(rows):
        raise ValueError(f"the editor sent {len(rows)} entities but {len(sources)} source links")
    pairs = sorted((Entity(int(r[0]), int(r[1]), str(r[2])), s) for r, s in zip(rows, sources))
    for (a, _), (b, _) in zip(pairs, pairs[1:]):
        if a.span.overlaps(b.span):
            raise ValueError(f"the editor sent overlapping spans {a} and {b}")
    for entity, source in pairs:
        if entity.end > n_target:
            raise ValueError(f"the editor sent {entity}, outside the {n_target}-word target sentence")
        if source is not None and not 0 <= int(source) < n_source:
            raise ValueError(f"the editor linked {entity} to source entity {source}, which does not exist")
    return EditorValue(str(raw["item"]), int(raw["revision"]), tuple(e for e, _ in pairs),
                       tuple(None if s is None else int(s) for _, s in pairs),
                       int(raw.get("edits", 0)), str(raw.get("action", "")))
