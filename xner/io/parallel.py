"""Plain parallel text: one sentence a line, tokens separated by tabs or ASCII spaces.

Also :func:`read_sentences`, which takes either a text file or a CoNLL file (whose tags
may be ignored) and returns word tuples, for commands that accept both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from xner.io.files import atomic_output, open_text
from xner.errors import ConfigError, InputFormatError
from xner.io.conll import parse_conll_lines
from xner.io.tags import parse_tag
from xner.io.words import split_words
from xner.types import Words

CONLL_SUFFIXES = {".conll", ".conllu", ".iob", ".iob2", ".bio", ".bioes", ".tsv"}
TEXT_SUFFIXES = {".txt", ".tok", ".text"}


def read_text(path: str | Path) -> list[Words]:
    """Read one sentence per line; an empty line is an empty sentence (kept for alignment)."""
    path = Path(path)
    with open_text(path) as handle:
        return [split_words(line) for line in handle]


def write_text(path: str | Path, sentences: Iterable[Sequence[str]]) -> None:
    text = "".join(" ".join(words) + "\n" for words in sentences)
    with atomic_output(path) as handle:
        handle.write(text)


def sniff_format(path: str | Path, lines: Sequence[str] | None = None) -> str:
    """Guess ``conll`` or ``text`` from the suffix, else from the first lines (``lines``:
    the file's lines when they have been read already)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CONLL_SUFFIXES:
        return "conll"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if lines is None:
        with open_text(path) as handle:
            lines = [line for _, line in zip(range(200), handle)]
    head = [split_words(line) for line in lines[:200]]
    nonblank = [cols for cols in head if cols]
    if not nonblank:
        return "text"
    if nonblank[0][0] == "-DOCSTART-":
        return "conll"

    def looks_tagged(cols: tuple[str, ...]) -> bool:
        try:
            parse_tag(cols[-1])
        except ValueError:
            return False
        return 2 <= len(cols) <= 10

    has_blank = len(nonblank) < len(head)
    return "conll" if has_blank and all(looks_tagged(c) for c in nonblank) else "text"


def read_sentences(path: str | Path, fmt: str = "auto") -> list[Words]:
    """Words of every sentence in a text or CoNLL file (CoNLL tags are ignored).

    The file is read once, its format told from the lines read: a pipe (``<(cat de.txt)``,
    a FIFO) cannot be opened a second time.
    """
    path = Path(path)
    if fmt not in ("auto", "conll", "text"):
        raise ConfigError(f"unknown input format {fmt!r}: use auto, conll or text")
    with open_text(path) as handle:
        lines = list(handle)
    fmt = sniff_format(path, lines) if fmt == "auto" else fmt
    if fmt == "conll":
        return [s.words for s, _ in parse_conll_lines(path, lines, require_tags=False)]
    return [split_words(line) for line in lines]


__all__ = ["InputFormatError", "read_sentences", "read_text", "sniff_format", "write_text"]
