"""Turning words into text for a translator and a translator's text back into words.

>>> detokenize(["Merkel", "visited", "Paris", ",", "France", "(", "EU", ")", "."])
'Merkel visited Paris, France (EU).'
>>> tokenize("Merkel visitó París, Francia (UE).")
('Merkel', 'visitó', 'París', ',', 'Francia', '(', 'UE', ')', '.')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import regex

_NO_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}»”’]|'s\b|n't\b)")
_NO_SPACE_AFTER = re.compile(r"([(\[{«“‘¿¡]) ")
# words (letters with their combining marks, digits; inner apostrophes, hyphens and dots
# of abbreviations), or any single other non-space character
_WORD = r"[\p{L}\p{M}\p{N}_]"
_TOKEN = regex.compile(rf"{_WORD}+(?:[-'’.]{_WORD}+)*|[^\p{{L}}\p{{M}}\p{{N}}_\s]")


def detokenize(words: Sequence[str]) -> str:
    text = " ".join(words)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    return _NO_SPACE_AFTER.sub(r"\1", text)


def tokenize(text: str) -> tuple[str, ...]:
    """Split text into words and punctuation marks (Unicode-aware, any script with spaces)."""
    return tuple(_TOKEN.findall(text))
