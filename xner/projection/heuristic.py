"""Heuristic alignment-based projection (García-Ferrero et al. 2022; METHOD §3).

For each source entity: collect the aligned target words, group them into contiguous
ranges, merge ranges whose gap is at most ``merge_distance`` words, keep a range only
if ``len(range) / len(entity) > threshold``, optionally keep only the ``top_k`` longest,
trim punctuation (and, given the target language, unaligned function words) off their
edges (:mod:`xner.projection.boundaries`), then resolve collisions between entities.
A derived form gets MISC instead of the entity's label (:mod:`xner.projection.labels`).

>>> from xner.types import Alignment, Entity, SentencePair
>>> pair = SentencePair(("Angela", "Merkel", "came"), ("Angela", "Merkel", "kam"),
...                     (Entity(0, 2, "PER"),), alignment=Alignment.of([(0, 0), (1, 1)]))
>>> HeuristicProjector().project(pair).entities
(Entity(start=0, end=2, label='PER'),)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from xner.errors import ConfigError
from xner.projection.base import Projector, projectors
from xner.projection.settings import HeuristicSettings
from xner.projection.boundaries import BoundaryTrimmer, EdgeLexicon
from xner.projection.heuristic_corpus import CorpusProjection, project_corpus
from xner.projection.labels import (DERIVED_LABELS, NOT_AN_ENTITY, parse_compound_labels, parse_derived_labels,
                                    projected_label)
from xner.projection.spans import contiguous_ranges, is_punctuation, merge_ranges
from xner.reasons import Chosen, LeftUnlabelled, NotLongest, OnlyEdgeWords, Overlaps, Reason, TooShort
from xner.types import Alignment, Candidate, Entity, ProjectionResult, SentencePair, Span

COLLISION_POLICIES = ("first", "longer")


@dataclass(frozen=True)
class HeuristicProjector(Projector):
    merge_distance: int = 1
    threshold: float = 0.8
    top_k: int | None = None
    drop_punctuation: bool = False
    collision: str = "first"
    trim_punctuation: bool = True
    trim_stop_words: str | None = None
    src_lang: str = "en"
    derived_labels: Mapping[str, str] = field(default_factory=lambda: dict(DERIVED_LABELS))
    compound_labels: Mapping[str, str] = field(default_factory=dict)
    learn_edges: bool = True
    name: str = "heuristic"
    # the edge words of the corpus last prepared (learn_edges)
    lexicon: EdgeLexicon = field(default_factory=EdgeLexicon, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.merge_distance < 0:
            raise ConfigError(f"merge_distance must be >= 0, got {self.merge_distance}")
        if self.threshold < 0:
            raise ConfigError(f"threshold must be >= 0, got {self.threshold}")
        if self.top_k is not None and self.top_k < 1:
            raise ConfigError(f"top_k must be >= 1 (or unset for no limit), got {self.top_k}")
        if self.collision not in COLLISION_POLICIES:
            raise ConfigError(
                f"unknown collision policy {self.collision!r}; choose one of: {', '.join(COLLISION_POLICIES)}"
            )

    def ranges_for(self, entity: Entity, alignment: Alignment, target_words: tuple[str, ...]) -> list[Span]:
        """All merged target ranges for one entity, before the length-ratio filter."""
        targets = alignment.targets_of(entity.span.indices())
        if self.drop_punctuation:
            targets = {j for j in targets if not is_punctuation(target_words[j])}
        return merge_ranges(contiguous_ranges(targets), self.merge_distance)

    def trimmer(self) -> BoundaryTrimmer | None:
        """What finishes the kept ranges' edges; ``None`` when nothing does."""
        return BoundaryTrimmer.from_options(self.trim_punctuation, self.trim_stop_words, self.src_lang,
                                            self.learn_edges and self.lexicon)

    def prepare(self, pairs: Sequence[SentencePair]) -> None:
        """Learn the edge words of the corpus about to be projected (``learn_edges``)."""
        if self.learn_edges:
            self.lexicon.learn(pairs)

    def project_corpus(self, pairs: Sequence[SentencePair]) -> CorpusProjection:
        """Every pair at once: ``result.entities(k)`` is ``self.project(pairs[k]).entities``,
        computed on arrays for the whole corpus (on Europarl 3–5× faster than a call per pair);
        ``result[k]`` is ``self.project(pairs[k])``, built when read
        (:mod:`xner.projection.heuristic_corpus`). Call :meth:`prepare` first to learn the
        corpus's edge words, as before projecting pair by pair."""
        return project_corpus(self, pairs)

    def project(self, pair: SentencePair) -> ProjectionResult:
        alignment = pair.alignment or Alignment()
        proposals: list[tuple[int, Span]] = []
        rejected: list[Candidate] = []
        trimmer = self.trimmer()
        for index, entity in enumerate(pair.source_entities):
            ranges = self.ranges_for(entity, alignment, pair.target_words)
            kept = []
            for span in ranges:
                ratio = len(span) / len(entity)
                if ratio > self.threshold:
                    kept.append(span)
                else:
                    rejected.append(_candidate(index, span, ratio, TooShort(ratio, self.threshold)))
            if trimmer is not None:
                trimmed = []
                for span in kept:
                    inner = trimmer.refine(pair, index, span)
                    if inner is None:
                        rejected.append(_candidate(index, span, len(span) / len(entity), OnlyEdgeWords()))
                    else:
                        trimmed.append(inner)
                kept = trimmed
            if self.top_k is not None:
                kept.sort(key=lambda s: (-len(s), s.start))
                for span in kept[self.top_k :]:
                    rejected.append(_candidate(index, span, len(span) / len(entity), NotLongest(self.top_k)))
                kept = kept[: self.top_k]
            proposals.extend((index, span) for span in kept)

        if self.collision == "longer":
            proposals.sort(key=lambda p: (-len(p[1]), p[0], p[1].start))
        chosen: list[tuple[int, Span, str]] = []
        candidates: list[Candidate] = []
        for index, span in proposals:
            ratio = len(span) / len(pair.source_entities[index])
            clash = next((c for c in chosen if c[1].overlaps(span)), None)
            if clash is None:
                label = projected_label(pair, index, span, self.derived_labels, self.compound_labels,
                                        lang=self.trim_stop_words, src_lang=self.src_lang)
                chosen.append((index, span, label))  # blocks what overlaps it, labelled or not
                if label == NOT_AN_ENTITY:
                    candidates.append(_candidate(index, span, ratio, LeftUnlabelled(pair.target_words[span.start])))
                else:
                    candidates.append(_candidate(index, span, ratio, CHOSEN, chosen=True))
            else:
                candidates.append(_candidate(index, span, ratio,
                                             Overlaps(clash[1].start, clash[1].end, clash[0], "projected from")))
        entities = tuple(sorted(Entity(span.start, span.end, label) for _, span, label in chosen
                                if label != NOT_AN_ENTITY))
        return ProjectionResult(entities, tuple(candidates + rejected), self.name)


CHOSEN = Chosen()  # the heuristic names no finishing in its reasons: its ranges are trimmed before the choice


def _candidate(index: int, span: Span, ratio: float, reason: Reason, chosen: bool = False) -> Candidate:
    return Candidate(index, span, "alignment", {"length_ratio": ratio}, ratio, chosen, reason)


@projectors.register("heuristic", settings=HeuristicSettings)
def _heuristic(derived_labels: str | Mapping[str, str] | None = None,
               compound_labels: str | Mapping[str, str] | None = None, **params) -> HeuristicProjector:
    """Alignment ranges merged and filtered by length ratio (García-Ferrero et al. 2022)."""
    return HeuristicProjector(derived_labels=parse_derived_labels(derived_labels),
                              compound_labels=parse_compound_labels(compound_labels), **params)
