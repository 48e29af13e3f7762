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

Most languages users bring have no such list. :class:`EdgeLexicon` learns one per run from
the corpus being projected: a target word that the alignment links, across the corpus,
almost only to source words *outside* every source entity (titles such as "Minister", noun
class particles such as Luganda "ya", prepositions) stands beside names rather than in
them, and is trimmed off a span's edge like a listed function word.
"""

from __future__ import annotations

import functools
import importlib.util
import runpy
import unicodedata
from collections.abc import Sequence
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
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


def folded_name(word: str) -> str:
    from xner.projection.names import folded_name as fold

    return fold(word)


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


@dataclass(eq=False)
class EdgeLexicon:
    """Target words that, across a corpus, stand beside names rather than in them.

    :meth:`learn` counts, per target word (case-folded), its alignment links to source words
    inside a source entity and outside every one. A word with at least ``min_links`` links of
    which at least ``outside_share`` (half) go outside is an edge word: in a corpus of news, a
    title ("Pulezidenti", aligned to "President" before "Museveni") or a particle ("ya", aligned
    to "of") is linked outside names at least as often as inside, a name ("Kampala") inside. Each
    :meth:`learn` replaces what the last one learned: the edge words are those of the corpus
    being projected, and a projection depends on nothing else. One sentence teaches little
    (few words have ``min_links`` links in it), so a single live sentence is finished by the
    lists alone.

    >>> from xner.types import Alignment, Entity, SentencePair
    >>> pair = SentencePair(("Minister", "Kasaija", "spoke"), ("Baminisita", "Kasaija", "yayogedde"),
    ...                     (Entity(1, 2, "PER"),), alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]))
    >>> lexicon = EdgeLexicon(min_links=2).learn([pair, pair])
    >>> lexicon.is_edge_word("baminisita"), lexicon.is_edge_word("Kasaija")
    (True, False)
    """

    min_links: int = 3
    outside_share: float = 0.5
    # (inside, outside) link counts per word, replaced in one assignment: a reader in another
    # thread sees one corpus's counts, never half of two
    counts: tuple[Counter, Counter] = field(default_factory=lambda: (Counter(), Counter()))

    @property
    def inside(self) -> Counter:
        return self.counts[0]

    @property
    def outside(self) -> Counter:
        return self.counts[1]

    def learn(self, pairs: Iterable[SentencePair]) -> EdgeLexicon:
        """Learn the edge words of ``pairs`` (their source entities and alignments)."""
        inside: Counter = Counter()
        outside: Counter = Counter()
        for pair in pairs:
            if pair.alignment is None:
                continue
            named = {i for entity in pair.source_entities for i in entity.span.indices()}
            for i, j in pair.alignment.links:
                if j < len(pair.target_words):
                    (inside if i in named else outside)[pair.target_words[j].casefold()] += 1
        self.counts = (inside, outside)
        return self

    def is_edge_word(self, word: str) -> bool:
        inside, outside = self.counts
        key = word.casefold()
        outside = outside[key]
        total = outside + inside[key]
        return total >= self.min_links and outside >= self.outside_share * total

    def words(self) -> list[str]:
        """The edge words learned, most linked first (what a reviewer can read)."""
        return [w for w, _ in (self.outside + self.inside).most_common() if self.is_edge_word(w)]


@dataclass(frozen=True)
class BoundaryTrimmer:
    """``punctuation``: keep commas, full stops and the like off span edges; ``lang``:
    also trim that (target) language's stop words; ``source_lang``: the language whose
    stop list tells function words from content words inside the source entity; ``learned``:
    also trim the edge words a corpus taught (:class:`EdgeLexicon`, filled by :meth:`learn`)."""

    punctuation: bool = True
    lang: str | None = None
    source_lang: str | None = "en"
    learned: EdgeLexicon | None = field(default=None, compare=False)

    @classmethod
    def from_options(cls, trim_punctuation: bool, trim_stop_words: str | None,
                     src_lang: str | None = "en", learn_edges: bool | EdgeLexicon = False) -> BoundaryTrimmer | None:
        """A trimmer for these options (``None`` when nothing is trimmed); ``learn_edges``: also
        trim learned edge words, into a new lexicon or the one given."""
        learned = learn_edges if isinstance(learn_edges, EdgeLexicon) else EdgeLexicon() if learn_edges else None
        if trim_punctuation or trim_stop_words or learned is not None:
            return cls(trim_punctuation, trim_stop_words, src_lang, learned)
        return None

    def learn(self, pairs: Sequence[SentencePair]) -> None:
        """Learn the corpus's edge words from ``pairs`` (when this trimmer learns them)."""
        if self.learned is not None:
            self.learned.learn(pairs)

    def edge_punctuation(self, word: str) -> bool:
        """True when ``word`` may not be a span's first or last word (candidate filter)."""
        return self.punctuation and is_edge_punctuation(word)

    def function_word(self, word: str) -> bool:
        return is_function_word(word, self.lang)

    def edge_word(self, word: str) -> bool:
        """A word the corpus shows standing beside names (:class:`EdgeLexicon`)."""
        return self.learned is not None and self.learned.is_edge_word(word)

    def trim(self, words: Sequence[str], span: Span) -> Span | None:
        """The span without edge punctuation, or ``None`` when nothing is left."""
        start, end = span.start, span.end
        while start < end and self.edge_punctuation(words[start]):
            start += 1
        while end > start and self.edge_punctuation(words[end - 1]):
            end -= 1
        return Span(start, end) if start < end else None

    def refine(self, pair: SentencePair, entity_index: int, span: Span) -> Span | None:
        """The chosen ``span`` for source entity ``entity_index`` with its edge punctuation,
        unaligned target function words and learned edge words trimmed; ``None`` when only
        those are left."""
        inner = self.trim(pair.target_words, span)
        if inner is None or not (self.lang or self.learned is not None):
            return inner
        entity = pair.source_entities[entity_index]
        source = pair.source_words[entity.start:entity.end]
        content = {i for i in entity.span.indices() if not is_function_word(pair.source_words[i], self.source_lang)}
        linked: dict[int, set[int]] = {}
        for i, j in (pair.alignment or Alignment()).links:
            linked.setdefault(j, set()).add(i)
        named = set(entity.span.indices())

        spelt = {folded_name(w) for w in source}

        def removable(j: int, start: int, end: int) -> bool:
            word, links = pair.target_words[j], linked.get(j, set())
            if self.function_word(word) and not links & content:
                return True
            if folded_name(word) in spelt:  # the name's own word, written alike ("Le" of "Le Monde")
                return False
            # a learned edge word goes unless it is the only target of some word of the name:
            # "ya Bichisha" loses "ya" (aligned to "Bichisha", which "Bichisha" covers), while
            # "Ausschusses für Wirtschaft" keeps "Ausschusses", the only word aligned to "Committee"
            return self.edge_word(word) and all(any(k != j and start <= k < end and i in linked[k] for k in linked)
                                                for i in links & named)

        start, end = inner.start, inner.end
        if not is_lower_word(source[0]):
            while start < end and removable(start, start, end):
                start += 1
        if not is_lower_word(source[-1]):
            while end > start and removable(end - 1, start, end):
                end -= 1
        return self.trim(pair.target_words, Span(start, end)) if start < end else None

