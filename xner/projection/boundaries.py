"""Span boundaries: words a projected entity should not start or end with.

Alignments often link articles, prepositions and punctuation next to a name to the
name itself ("the Netherlands" → "den Niederlanden"), while CoNLL-style guidelines keep
them outside the entity. :class:`BoundaryTrimmer` handles both kinds of edge word:

- punctuation (commas, full stops, colons: Unicode ``Po``) never starts or ends a
  name, whatever the language; candidates with such an edge are not proposed at all;
- function words come from per-language stop-word lists (spaCy's, which cover some
  60 languages). They are trimmed off the span a projector has chosen, not used to
  veto candidates: a veto only pushes the choice to a longer span ("enmiendas del
  Grupo Liberal"). A word is trimmed when it is written in lower case (capitalised
  parts of names stay: "Die Grünen"), when no content word of the source entity is
  aligned to it ("Member States" → "estados miembros" keeps "estados"), and when the
  source entity does not itself begin (end) with a lower-case word on that side
  ("de Palacio", "von Wogau").
"""

from __future__ import annotations

import functools
import importlib.util
import runpy
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xner.types import Alignment, SentencePair, Span


@functools.lru_cache(maxsize=None)
def stop_words(lang: str | None) -> frozenset[str]:
    """The stop-word list spaCy ships for ``lang`` (ISO 639-1), empty when there is none.

    The list file (``spacy/lang/<lang>/stop_words.py``, plain literals) is run on its own:
    importing it through the package would load all of spaCy, and torch with it (seconds
    and hundreds of MiB for a word list).
    """
    if not lang or not lang.isidentifier():
        return frozenset()
    folder = _spacy_lang_dir()
    path = folder / lang / "stop_words.py" if folder is not None else None
    if path is None or not path.is_file():
        return frozenset()
    namespace = runpy.run_path(str(path), run_name=f"xner_stop_words_{lang}")
    return frozenset(w.lower() for w in namespace.get("STOP_WORDS", ()))


@functools.lru_cache(maxsize=1)
def _spacy_lang_dir() -> Path | None:
    """spaCy's ``lang`` folder, found without importing spaCy."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "lang"


def is_lower_word(word: str) -> bool:
    """A word with letters, none of them upper case ("der", "de", "ländliche")."""
    return any(ch.isalpha() for ch in word) and not any(ch.isupper() for ch in word)


def is_function_word(word: str, lang: str | None) -> bool:
    """A lower-case word on ``lang``'s stop list (capitalised ones may be part of a name)."""
    return is_lower_word(word) and word in stop_words(lang)


def is_edge_punctuation(word: str) -> bool:
    # Brackets and dashes can belong to a name ("( COM ( 1999 ) 101 )"); commas,
    # full stops, colons and the like (Unicode Po) never end one.
    return bool(word) and all(unicodedata.category(ch) == "Po" for ch in word)


@dataclass(frozen=True)
class BoundaryTrimmer:
    """``punctuation``: keep commas, full stops and the like off span edges; ``lang``:
    also trim that (target) language's stop words; ``source_lang``: the language whose
    stop list tells function words from content words inside the source entity."""

    punctuation: bool = True
    lang: str | None = None
    source_lang: str | None = "en"

    @classmethod
    def from_options(cls, trim_punctuation: bool, trim_stop_words: str | None,
                     src_lang: str | None = "en") -> BoundaryTrimmer | None:
        return cls(trim_punctuation, trim_stop_words, src_lang) if trim_punctuation or trim_stop_words else None

    def edge_punctuation(self, word: str) -> bool:
        """True when ``word`` may not be a span's first or last word (candidate filter)."""
        return self.punctuation and is_edge_punctuation(word)

    def function_word(self, word: str) -> bool:
        return is_function_word(word, self.lang)

    def trim(self, words: Sequence[str], span: Span) -> Span | None:
        """The span without edge punctuation, or ``None`` when nothing is left."""
        start, end = span.start, span.end
        while start < end and self.edge_punctuation(words[start]):
            start += 1
        while end > start and self.edge_punctuation(words[end - 1]):
            end -= 1
        return Span(start, end) if start < end else None

    def refine(self, pair: SentencePair, entity_index: int, span: Span) -> Span | None:
        """The chosen ``span`` for source entity ``entity_index`` with its edge punctuation
        and unaligned target function words trimmed; ``None`` when only those are left."""
        inner = self.trim(pair.target_words, span)
        if inner is None or not self.lang:
            return inner
        entity = pair.source_entities[entity_index]
        source = pair.source_words[entity.start:entity.end]
        content = {i for i in entity.span.indices() if not is_function_word(pair.source_words[i], self.source_lang)}
        linked: dict[int, set[int]] = {}
        for i, j in (pair.alignment or Alignment()).links:
            linked.setdefault(j, set()).add(i)

        def removable(j: int) -> bool:
            return self.function_word(pair.target_words[j]) and not linked.get(j, set()) & content

        start, end = inner.start, inner.end
        if not is_lower_word(source[0]):
            while start < end and removable(start):
                start += 1
        if not is_lower_word(source[-1]):
            while end > start and removable(end - 1):
                end -= 1
        return self.trim(pair.target_words, Span(start, end)) if start < end else None
