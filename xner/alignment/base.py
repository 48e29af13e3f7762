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


def available_aligners() -> list[tuple[str, str]]:
    """Every registered aligner name with its one-line description (what ``--aligner`` takes)."""
    from xner.alignment import embedding, statistical  # noqa: F401  (registers the built-in aligners)

    return [(name, aligners.describe(name)) for name in aligners.names()]


def aligner_from_options(
    name: str, model: str | None = None, layer: int | None = None, extraction: str | None = None,
    level: str | None = None, distortion: float | None = None, device: str | None = None,
) -> Aligner:
    """Build an aligner from command-line style options; embedding options need an embedding aligner.

    ``device`` is where models run for the whole command; aligners without a model ignore it.
    """
    embedding = {"model": model, "layer": layer, "method": extraction, "level": level, "distortion": distortion}
    given = [k for k, v in embedding.items() if v is not None]
    if not name.startswith("embedding"):
        if given:
            from xner.errors import ConfigError

            option = {"model": "--aligner-model", "method": "--extraction"}.get(given[0], f"--{given[0]}")
            raise ConfigError(f"{option} only applies to the embedding aligners, not to {name!r}")
        return build_aligner(name)
    if device is not None:
        from xner.models.device import resolve_device

        resolve_device(device)  # an unavailable device is an error now, not after the input was read
    return build_aligner(name, **embedding, device=device)
