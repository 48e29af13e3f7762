"""Turning words into text for a translator, and text (raw or a translator's) back into words.

>>> detokenize(["Merkel", "visited", "Paris", ",", "France", "(", "EU", ")", "."])
'Merkel visited Paris, France (EU).'
>>> tokenize("Merkel visitó París, Francia (UE).")
('Merkel', 'visitó', 'París', ',', 'Francia', '(', 'UE', ')', '.')

Words are compared in one Unicode form, NFC (:func:`matching_form`): MasakhaNER's Yoruba
writes "ẹ́" as three code points (NFD), MAFAND-MT as two, and the two must meet as one
word. Only what is compared takes that form; what is written keeps the input's bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import regex

_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}»”’]|['’](?:s|re|ve|ll|d|m)\b|n['’]t\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{«“‘¿¡]) ")
# A word is letters with their combining marks and digits, joined by inner apostrophes,
# hyphens and dots ("Ilé-iṣẹ́", "yan'uwansu", "5.3.2020"); a number keeps its inner commas
# ("1,000.50"); a word may start with an apostrophe before a lower-case letter (Hausa
# "'yan", "'ya'ya", as MasakhaNER writes them); an abbreviation of single letters keeps its final dot ("U.S."). Any other
# character that is not a space is a token of its own, so "Mozambique." ends in ".".
_WORD = r"[\p{L}\p{M}\p{N}_]"
_TOKEN = regex.compile(
    rf"(?:\p{{L}}\p{{M}}*\.){{2,}}(?!{_WORD})"  # U.S., e.g.
    rf"|\p{{N}}+(?:[.,]\p{{N}}+)+(?!{_WORD})"  # 1,000.50
    rf"|(?:(?<![^\s(\[{{\"“])['’](?=\p{{Ll}}))?{_WORD}+(?:[-'’.]{_WORD}+)*"  # Hausa 'yan
    rf"|[^\p{{L}}\p{{M}}\p{{N}}_\s]")
# punctuation that raw text attaches to the word before it, and tokenized text sets apart
_ATTACHED = regex.compile(r"[\p{L}\p{M}\p{N}][,;:!?]$|[\p{L}\p{M}\p{N}]{2}[.]$")


def detokenize(words: Sequence[str]) -> str:
    text = " ".join(words)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    return _NO_SPACE_AFTER.sub(r"\1", text)


# Clitics a language's NER corpora write as words of their own: English CoNLL (and the head
# trained on it) has "Uganda 's", "do n't"; a name read as "Uganda's" is a word the head never saw
# (on MasakhaNER Luganda dev, splitting them took translate-test from 79.4 to 82.3 F1)
CLITICS: dict[str, regex.Pattern] = {
    "en": regex.compile(r"(?i)^(\p{L}[\p{L}\p{M}\p{N}.-]*?)(n['’]t|['’](?:s|re|ve|ll|d|m))$"),
}


def tokenize(text: str, lang: str | None = None) -> tuple[str, ...]:
    """Split text into words and punctuation marks (Unicode-aware, any script with spaces);
    ``lang``: the text's language, whose clitics (:data:`CLITICS`) become words of their own.

    >>> tokenize("Ilé-iṣẹ́ náà wà ní Mozambique.")
    ('Ilé-iṣẹ́', 'náà', 'wà', 'ní', 'Mozambique', '.')
    >>> tokenize("Uganda's army didn't come.", "en")
    ('Uganda', "'s", 'army', 'did', "n't", 'come', '.')
    """
    words = _TOKEN.findall(text)
    clitics = CLITICS.get(lang or "")
    if clitics is None:
        return tuple(words)
    split = []
    for word in words:
        match = clitics.match(word)
        split.extend(match.groups() if match else (word,))
    return tuple(split)


def matching_form(words: Iterable[str]) -> tuple[str, ...]:
    """The words as they are compared (aligned, tagged, matched, scored): each in NFC. One
    word stays one word, so positions, spans and entities are the same in either form.

    >>> matching_form(["Ile\u0301-is\u0323e\u0323\u0301"]) == ("Il\u00e9-i\u1e63\u1eb9\u0301",)
    True
    """
    return tuple(word if unicodedata.is_normalized("NFC", word) else unicodedata.normalize("NFC", word)
                 for word in words)


def in_matching_form(sentences):
    """``sentences`` (:class:`~xner.types.Sentence` values) with their words in :func:`matching_form`."""
    from dataclasses import replace

    return [s if matching_form(s.words) == tuple(s.words) else replace(s, words=matching_form(s.words))
            for s in sentences]


def pair_in_matching_form(pair):
    """``pair`` (a :class:`~xner.types.SentencePair`) with both sides in :func:`matching_form`."""
    from dataclasses import replace

    source, target = matching_form(pair.source_words), matching_form(pair.target_words)
    if source == pair.source_words and target == pair.target_words:
        return pair
    return replace(pair, source_words=source, target_words=target)


def looks_raw(words: Sequence[str]) -> bool:
    """Whether a line split at spaces still has punctuation attached to its words, as raw
    text does and tokenized text does not: a comma, semicolon, colon, ! or ? right after a
    letter or digit anywhere ("said,"), or a full stop after two on the line's last word
    ("Mozambique."; "U.S." and "Mr." inside a tokenized line are not counted)."""
    return any(_ATTACHED.search(w) and not w.endswith(".") for w in words) or bool(
        words and _ATTACHED.search(words[-1]))
