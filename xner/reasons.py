"""Why a candidate was (not) chosen, as a value: a kind and its fields.

Projectors and solvers put one of these on every :class:`~xner.types.Candidate`; nothing
reads a sentence back. :func:`describe` is the one place they become words: without a
pair, as JSONL files and the CLI have always written them (target spans as ``[start,
end)``, source entities by index); with the pair, naming the words, as the app shows them.

>>> from xner.types import Entity, SentencePair
>>> pair = SentencePair(("Angela", "Merkel"), ("Angela", "Merkel"), (Entity(0, 2, "PER"),))
>>> describe(AlreadyMatched(0, 2, 1.0))
'entity already matched to [0, 2) with 1.000'
>>> describe(AlreadyMatched(0, 2, 1.0), pair)
"'Angela Merkel' already took this entity, score 1.00"
>>> reason_from_fields(reason_fields(Overlaps(0, 2, 0, "projected from"))) == Overlaps(0, 2, 0, "projected from")
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from xner.types import SentencePair


class Reason:
    """A reason kind: a frozen dataclass with a ``kind`` name (what JSONL records call it),
    ``text()`` (the file wording) and ``words(pair)`` (naming the words; ``None`` where the
    pair cannot name them, e.g. a span outside it)."""

    kind: ClassVar[str]

    def text(self) -> str:
        raise NotImplementedError

    def words(self, pair: SentencePair) -> str | None:
        return self.text()


KINDS: dict[str, type[Reason]] = {}


def _kind(cls):
    KINDS[cls.kind] = cls
    return cls


def _target(pair: SentencePair, start: int, end: int) -> str | None:
    if not 0 <= start < end <= len(pair.target_words):
        return None
    return " ".join(pair.target_words[start:end])


def _source(pair: SentencePair, index: int) -> str | None:
    if not 0 <= index < len(pair.source_entities):
        return None
    entity = pair.source_entities[index]
    return f"'{entity.text(pair.source_words)}' ({entity.label})"


@_kind
@dataclass(frozen=True)
class Chosen(Reason):
    """Chosen as proposed; ``trimmed``: the edge words span finishing cut off; ``relabel``:
    the label rule that gave another label than the source entity's (``derived form``,
    ``compound``, or ``base name``: the name a derived source word comes from), ``label``
    that label."""

    kind: ClassVar[str] = "chosen"
    RULES: ClassVar[Mapping[str, str]] = {"derived form": "derived form", "compound": "compound",
                                          "base name": "the name a derived source word comes from"}
    trimmed: tuple[str, ...] = ()
    relabel: str | None = None
    label: str | None = None

    def text(self) -> str:
        notes = []
        if self.trimmed:
            notes.append(f"edge words trimmed: {' '.join(self.trimmed)}")
        if self.relabel is not None:
            notes.append(f"{self.RULES[self.relabel]}: labelled {self.label}")
        return f"chosen ({'; '.join(notes)})" if notes else "chosen"


@_kind
@dataclass(frozen=True)
class ZeroScore(Reason):
    kind: ClassVar[str] = "zero score"

    def text(self) -> str:
        return "score is 0"


@_kind
@dataclass(frozen=True)
class AlreadyMatched(Reason):
    """The source entity already went to ``[start, end)``, which scored ``score``."""

    kind: ClassVar[str] = "already matched"
    start: int
    end: int
    score: float

    def text(self) -> str:
        return f"entity already matched to [{self.start}, {self.end}) with {self.score:.3f}"

    def words(self, pair: SentencePair) -> str | None:
        words = _target(pair, self.start, self.end)
        return None if words is None else f"'{words}' already took this entity, score {self.score:.2f}"


@_kind
@dataclass(frozen=True)
class Overlaps(Reason):
    """``[start, end)``, overlapping this candidate, went to source entity ``source``; ``by``
    says how (``chosen for`` by a solver, ``projected from`` by the heuristic)."""

    kind: ClassVar[str] = "overlaps"
    start: int
    end: int
    source: int
    by: str = "chosen for"

    def text(self) -> str:
        return f"overlaps [{self.start}, {self.end}) {self.by} source entity {self.source}"

    def words(self, pair: SentencePair) -> str | None:
        words, source = _target(pair, self.start, self.end), _source(pair, self.source)
        return None if words is None or source is None else f"overlaps '{words}', already {self.by} {source}"


@_kind
@dataclass(frozen=True)
class NotOptimal(Reason):
    kind: ClassVar[str] = "not optimal"

    def text(self) -> str:
        return "not in the optimal selection"

    def words(self, pair: SentencePair) -> str | None:
        return "left out of the best selection (the exact solver found a higher total without it)"


@_kind
@dataclass(frozen=True)
class TooShort(Reason):
    """The heuristic's length filter: ``ratio`` × the entity's length, not above ``threshold``."""

    kind: ClassVar[str] = "too short"
    ratio: float
    threshold: float

    def text(self) -> str:
        return f"length ratio {self.ratio:.2f} <= {self.threshold}"

    def words(self, pair: SentencePair) -> str | None:
        return f"too short: {self.ratio:.2f} × the entity's length, needs more than {self.threshold}"


@_kind
@dataclass(frozen=True)
class NotLongest(Reason):
    kind: ClassVar[str] = "not longest"
    top_k: int

    def text(self) -> str:
        return f"not among the {self.top_k} longest ranges"


@_kind
@dataclass(frozen=True)
class OnlyEdgeWords(Reason):
    """Span finishing left nothing: only function words or punctuation (``chosen``: after a
    solver chose it)."""

    kind: ClassVar[str] = "only edge words"
    chosen: bool = False

    def text(self) -> str:
        return f"{'chosen, but ' if self.chosen else ''}only function words or punctuation"


@_kind
@dataclass(frozen=True)
class LeftUnlabelled(Reason):
    """Chosen, but a derived form or compound (starting with ``word``) that the labels map to
    ``O``: its entity was projected as the target guidelines want, not lost."""

    kind: ClassVar[str] = "left unlabelled"
    word: str

    def text(self) -> str:
        return f"chosen, but a derived form or compound ({self.word!r}), which these labels leave unlabelled"


@_kind
@dataclass(frozen=True)
class Unsupported(Reason):
    """None of the ``support`` scores (weighted above 0) is above 0."""

    kind: ClassVar[str] = "unsupported"
    support: tuple[str, ...]

    def text(self) -> str:
        return f"no {' or '.join(self.support)} score: the other scores alone choose no projection"


@_kind
@dataclass(frozen=True)
class Given(Reason):
    """A reason as a file gave it in words, without its kind (JSONL written before reasons
    were values, or by another tool): shown as it is."""

    kind: ClassVar[str] = "given"
    said: str = ""

    def text(self) -> str:
        return self.said


NO_REASON = Given()


def describe(reason: Reason, pair: SentencePair | None = None) -> str:
    """``reason`` in words: as files write it, or, given the pair, naming its words (the
    file wording where the pair cannot name them)."""
    if pair is None:
        return reason.text()
    words = reason.words(pair)
    return reason.text() if words is None else words


def left_unlabelled(reason: Reason) -> bool:
    """Whether a candidate with ``reason`` was chosen and then left unlabelled (a derived form
    mapped to ``O``, e.g. 'español'): its entity was not lost."""
    return isinstance(reason, LeftUnlabelled)


def reason_fields(reason: Reason) -> dict[str, Any] | None:
    """``reason`` as JSON fields (``kind`` and its fields); ``None`` for a :class:`Given` one,
    which has only its words."""
    if isinstance(reason, Given):
        return None
    values = {f.name: getattr(reason, f.name) for f in fields(reason)}  # type: ignore[arg-type]
    return {"kind": reason.kind, **{k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}}


def reason_from_fields(values: Mapping[str, Any], said: str = "") -> Reason:
    """The reason :func:`reason_fields` wrote; ``said`` (its words) where the kind is not
    known here. Raises ``TypeError`` on fields that do not fit the kind."""
    cls = KINDS.get(str(values.get("kind")))
    if cls is None:
        return Given(said)
    given = {f.name: values[f.name] for f in fields(cls) if f.name in values}  # type: ignore[arg-type]
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in given.items()})
