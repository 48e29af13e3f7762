"""Span boundaries: words a projected entity should not start or end with.

Alignments often link articles, prepositions and punctuation next to a name to the
name itself ("the Netherlands" → "den Niederlanden"), while CoNLL-style guidelines keep
them outside the entity. :class:`BoundaryTrimmer` removes such words from the edges of
a span. What counts as a function word comes from per-language stop-word lists
(spaCy's, which cover some 60 languages); a word is only trimmed when it is written in
lower case, so capitalised parts of names ("Neue Zürcher Zeitung") stay.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from xner.types import Span


@functools.lru_cache(maxsize=None)
def stop_words(lang: str | None) -> frozenset[str]:
    """The stop-word list shipped for ``lang`` (ISO 639-1), empty when there is none."""
    if not lang:
        return frozenset()
    try:
        import importlib

        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(w.lower() for w in getattr(module, "STOP_WORDS", ()))


@dataclass(frozen=True)
class BoundaryTrimmer:
    """``punctuation``: trim commas, full stops and the like; ``lang``: also trim that
    language's stop words (lower-case only)."""

    punctuation: bool = True
    lang: str | None = None

    @classmethod
    def from_options(cls, trim_punctuation: bool, trim_stop_words: str | None) -> BoundaryTrimmer | None:
        return cls(trim_punctuation, trim_stop_words) if trim_punctuation or trim_stop_words else None

    def trimmable(self, word: str) -> bool:
        # Brackets and dashes can belong to a name ("( COM ( 1999 ) 101 )"); commas,
        # full stops, colons and the like (Unicode Po) never end one.
        if self.punctuation and word and all(unicodedata.category(ch) == "Po" for ch in word):
            return True
        return word.islower() and word in stop_words(self.lang)

    def trim(self, words: Sequence[str], span: Span) -> Span | None:
        """The span without trimmable edge words, or ``None`` when nothing is left."""
        start, end = span.start, span.end
        while start < end and self.trimmable(words[start]):
            start += 1
        while end > start and self.trimmable(words[end - 1]):
            end -= 1
        return Span(start, end) if start < end else None

    def clean(self, words: Sequence[str], span: Span) -> bool:
        """True when neither edge of the span is trimmable."""
        return not self.trimmable(words[span.start]) and not self.trimmable(words[span.end - 1])
