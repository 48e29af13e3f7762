"""The aligner interface and the registry that names aligners."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from xner.registry import Registry
from xner.types import Alignment

WordPair = tuple[Sequence[str], Sequence[str]]


@runtime_checkable
class Aligner(Protocol):
    """Aligns a batch (or corpus) of sentence pairs; one :class:`Alignment` per pair.

    Statistical aligners learn from the batch itself, so give them the whole corpus at
    once; embedding aligners treat pairs independently.
    """

    name: str

    def align(self, pairs: Sequence[WordPair]) -> list[Alignment]: ...


aligners: Registry[Aligner] = Registry("aligner")
DEFAULT_ALIGNER = "embedding"


def build_aligner(name: str, **params: Any) -> Aligner:
    from xner.alignment import embedding, statistical  # noqa: F401  (registers the built-in aligners)

    return aligners.create(name, **{k: v for k, v in params.items() if v is not None})


def aligner_from_options(
    name: str, model: str | None = None, layer: int | None = None, extraction: str | None = None,
    level: str | None = None,
) -> Aligner:
    """Build an aligner from command-line style options; embedding options need an embedding aligner."""
    embedding = {"model": model, "layer": layer, "method": extraction, "level": level}
    given = [k for k, v in embedding.items() if v is not None]
    if given and not name.startswith("embedding"):
        from xner.errors import ConfigError

        option = {"model": "--aligner-model", "method": "--extraction"}.get(given[0], f"--{given[0]}")
        raise ConfigError(f"{option} only applies to the embedding aligners, not to {name!r}")
    return build_aligner(name, **embedding)
