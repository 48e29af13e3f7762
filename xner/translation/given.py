"""Translations that already exist: a parallel file (one a line) or pasted sentences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xner.errors import XnerError, count_mismatch
from xner.io.files import open_text
from xner.translation.base import translators


@dataclass(frozen=True)
class GivenTranslator:
    """Returns the given translations in order; the input must have as many sentences."""

    translations: tuple[str, ...]
    origin: str = "given translations"
    name: str = "given"

    @classmethod
    def from_file(cls, path: str | Path) -> GivenTranslator:
        with open_text(path) as handle:
            lines = tuple(line.rstrip("\r\n") for line in handle)
        return cls(lines, str(path))

    def translate(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[str]:
        if len(texts) != len(self.translations):
            raise count_mismatch("input and translations", ("the input", len(texts)), (self.origin, len(self.translations)))
        return list(self.translations)

    def subset(self, indices: Sequence[int]) -> GivenTranslator:
        return GivenTranslator(tuple(self.translations[i] for i in indices), self.origin)


@translators.register("given")
def _given(source: str | None = None, translations: Sequence[str] | None = None) -> GivenTranslator:
    """Translations read from a file (given:FILE), one per input sentence."""
    if translations is not None:
        return GivenTranslator(tuple(translations))
    if source is None:
        raise XnerError("given translations need a file: given:PATH")
    return GivenTranslator.from_file(source)
