"""The translator interface and ``build_translator`` for specs like ``apertium``,
``given:FILE`` or ``hf:MODEL``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from xner.errors import ConfigError
from xner.registry import Registry


@runtime_checkable
class Translator(Protocol):
    name: str

    def translate(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[str]:
        """One translation per input text, in order (an empty string when there is none)."""
        ...


translators: Registry[Translator] = Registry("translator")


def build_translator(spec: str, **params: Any) -> Translator:
    """``apertium``, ``given:PATH`` (one translation a line) or ``hf:MODEL`` (hub id or directory)."""
    from xner.translation import apertium, given, seq2seq  # noqa: F401  (registers the backends)

    kind, _, argument = spec.partition(":")
    pasted = kind == "given" and params.get("translations") is not None  # given in memory (the app)
    if kind in ("given", "hf") and not argument and not pasted:
        raise ConfigError(f"translator {spec!r} needs an argument: {kind}:PATH" + (" or hub id" if kind == "hf" else ""))
    if argument:
        params = {"source": argument, **params}
    return translators.create(kind, **params)
