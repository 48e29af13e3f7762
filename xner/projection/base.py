"""The projector interface and the registry that names projection methods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from xner.registry import Registry
from xner.types import Entity, ProjectionResult, SentencePair

if TYPE_CHECKING:
    from xner.ner.base import Tagger


@runtime_checkable
class Projector(Protocol):
    """Turns source entities + alignment into target entities (plus the candidates seen).

    A projector subclassing this protocol inherits the defaults of the optional parts: it
    learns nothing from the corpus (``prepare``) and runs no target tagger (``target_taggers``).
    """

    name: str

    def project(self, pair: SentencePair) -> ProjectionResult:
        """Project ``pair.source_entities`` onto ``pair.target_words`` via ``pair.alignment``."""
        ...

    def prepare(self, pairs: Sequence[SentencePair]) -> None:
        """Be shown the corpus (aligned, in matching form) before projecting its pairs one by
        one: batch model calls over it, learn its edge words (see :func:`prepare`)."""
        return None

    def target_taggers(self) -> list[Tagger]:
        """The taggers this projector runs on the target sentences, so a pipeline can let them
        share the aligner's encoder passes."""
        return []


class CorpusProjection(Protocol):
    """What a corpus path returns: ``self[k]`` is ``projector.project(pairs[k])`` and
    ``entities(k)`` its entities alone."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> ProjectionResult: ...

    def entities(self, index: int) -> tuple[Entity, ...]: ...


@runtime_checkable
class CorpusProjector(Projector, Protocol):
    """A projector that also projects a whole corpus at once, faster than pair by pair (the
    heuristic, on arrays: :mod:`xner.projection.heuristic_corpus`)."""

    def project_corpus(self, pairs: Sequence[SentencePair]) -> CorpusProjection: ...


projectors: Registry[Projector] = Registry("projection method")
DEFAULT_METHOD = "ngram"  # the best measured (docs/BENCHMARKS.md)


def prepare(projector: Projector, pairs: Sequence[SentencePair]) -> None:
    """Show ``projector`` the corpus before it projects pair by pair, where it wants to see it:
    model calls batched over all target sentences, the corpus's edge words learned
    (:class:`~xner.projection.boundaries.EdgeLexicon`). Every place that projects a corpus calls
    this first with what it has at hand, so what is learned depends on that: the whole input
    (``project``, ``pipeline``, ``silver``, a foreground import), one shard (``batch``: larger
    shards learn more), one chunk of a background import, the pairs added at each N of the
    scaling study; one live sentence teaches next to nothing (the word lists still apply)."""
    projector.prepare(pairs)


def build_projector(method: str, **params: Any) -> Projector:
    """Create a registered projector; ``params`` left as ``None`` keep their defaults."""
    # Importing here registers the built-in methods without an import cycle.
    from xner.languages import language_code
    from xner.projection import heuristic, matching, methods  # noqa: F401

    # "DE", "deu" and "de" are one language: the word lists and the German rules are keyed "de"
    params = {k: language_code(v, k) if k in LANGUAGE_SETTINGS and isinstance(v, str) else v
              for k, v in params.items()}
    return projectors.create(method, **{k: v for k, v in params.items() if v is not None})


# the projector settings that name a language
LANGUAGE_SETTINGS = ("trim_stop_words", "src_lang", "tgt_lang")

