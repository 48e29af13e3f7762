"""Cutting a line into words (text) or columns (CoNLL): at tabs and ASCII spaces only.

``str.split()`` also cuts at no-break spaces, ``\\x1c``–``\\x1f`` and the other Unicode
spaces, which do occur inside tokens ("Angela\\u00a0Merkel", "1\\u202f000"); split there,
a CoNLL line would lose the rest of its token and take a piece of it for the tag.

>>> split_words("Angela\\u00a0Merkel \\t B-PER\\r\\n")
('Angela\\xa0Merkel', 'B-PER')
"""

from __future__ import annotations

import re

SEPARATORS = " \t"
_SEPARATOR_RUN = re.compile(r"[ \t]+")
_LINE_END = "\r\n"


def split_words(line: str) -> tuple[str, ...]:
    """The words (or columns) of one line; ``()`` for a blank line."""
    line = line.rstrip(_LINE_END).strip(SEPARATORS)
    return tuple(_SEPARATOR_RUN.split(line)) if line else ()


def is_writable_word(word: str) -> bool:
    """A word that reads back as itself from a text or CoNLL line."""
    return bool(word) and not any(ch in SEPARATORS or ch in _LINE_END for ch in word)
