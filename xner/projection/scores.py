"""Scores of (source entity, target candidate) pairs (METHOD §4.2).

A scorer returns one score per candidate span; the matcher fuses them with weights.
A scorer may also give ``details``: further per-span values that are shown beside the
scores (kept with each candidate, computed only when read: :class:`ScoreTable`) but never
fused; ``score_many(pair, spans)``: the scores of every entity's candidates in one call (a
model scorer batches them); and
``prefilter = True``: score only the candidates the other scorers already support
(:meth:`~xner.projection.matching.CandidateMatchingProjector.score_candidates`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Protocol, runtime_checkable

import numpy as np

from xner.types import Alignment, Entity, SentencePair, Span


@runtime_checkable
class CandidateScorer(Protocol):
    name: str

    def score(self, pair: SentencePair, entity_index: int, spans: Sequence[Span]) -> np.ndarray:
        """Scores (float array, one per span) of the spans as the projection of the entity."""
        ...


@dataclass(frozen=True)
class AlignmentScorer:
    """Link overlap, the paper's alignment score: ``2 * #links(s, t) / (len(s) + len(t))``.

    Adding an unaligned word to a candidate lowers it, so the tightest span that covers
    the links wins. It counts links, not words, so a word with several links counts
    several times and the score can exceed 1 (up to 2 in theory; 1.6 seen on Europarl).
    Ranking and selection use it as published; :meth:`details` adds ``word_dice``, the
    0–1 Dice overlap of aligned *words* that a reviewer can read as a share.
    """

    name: str = "alignment"

    def score(self, pair: SentencePair, entity_index: int, spans: Sequence[Span]) -> np.ndarray:
        entity = pair.source_entities[entity_index]
        # plain Python: an entity has a handful of links and candidates, too few to repay numpy calls
        links_before = list(accumulate(_links_into(pair, entity), initial=0))
        size = len(entity)
        return np.array([2.0 * (links_before[s.end] - links_before[s.start]) / (size + s.end - s.start) for s in spans],
                        dtype=float)

    def details(self, pair: SentencePair, entity_index: int, spans: Sequence[Span]) -> dict[str, np.ndarray]:
        """``word_dice``: ``(#entity words linked into t + #words of t linked to the entity) /
        (len(s) + len(t))``, in ``[0, 1]``; 1 when every word on both sides is aligned across."""
        entity = pair.source_entities[entity_index]
        targets_of: dict[int, set[int]] = {}
        for i, j in (pair.alignment or Alignment()).links:
            if entity.start <= i < entity.end:
                targets_of.setdefault(i, set()).add(j)
        linked = set().union(*targets_of.values())

        def covered(span: Span) -> int:
            return (sum(span.start <= j < span.end for j in linked)
                    + sum(any(span.start <= j < span.end for j in targets) for targets in targets_of.values()))

        return {"word_dice": np.array([covered(s) / (len(entity) + len(s)) for s in spans], dtype=float)}


class ScoreTable:
    """The scores of one entity's candidates (per scorer, one value per candidate) and the
    scorers' :meth:`details` of them, computed when first read.

    Details are only shown (a reviewer's table, an export), never fused or selected on,
    and most projections are never looked at; so the matcher keeps one table per entity
    and each candidate's :class:`CandidateScores` reads its row from it.
    """

    def __init__(self, columns: dict[str, list[float]], scorers: Sequence[CandidateScorer], pair: SentencePair,
                 entity_index: int, spans: Sequence[Span]) -> None:
        self._columns = columns
        self._details_of: tuple | None = (scorers, pair, entity_index, spans)
        self._lock = threading.Lock()  # a result may be read from several threads (app sessions)

    def row(self, index: int) -> dict[str, float]:
        """``{**scores, **details}`` of candidate ``index``."""
        with self._lock:
            if self._details_of is not None:
                scorers, pair, entity_index, spans = self._details_of
                for scorer in scorers:
                    if hasattr(scorer, "details"):
                        for name, values in scorer.details(pair, entity_index, spans).items():
                            self._columns[name] = [float(v) for v in values]
                self._details_of = None  # computed: let go of the pair
            return {name: values[index] for name, values in self._columns.items()}


class CandidateScores(Mapping[str, float]):
    """One candidate's row of a :class:`ScoreTable`, read on first use. It reads, compares,
    prints, copies and pickles as that plain dict."""

    def __init__(self, table: ScoreTable, row: int) -> None:
        self._table: ScoreTable | None = table
        self._row = row
        self._values: dict[str, float] = {}

    def _read(self) -> dict[str, float]:
        table = self._table  # read once: another thread may be finishing the same read
        if table is not None:
            self._values = table.row(self._row)  # the values first, then the table let go
            self._table = None
        return self._values

    def __getitem__(self, name: str) -> float:
        return self._read()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __repr__(self) -> str:
        return repr(self._read())

    def __reduce__(self) -> tuple:
        return dict, (self._read(),)


def _links_into(pair: SentencePair, entity: Entity) -> list[int]:
    """Per target word, how many links it has to a word of ``entity``."""
    per_word = [0] * len(pair.target_words)
    for i, j in (pair.alignment or Alignment()).links:
        if entity.start <= i < entity.end:
            per_word[j] += 1
    return per_word
