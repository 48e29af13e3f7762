"""The project's vocabulary: words, half-open spans, entities, alignments, candidates.

Every span is a half-open word range ``[start, end)``. Values are frozen dataclasses so
they can be hashed, cached and compared in tests.

>>> Entity(0, 2, "PER").span
Span(start=0, end=2)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import FrozenInstanceError, dataclass
from typing import TYPE_CHECKING

from xner.reasons import NO_REASON, Reason

if TYPE_CHECKING:  # numpy is imported where arrays are made, not with the vocabulary
    import numpy as np
    from numpy.typing import ArrayLike

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


class Alignment:
    """A set of ``(source_index, target_index)`` links, optionally with a score per link.

    A value, like the dataclasses here: immutable, equal and hashed by its links alone (the
    scores do not count), picklable. It holds its links in the form it was made from and
    gives the other when first read: a frozenset of tuples (``Alignment(links)``,
    :meth:`of`), or a sorted integer array (:meth:`from_arrays`, what the aligners that
    compute links as arrays return). Python code reads :attr:`links`; array code reads
    :attr:`link_array` and skips a Python tuple per link.

    >>> a = Alignment.from_arrays([1, 0], [0, 2], scores=[0.5, 0.9])
    >>> a == Alignment.of([(0, 2), (1, 0)]), a.targets_of([0]), a.scores[(1, 0)]
    (True, {2}, 0.5)
    """

    # link_array is a slot, not a property, so that array code reads it in C (map(attrgetter))
    __slots__ = {
        "link_array": "When made by :meth:`from_arrays`, the links as a read-only C-contiguous "
                      "n × 2 integer array, a row ``(source, target)`` per link, sorted (int32, int64 "
                      "where an index needs it): ``source, target = alignment.link_array.T``. "
                      "``None`` when made from tuples.",
        "_links": "the frozenset of links (from link_array when first read)",
        "_scores": "the scores by link (from _values when first read)",
        "_values": "the scores of link_array's rows, in its order, or None",
    }
    __match_args__ = ("links", "scores")

    def __init__(self, links: frozenset[Link] = frozenset(), scores: Mapping[Link, float] | None = None) -> None:
        _set = object.__setattr__
        _set(self, "_links", links)
        _set(self, "_scores", {} if scores is None else scores)
        _set(self, "link_array", None)
        _set(self, "_values", None)

    @classmethod
    def of(cls, links: Iterable[Link], scores: Mapping[Link, float] | None = None) -> Alignment:
        return cls(frozenset((int(i), int(j)) for i, j in links), dict(scores or {}))

    @classmethod
    def from_arrays(cls, source: ArrayLike, target: ArrayLike, scores: ArrayLike | None = None) -> Alignment:
        """Links ``(source[k], target[k])``, with ``scores[k]`` each when given. The arrays
        are copied, sorted by source then target index; a link given twice is kept once,
        with its last score. Indices must fit in 64 bits."""
        import numpy as np

        source, target = np.asarray(source, dtype=np.int64).ravel(), np.asarray(target, dtype=np.int64).ravel()
        values = None if scores is None else np.array(scores).ravel()
        if len(source) != len(target) or (values is not None and len(values) != len(source)):
            sizes = f"{len(source)} sources, {len(target)} targets"
            sizes += "" if values is None else f", {len(values)} scores"
            raise ValueError(f"links need as many sources as targets (and scores): got {sizes}")
        fits = not len(source) or (-2**31 <= min(source.min(), target.min())
                                   and max(source.max(), target.max()) < 2**31)
        # int32 where the indices fit: half the bytes for array code to read
        array = np.stack([source, target], axis=1).astype(np.int32 if fits else np.int64)
        first, second = source, target
        if not ((first[1:] > first[:-1]) | ((first[1:] == first[:-1]) & (second[1:] > second[:-1]))).all():
            order = np.lexsort((second, first))
            first, second = first[order], second[order]
            last = np.ones(len(first), dtype=bool)  # the last of each run of one link (lexsort is stable)
            last[:-1] = (first[1:] != first[:-1]) | (second[1:] != second[:-1])
            array = np.ascontiguousarray(array[order[last]])
            if values is not None:
                values = values[order[last]]
        return _from_sorted(array, values)

    @property
    def links(self) -> frozenset[Link]:
        links = self._links
        if links is None:
            links = frozenset(zip(*self.link_array.T.tolist()))
            object.__setattr__(self, "_links", links)
        return links

    @property
    def scores(self) -> Mapping[Link, float]:
        scores = self._scores
        if scores is None:
            scores = {} if self._values is None else dict(zip(zip(*self.link_array.T.tolist()), self._values.tolist()))
            object.__setattr__(self, "_scores", scores)
        return scores

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        mine, theirs = self.link_array, other.link_array
        if mine is not None and theirs is not None:  # both sorted: compare them as they are
            return mine.shape == theirs.shape and bool((mine == theirs).all())
        return self.links == other.links

    def __hash__(self) -> int:
        return hash((self.links,))

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(links={self.links!r}, scores={self.scores!r})"

    def __reduce__(self) -> tuple:
        if self.link_array is not None:
            return _from_sorted, (self.link_array, self._values)
        return type(self), (self._links, self._scores)

    def __len__(self) -> int:
        return len(self._links) if self.link_array is None else len(self.link_array)

    def __iter__(self) -> Iterator[Link]:
        if self.link_array is None:
            return iter(sorted(self.links))
        return zip(*self.link_array.T.tolist())

    def targets_of(self, source_indices: Iterable[int]) -> set[int]:
        wanted = set(source_indices)
        return {j for i, j in self.links if i in wanted}

    def sources_of(self, target_indices: Iterable[int]) -> set[int]:
        wanted = set(target_indices)
        return {i for i, j in self.links if j in wanted}

    def inverted(self) -> Alignment:
        if self.link_array is not None:
            return Alignment.from_arrays(self.link_array[:, 1], self.link_array[:, 0], self._values)
        return Alignment.of(((j, i) for i, j in self.links), {(j, i): s for (i, j), s in self.scores.items()})

    def check_bounds(self, n_source: int, n_target: int) -> None:
        """Raises ``ValueError`` naming the first link (in sorted order) outside the pair."""
        outside = [(i, j) for i, j in self.links if not (0 <= i < n_source and 0 <= j < n_target)]
        if outside:
            i, j = min(outside)
            raise ValueError(f"link {i}-{j} is outside a {n_source}-word source / {n_target}-word target pair")


def _from_sorted(array: np.ndarray, values: np.ndarray | None) -> Alignment:
    """An :class:`Alignment` holding ``array`` (n × 2 ints, C-contiguous, its links sorted,
    each once) as it is, and ``values``, its links' scores in that order (or ``None``)."""
    array.flags.writeable = False
    if values is not None:
        values.flags.writeable = False
    alignment = Alignment.__new__(Alignment)
    for name, value in (("_links", None), ("_scores", None), ("link_array", array), ("_values", values)):
        object.__setattr__(alignment, name, value)
    return alignment


@dataclass(frozen=True)
class Candidate:
    """A target span proposed for one source entity, with its per-feature scores.

    ``origin`` names the extractor(s) that proposed it (``ngram``, ``ner``, ...),
    ``total`` is the fused score, ``chosen`` whether the solver picked it and ``reason``
    why (or why not), as a value (:mod:`xner.reasons`).
    """

    entity_index: int
    span: Span
    origin: str
    scores: Mapping[str, float]
    total: float
    chosen: bool = False
    reason: Reason = NO_REASON


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
    """Words with (possibly no) entities, as read from a CoNLL file; ``id`` from its
    ``# id = ...`` comment line, when it has one."""

    words: Words
    entities: tuple[Entity, ...] = ()
    id: str | None = None
