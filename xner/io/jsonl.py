"""JSONL records, one sentence pair a line, holding everything known about it.

A record::

    {"id": "7", "source_words": ["Angela", "Merkel", "came"], "target_words": [...],
     "source_entities": [[0, 2, "PER"]], "target_entities": [[0, 2, "PER"]],
     "alignment": [[0, 0], [1, 1]],
     "projection": {"method": "ngram", "entities": [[0, 2, "PER"]],
                    "candidates": [{"entity": 0, "start": 0, "end": 2, "origin": "ngram",
                                    "scores": {"alignment": 1.0}, "total": 1.0,
                                    "chosen": true, "reason": "chosen", "why": {"kind": "chosen", ...}}]}}

``target_entities``, ``alignment`` and ``projection`` are optional. A candidate's ``reason``
is in words (:func:`xner.reasons.describe`), ``why`` the same as a value (its kind and fields,
:func:`xner.reasons.reason_fields`); a record without ``why`` (written before reasons were
values) keeps its words, shown as written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from xner.io.files import atomic_output, open_text
from xner.errors import InputFormatError
from xner.io.words import is_writable_word
from xner.reasons import Given, Reason, describe, reason_fields, reason_from_fields
from xner.types import Alignment, Candidate, Entity, ProjectionResult, SentencePair, Span

Record = tuple[SentencePair, ProjectionResult | None]


_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
               bool: "true/false", type(None): "null"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _words(record: dict[str, Any], field: str) -> tuple[str, ...]:
    """A list of words; a string is refused rather than read as a list of characters."""
    words = record[field]
    if not isinstance(words, list):
        raise TypeError(f"{field!r} must be a list of words, not {_json_type(words)}")
    for k, word in enumerate(words):
        if not isinstance(word, str) or not word:
            raise TypeError(f"{field!r}[{k}] must be a non-empty string, not {word!r}")
        if not is_writable_word(word):
            # CoNLL and text files cut words there: exported, it would come back as other words
            raise ValueError(f"{field!r}[{k}] {word!r} holds a space, tab or line break; give each word "
                             "separately")
    return tuple(words)


def _entities(values: Iterable[Any], field: str = "entities") -> tuple[Entity, ...]:
    """``[[start, end, label], ...]`` with whole-number word indices (``0.9`` is not read as
    ``0``, nor ``true`` as ``1``) and no two entities sharing a word."""
    if not isinstance(values, list):
        raise TypeError(f"{field!r} must be a list of [start, end, label], not {_json_type(values)}")
    entities = []
    for value in values:
        if not (isinstance(value, list) and len(value) == 3 and isinstance(value[2], str)):
            raise TypeError(f"an entity must be [start, end, label], not {value!r} (in {field!r})")
        if not all(type(i) is int for i in value[:2]):
            raise TypeError(f"the entity {json.dumps(value, ensure_ascii=False)} in {field!r} needs whole word indices for start and end, "
                            f"not {json.dumps(value[0])} and {json.dumps(value[1])}")
        entities.append(Entity(value[0], value[1], value[2]))
    ordered = sorted(entities, key=lambda e: (e.start, e.end))
    for left, right in zip(ordered, ordered[1:]):
        if right.start < left.end:
            raise ValueError(f"the entities {_entity_lists([left])[0]} and {_entity_lists([right])[0]} in {field!r} "
                             "overlap; a word belongs to at most one entity")
    return tuple(entities)


def _entity_lists(entities: Iterable[Entity]) -> list[list[Any]]:
    return [[e.start, e.end, e.label] for e in entities]


def pair_to_record(pair: SentencePair, projection: ProjectionResult | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": pair.id,
        "source_words": list(pair.source_words),
        "target_words": list(pair.target_words),
        "source_entities": _entity_lists(pair.source_entities),
        "target_entities": _entity_lists(pair.target_entities),
        "alignment": None if pair.alignment is None else [list(link) for link in pair.alignment],
    }
    if projection is not None:
        record["projection"] = {
            "method": projection.method,
            "entities": _entity_lists(projection.entities),
            "candidates": [_candidate_record(c) for c in projection.candidates],
        }
    return record


def _candidate_record(c: Candidate) -> dict[str, Any]:
    record = {"entity": c.entity_index, "start": c.span.start, "end": c.span.end, "origin": c.origin,
              "scores": dict(c.scores), "total": c.total, "chosen": c.chosen, "reason": describe(c.reason)}
    if (why := reason_fields(c.reason)) is not None:
        record["why"] = why
    return record


def _reason(c: dict[str, Any]) -> Reason:
    said = str(c.get("reason", ""))
    why = c.get("why")
    if why is None:
        return Given(said)
    if not isinstance(why, dict):
        raise TypeError(f"a candidate's 'why' must be an object, not {_json_type(why)}")
    return reason_from_fields(why, said)


def _alignment(links: Any) -> Alignment:
    if not isinstance(links, list) or not all(
            isinstance(link, list) and len(link) == 2 and all(type(i) is int for i in link) for link in links):
        raise TypeError("'alignment' must be a list of [source, target] index pairs")
    return Alignment.of(tuple(link) for link in links)


def record_to_pair(record: dict[str, Any]) -> Record:
    """The pair (and projection) of a parsed JSONL line; ``TypeError``/``ValueError``/``KeyError``
    name what is wrong with a malformed one."""
    if not isinstance(record, dict):
        raise TypeError(f"a record must be a JSON object, not {_json_type(record)}")
    alignment = record.get("alignment")
    pair = SentencePair(
        source_words=_words(record, "source_words"),
        target_words=_words(record, "target_words"),
        source_entities=_entities(record.get("source_entities", []), "source_entities"),
        target_entities=_entities(record.get("target_entities", []), "target_entities"),
        alignment=None if alignment is None else _alignment(alignment),
        id=str(record.get("id", "")),
    )
    if pair.alignment is not None:
        pair.alignment.check_bounds(len(pair.source_words), len(pair.target_words))
    for side, words, entities in (
        ("source", pair.source_words, pair.source_entities),
        ("target", pair.target_words, pair.target_entities),
    ):
        for entity in entities:
            if entity.end > len(words):
                raise ValueError(f"{side} entity {list((entity.start, entity.end, entity.label))} "
                                 f"is outside the {len(words)}-word {side} sentence")
    projected = record.get("projection")
    projection = None
    if projected is not None and not isinstance(projected, dict):
        raise TypeError(f"'projection' must be an object, not {_json_type(projected)}")
    if projected is not None:
        projection = ProjectionResult(
            entities=_entities(projected.get("entities", []), "projection.entities"),
            candidates=tuple(
                Candidate(
                    entity_index=int(c["entity"]), span=Span(int(c["start"]), int(c["end"])),
                    origin=str(c.get("origin", "")), scores=dict(c.get("scores", {})),
                    total=float(c.get("total", 0.0)), chosen=bool(c.get("chosen", False)),
                    reason=_reason(c),
                )
                for c in projected.get("candidates", ())
            ),
            method=str(projected.get("method", "")),
        )
    return pair, projection


def iter_jsonl(path: str | Path) -> Iterator[Record]:
    path = Path(path)
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield record_to_pair(json.loads(line))
            except json.JSONDecodeError as error:
                raise InputFormatError(path, number, f"not valid JSON: {error.msg}") from None
            except KeyError as error:
                raise InputFormatError(path, number, f"the record has no {error.args[0]!r} field") from None
            except (TypeError, ValueError) as error:
                raise InputFormatError(path, number, f"malformed record: {error}") from None


def read_jsonl(path: str | Path) -> list[Record]:
    return list(iter_jsonl(path))


def write_jsonl(path: str | Path, records: Iterable[SentencePair | Record]) -> None:
    """Write one record a line to ``path`` (atomically: all or nothing)."""
    with atomic_output(path) as handle:
        for item in records:
            pair, projection = (item, None) if isinstance(item, SentencePair) else item
            handle.write(json.dumps(pair_to_record(pair, projection), ensure_ascii=False) + "\n")
