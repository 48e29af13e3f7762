"""Candidates from the names themselves: target n-grams that spell a source entity.

Names often cross languages unchanged or nearly so ("Kampala", "African Union" in a
Luganda sentence, "Mobutu" in a Yoruba one with tone marks). When the aligner misses such
a name, no alignment-based candidate holds it; :class:`NameExtractor` proposes every target
n-gram whose text is close to the entity's and :class:`NameScorer` scores it by that
closeness, beside the alignment score, so the name is still found and a reviewer sees why
("spelt like the source name, 0.92").

Closeness is :func:`name_similarity`: the texts are compared case-, diacritic- and
punctuation-insensitively (``NFKD``, combining marks dropped, case folded, only letters and
digits kept), by ``difflib``'s ratio, so "Mobutu" matches "Mòbútù" exactly and "Museveni"
matches "Musevení" exactly and "Museveni's" closely (0.94). Below ``threshold`` a candidate scores 0 and is
not proposed. A name written with capitals (in a script with case) is only matched by a
candidate whose first word also starts with a capital: "US" is not the Pidgin word "us".
The name score is fused with the alignment score (``name_weight``), so a name the aligner
did link keeps winning by both, and one it missed is found by its spelling alone.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from xner.projection.boundaries import is_edge_punctuation
from xner.types import SentencePair, Span


@functools.lru_cache(maxsize=1 << 16)
def folded_name(text: str) -> str:
    """``text`` as names are compared: no case, no diacritics, letters and digits only.

    >>> folded_name("Mòbútù"), folded_name("African Union"), folded_name("Museveni's")
    ('mobutu', 'africanunion', 'musevenis')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def name_similarity(source: str, target: str) -> float:
    """How closely ``target`` spells the name ``source``: 1.0 for the same letters, 0 for nothing in common.

    >>> name_similarity("Mobutu", "Mòbútù")
    1.0
    >>> round(name_similarity("Museveni", "Museveni's"), 2)
    0.94
    """
    a, b = folded_name(source), folded_name(target)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _at_least(a: str, b: str, threshold: float) -> bool:
    """Whether :func:`name_similarity` of the folded ``a`` and ``b`` may reach ``threshold``:
    the ratio is at most ``2·min / (len(a) + len(b))`` (cheap bounds first; most n-grams fail them)."""
    return bool(a) and bool(b) and 2 * min(len(a), len(b)) >= threshold * (len(a) + len(b))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].istitle()


def _has_case(word: str) -> bool:
    return any(ch.isupper() or ch.islower() for ch in word)


def spelling_score(source: Sequence[str], target: Sequence[str], threshold: float = 0.9) -> float:
    """How closely the ``target`` words spell the name ``source``: :func:`name_similarity`, or 0
    below ``threshold``, when an edge of ``target`` is punctuation, or when the name starts
    with a capital and ``target`` with a lower-case letter; an acronym or a name of fewer than
    four letters scores 1 when written exactly the same (spaces aside) and 0 otherwise.

    >>> spelling_score(["US"], ["us"]), spelling_score(["UN"], ["Un"]), spelling_score(["Kampala"], ["Kampala"])
    (0.0, 0.0, 1.0)
    """
    if not source or not target or is_edge_punctuation(target[0]) or is_edge_punctuation(target[-1]):
        return 0.0
    if _has_case(source[0]) and _capitalised(source[0]) and _has_case(target[0]) and not _capitalised(target[0]):
        return 0.0
    folded = folded_name(" ".join(source))
    if len(folded) < 4 or all(not ch.islower() for ch in "".join(source)):
        # an acronym or a short name is written exactly or not at all: "UN" is not French "Un"
        return 1.0 if "".join(source) == "".join(target) else 0.0
    if not _at_least(folded_name(" ".join(source)), folded_name(" ".join(target)), threshold):
        return 0.0
    similarity = name_similarity(" ".join(source), " ".join(target))
    return similarity if similarity >= threshold else 0.0


NAME_THRESHOLD = 0.9  # chosen on the MasakhaNER pcm/lug dev sets (0.8 took more wrong spans)


@dataclass(frozen=True)
class NameExtractor:
    """Target n-grams of up to two words more than the entity that spell its name
    (:func:`spelling_score` above 0): "Al - Shabaab" for "Al-Shabaab", "Mòbútù" for "Mobutu"."""

    threshold: float = NAME_THRESHOLD
    name: str = "name"
    distinct: ClassVar[bool] = True

    def extract(self, pair: SentencePair) -> list[list[Span]]:
        words = pair.target_words
        found = []
        for entity in pair.source_entities:
            source = pair.source_words[entity.start:entity.end]
            spans = []
            if folded_name(" ".join(source)):
                for size in range(1, len(entity) + 3):
                    for start in range(len(words) - size + 1):
                        if spelling_score(source, words[start:start + size], self.threshold) > 0:
                            spans.append(Span(start, start + size))
            found.append(spans)
        return found


@dataclass(frozen=True)
class NameScorer:
    """:func:`spelling_score` of each candidate for the entity's name."""

    threshold: float = NAME_THRESHOLD
    name: str = "name"

    def score(self, pair: SentencePair, entity_index: int, spans: Sequence[Span]) -> np.ndarray:
        entity = pair.source_entities[entity_index]
        source = pair.source_words[entity.start:entity.end]
        return np.array([spelling_score(source, pair.target_words[s.start:s.end], self.threshold) for s in spans],
                        dtype=float)
