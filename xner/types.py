"""The project's vocabulary: words, half-open spans, entities, alignments, candidates.

Every span is a half-open word range ``[start, end)``. Values are frozen dataclasses so
they can be hashed, cached and compared in tests.

>>> Entity(0, 2, "PER").span
Span(start=0, end=2)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Words = tuple[str, ...]
Link = tuple[int, int]


@dataclass(frozen=True, order=True)
class Span:
    """A half-open word range ``[start, end)`` with ``0 <= start < end``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"a span needs 0 <= start < end, got [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, index: int) -> bool:
        return self.start <= index < self.end

    def indices(self) -> range:
        return range(self.start, self.end)


@dataclass(frozen=True, order=True)
class Entity:
    """A labelled span: ``(start, end, label)``."""

    start: int
    end: int
    label: str

    def __post_init__(self) -> None:
        Span(self.start, self.end)  # validates the range
        if not self.label:
            raise ValueError("an entity needs a non-empty label")

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def __len__(self) -> int:
        return self.end - self.start

    def text(self, words: Sequence[str]) -> str:
        return " ".join(words[self.start : self.end])


@dataclass(frozen=True)
class Alignment:
    """A set of ``(source_index, target_index)`` links, optionally with a score per link."""

    links: frozenset[Link] = frozenset()
    scores: Mapping[Link, float] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, links: Iterable[Link], scores: Mapping[Link, float] | None = None) -> Alignment:
        return cls(frozenset((int(i), int(j)) for i, j in links), dict(scores or {}))

    def __len__(self) -> int:
        return len(self.links)

    def __iter__(self):
        return iter(sorted(self.links))

    def targets_of(self, source_indices: Iterable[int]) -> set[int]:
        wanted = set(source_indices)
        return {j for i, j in self.links if i in wanted}

    def sources_of(self, target_indices: Iterable[int]) -> set[int]:
        wanted = set(target_indices)
        return {i for i, j in self.links if j in wanted}

    def inverted(self) -> Alignment:
        return Alignment.of(((j, i) for i, j in self.links), {(j, i): s for (i, j), s in self.scores.items()})

    def check_bounds(self, n_source: int, n_target: int) -> None:
        for i, j in self.links:
            if not (0 <= i < n_source and 0 <= j < n_target):
                raise ValueError(
                    f"link {i}-{j} is outside a {n_source}-word source / {n_target}-word target pair"
                )


@dataclass(frozen=True)
class Candidate:
    """A target span proposed for one source entity, with its per-feature scores.

    ``origin`` names the extractor(s) that proposed it (``ngram``, ``ner``, ...),
    ``total`` is the fused score, ``chosen`` whether the solver picked it and ``reason``
    says why a candidate was not chosen.
    """

    entity_index: int
    span: Span
    origin: str
    scores: Mapping[str, float]
    total: float
    chosen: bool = False
    reason: str = ""


@dataclass(frozen=True)
class ProjectionResult:
    """What a projector returns: the target entities and every competing candidate."""

    entities: tuple[Entity, ...]
    candidates: tuple[Candidate, ...] = ()
    method: str = ""

    def candidates_for(self, entity_index: int) -> list[Candidate]:
        return sorted(
            (c for c in self.candidates if c.entity_index == entity_index),
            key=lambda c: (-c.total, c.span),
        )


@dataclass(frozen=True)
class SentencePair:
    """One source sentence, its translation, and whatever is known about them.

    ``source_entities`` are the entities to project; ``target_entities`` are gold (or
    projected) entities on the target side, ``alignment`` the word links if known.
    """

    source_words: Words
    target_words: Words
    source_entities: tuple[Entity, ...] = ()
    target_entities: tuple[Entity, ...] = ()
    alignment: Alignment | None = None
    id: str = ""

    def with_alignment(self, alignment: Alignment) -> SentencePair:
        return SentencePair(
            self.source_words, self.target_words, self.source_entities,
            self.target_entities, alignment, self.id,
        )


def spans_overlap(spans: Iterable[Span | Entity]) -> bool:
    """True when any two of the given spans share a word."""
    ordered = sorted((s.start, s.end) for s in spans)
    return any(b[0] < a[1] for a, b in zip(ordered, ordered[1:]))


@dataclass(frozen=True)
class Sentence:
    """Words with (possibly no) entities, as read from a CoNLL file."""

    words: Words
    entities: tuple[Entity, ...] = ()
