"""Projection as a matching between source entities and target candidates (METHOD §4).

Candidates come from one or more extractors (n-grams by default); each (entity,
candidate) pair is scored by every scorer, the scores are fused with weights, and a
solver picks at most one candidate per entity with no two chosen spans overlapping.
The chosen span is then finished: function words the alignment pulled onto its edges
are trimmed (:mod:`xner.projection.boundaries`, when a target language is given) and it
gets the entity's label, or MISC for a derived form (:mod:`xner.projection.labels`).
Every scored candidate is kept in the result; a chosen one carries its finished span.

>>> from xner.types import Alignment, Entity, SentencePair
>>> pair = SentencePair(("in", "New", "York"), ("à", "New", "York"), (Entity(1, 3, "LOC"),),
...                     alignment=Alignment.of([(1, 1), (2, 2)]))
>>> CandidateMatchingProjector().project(pair).entities
(Entity(start=1, end=3, label='LOC'),)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from xner.errors import ConfigError
from xner.projection.base import Projector, projectors
from xner.projection.settings import NgramSettings
from xner.projection.boundaries import BoundaryTrimmer
from xner.projection.candidates import CandidateExtractor, NgramExtractor
from xner.projection.names import NameExtractor, NameScorer
from xner.projection.labels import DERIVED_LABELS, parse_compound_labels, parse_derived_labels, projected_entity
from xner.projection.scores import AlignmentScorer, CandidateScorer, CandidateScores, ScoreTable
from xner.projection.solvers import get_solver
from xner.reasons import Unsupported
from xner.types import Candidate, Entity, ProjectionResult, SentencePair, Span


@dataclass(frozen=True)
class CandidateMatchingProjector(Projector):
    extractors: tuple[CandidateExtractor, ...] = (NgramExtractor(),)
    scorers: tuple[CandidateScorer, ...] = (AlignmentScorer(),)
    weights: Mapping[str, float] = field(default_factory=lambda: {"alignment": 1.0})
    solver: str = "greedy"
    name: str = "ngram"
    boundaries: BoundaryTrimmer | None = None
    derived_labels: Mapping[str, str] = field(default_factory=lambda: dict(DERIVED_LABELS))
    compound_labels: Mapping[str, str] = field(default_factory=dict)
    # scorers one of which (weighted above 0) must score a candidate above 0 for it to be chosen (empty: any
    # positive fused score will do)
    support: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        get_solver(self.solver)
        known = {s.name for s in self.scorers}
        unknown = set(self.weights) - known
        if unknown:
            raise ConfigError(
                f"weights name scorers that are not configured: {', '.join(sorted(unknown))} "
                f"(configured: {', '.join(sorted(known))})"
            )

    def prepare(self, pairs) -> None:
        """Let extractors and scorers batch their model calls over a whole dataset, and span
        finishing learn the dataset's edge words (:class:`~xner.projection.boundaries.EdgeLexicon`)."""
        if self.boundaries is not None:
            self.boundaries.learn(pairs)
        for part in (*self.extractors, *self.scorers):
            if hasattr(part, "prepare"):
                part.prepare(pairs)

    def target_taggers(self) -> list:
        """The taggers run on the target sentences (NER-span candidates, the NER score), so a
        pipeline can let them share the aligner's encoder passes."""
        found = (getattr(getattr(part, "tags", None), "tagger", None) for part in (*self.extractors, *self.scorers))
        return list({id(tagger): tagger for tagger in found if tagger is not None}.values())

    def ner_score_missing(self, pair: SentencePair) -> bool:
        """Whether a NER score is configured but the target tagger gives no per-word
        probabilities for this sentence (spaCy does not), so it scores every candidate 0."""
        return any(scorer.name == "ner" and getattr(scorer, "tags", None) is not None and pair.target_words
                   and scorer.tags(pair.target_words).probabilities is None for scorer in self.scorers)

    def candidate_spans(self, pair: SentencePair) -> list[dict[Span, str]]:
        """Per entity, each candidate span with the names of the extractors proposing it."""
        per_entity: list[dict[Span, str]] = [{} for _ in pair.source_entities]
        for extractor in self.extractors:
            for index, spans in enumerate(extractor.extract(pair)):
                seen = per_entity[index]
                for span in spans:
                    seen[span] = f"{seen[span]}+{extractor.name}" if span in seen else extractor.name
        return per_entity

    def score_candidates(self, pair: SentencePair, spans: list[list[Span]]) -> list[dict[str, np.ndarray]]:
        """Per entity, every scorer's scores of its candidates ``spans[entity]``.

        A scorer with ``score_many`` scores the whole sentence pair in one call (a model
        batches it). A scorer with ``prefilter`` set (the translation score) is asked only
        about the candidates the scorers without it gave a positive fused score; the others
        get 0. So a candidate that only such a scorer supports can no longer be chosen, and
        every other candidate keeps exactly the scores it had.
        """
        columns: list[dict[str, np.ndarray]] = [{} for _ in spans]
        prefiltered = [s for s in self.scorers if getattr(s, "prefilter", False)]
        if not any(self.weights.get(s.name, 0.0) > 0 for s in self.scorers if s not in prefiltered):
            prefiltered = []  # nothing else weighs in (e.g. translation=1 alone): a prefilter would keep nothing
        for scorer in self.scorers:
            if scorer not in prefiltered:
                for index, values in enumerate(_scores(scorer, pair, spans)):
                    columns[index][scorer.name] = values
        if not prefiltered:
            return columns
        supported = [sum((self.weights.get(name, 0.0) * values for name, values in entity.items()),
                         np.zeros(len(entity_spans))) > 0 for entity, entity_spans in zip(columns, spans)]
        kept = [[span for span, keep in zip(entity_spans, mask) if keep] for entity_spans, mask in zip(spans, supported)]
        for scorer in prefiltered:
            for index, (mask, values) in enumerate(zip(supported, _scores(scorer, pair, kept))):
                full = np.zeros(len(mask))
                full[mask] = values
                columns[index][scorer.name] = full
        return columns

    def project(self, pair: SentencePair) -> ProjectionResult:
        if not pair.source_entities:
            return ProjectionResult((), (), self.name)
        proposals = self._proposals(pair)
        scored = self.score_candidates(pair, [spans for spans, _ in proposals])
        pairs: list[tuple[int, Span, float]] = []
        kept: list[tuple[str, CandidateScores]] = []
        unsupported: list[tuple[tuple[int, Span, float], tuple[str, CandidateScores]]] = []
        for index, ((spans, origins), columns) in enumerate(zip(proposals, scored)):
            if not spans:
                continue
            total = sum(self.weights.get(name, 0.0) * values for name, values in columns.items()).tolist()
            live = [k for k, fused in enumerate(total) if fused > 0]
            if not live:
                continue
            # from here on plain Python: a few candidates per entity do not repay numpy calls
            live_spans = [spans[k] for k in live]
            values = {name: column.astype(float).tolist() for name, column in columns.items()}
            table = ScoreTable({name: [column[k] for k in live] for name, column in values.items()},
                               self.scorers, pair, index, live_spans)
            for row, (k, span) in enumerate(zip(live, live_spans)):
                entry = ((index, span, total[k]), (origins[k], CandidateScores(table, row)))
                if self.support and not any(values[name][k] > 0 and self.weights.get(name, 0.0) > 0
                                            for name in self.support if name in values):
                    unsupported.append(entry)  # shown with its scores, never chosen
                else:
                    pairs.append(entry[0])
                    kept.append(entry[1])
        decisions = get_solver(self.solver)(pairs)
        candidates = []
        entities: list[Entity] = []
        for (index, span, total), (origin, scores), (chosen, reason) in zip(pairs, kept, decisions):
            candidate = Candidate(index, span, origin, scores, total, chosen, reason)
            if chosen:
                candidate, entity = self._finish(pair, candidate)
                if entity is not None:
                    entities.append(entity)
            candidates.append(candidate)
        reason = Unsupported(self.support)
        for (index, span, total), (origin, scores) in unsupported:
            candidates.append(Candidate(index, span, origin, scores, total, False, reason))
        return ProjectionResult(tuple(sorted(entities)), tuple(candidates), self.name)

    def _proposals(self, pair: SentencePair) -> list[tuple[list[Span], list[str]]]:
        """:meth:`candidate_spans` as two lists per entity, spans and origins; an extractor
        whose lists hold distinct spans (``distinct = True``) needs no merging on its own."""
        if len(self.extractors) == 1 and getattr(self.extractors[0], "distinct", False):
            name = self.extractors[0].name
            return [(spans, [name] * len(spans)) for spans in self.extractors[0].extract(pair)]
        return [(list(found), list(found.values())) for found in self.candidate_spans(pair)]

    def _finish(self, pair: SentencePair, candidate: Candidate) -> tuple[Candidate, Entity | None]:
        entity, reason = projected_entity(pair, candidate.entity_index, candidate.span, self.boundaries,
                                          self.derived_labels, self.compound_labels)
        if entity is None:
            return replace(candidate, chosen=False, reason=reason), None
        return replace(candidate, span=entity.span, reason=reason), entity


def _scores(scorer: CandidateScorer, pair: SentencePair, spans: list[list[Span]]) -> list[np.ndarray]:
    """``scorer``'s scores of every entity's candidates: one ``score_many`` call where it has one."""
    if hasattr(scorer, "score_many"):
        return scorer.score_many(pair, spans)
    return [scorer.score(pair, index, entity_spans) if entity_spans else np.zeros(0)
            for index, entity_spans in enumerate(spans)]


NAME_WEIGHT = 1.0  # chosen on the MasakhaNER pcm/lug dev sets (0.5: 77.2 vs 77.7 on lug)


def with_names(extractors: tuple, scorers: tuple, weights: Mapping[str, float], name_weight: float):
    """Extractors, scorers and weights with the name candidates and score added
    (:mod:`xner.projection.names`) when ``name_weight`` is above 0."""
    if name_weight < 0:
        raise ConfigError("{name_weight} {given!r}: give a weight of at least 0 (0 turns name matching off)",
                          settings=("name_weight",), given=name_weight)
    if not name_weight:
        return extractors, scorers, weights
    return (*extractors, NameExtractor()), (*scorers, NameScorer()), {**weights, "name": name_weight}


@projectors.register("ngram", settings=NgramSettings)
def _ngram(
    max_ngram: int = 10, stop_chars: str = "!?", window: bool | None = None, solver: str = "greedy",
    trim_punctuation: bool = True, trim_stop_words: str | None = None, src_lang: str = "en",
    derived_labels: str | Mapping[str, str] | None = None, compound_labels: str | Mapping[str, str] | None = None,
    name_weight: float = NAME_WEIGHT, learn_edges: bool = True,
) -> CandidateMatchingProjector:
    """N-gram candidates scored by alignment overlap (and by spelling the name), selected by a solver.

    ``window`` defaults to the exact window (see :class:`NgramExtractor`): the same
    entities as all n-grams with the greedy solver (the same optimum with the exact
    one), without scoring the n-grams that cannot win. ``name_weight``: the weight of the
    name score beside the alignment's (:mod:`xner.projection.names`; 0: off);
    ``learn_edges``: trim the words the corpus shows standing beside names
    (:class:`~xner.projection.boundaries.EdgeLexicon`).
    """
    boundaries = BoundaryTrimmer.from_options(trim_punctuation, trim_stop_words, src_lang, learn_edges)
    extractors, scorers, weights = with_names(
        (NgramExtractor(max_len=max_ngram, stop_chars=stop_chars, window=window, boundaries=boundaries),),
        (AlignmentScorer(),), {"alignment": 1.0}, name_weight)
    return CandidateMatchingProjector(
        extractors=extractors, scorers=scorers, weights=weights,
        solver=solver, boundaries=boundaries, derived_labels=parse_derived_labels(derived_labels),
        compound_labels=parse_compound_labels(compound_labels),
    )
