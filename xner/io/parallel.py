"""Plain parallel text: one sentence a line, tokens separated by tabs or ASCII spaces, or
raw text that :func:`xner.text.tokenize` splits into words.

How a text file is read is one setting, ``tokenize`` (:data:`TOKENIZE_MODES`): ``no``
splits each line at spaces (already tokenized text stays exactly as it is), ``yes``
tokenizes each line, and ``auto`` decides per file by :func:`is_raw_text`: a file is
raw when at least a quarter of its first 200 non-blank lines have punctuation attached to
a word ("Mozambique.", "said,"), which tokenized text never has. CoNLL files are always
read as they are.

Also :func:`read_sentences`, which takes either a text file or a CoNLL file (whose tags
may be ignored) and returns word tuples, for commands that accept both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from xner.io.files import atomic_output, open_text
from xner.errors import ConfigError, InputFormatError
from xner.io.conll import parse_conll_lines
from xner.io.tags import parse_tag
from xner.io.words import split_words
from xner.text import looks_raw, tokenize as tokenize_text
from xner.types import Words

CONLL_SUFFIXES = {".conll", ".conllu", ".iob", ".iob2", ".bio", ".bioes", ".tsv"}
TEXT_SUFFIXES = {".txt", ".tok", ".text"}
TOKENIZE_MODES = ("auto", "yes", "no")
SAMPLE_LINES = 200  # what auto looks at
RAW_SHARE = 0.25  # the share of those lines with attached punctuation that makes a file raw
Log = Callable[[str], None]


def is_raw_text(lines: Iterable[str]) -> bool:
    """The ``auto`` rule: at least :data:`RAW_SHARE` of the first :data:`SAMPLE_LINES`
    non-blank lines have punctuation attached to a word (:func:`xner.text.looks_raw`)."""
    sample = []
    for line in lines:
        if words := split_words(line):
            sample.append(words)
            if len(sample) == SAMPLE_LINES:
                break
    return bool(sample) and sum(map(looks_raw, sample)) >= RAW_SHARE * len(sample)


def check_tokenize(mode: str) -> str:
    if mode not in TOKENIZE_MODES:
        from xner.errors import ConfigError

        raise ConfigError("{tokenize} {mode!r}: use auto, yes or no", settings=("tokenize",), mode=mode)
    return mode


def tokenizes(lines: Sequence[str], tokenize: str, where: str | Path = "", log: Log | None = None) -> bool:
    """Whether text ``lines`` are tokenized under the setting ``tokenize`` (``auto``: when they
    are raw, :func:`is_raw_text`); ``log`` hears what ``auto`` decided about ``where``."""
    raw = check_tokenize(tokenize) == "yes" or (tokenize == "auto" and is_raw_text(lines))
    if tokenize == "auto" and log is not None:
        log(f"note: {where} read as raw text and tokenized (--tokenize no keeps its words as they are)" if raw
            else f"note: {where} read as tokenized text, words split at spaces (--tokenize yes tokenizes it)")
    return raw


def line_splitter(path: str | Path, tokenize: str = "no", log: Log | None = None,
                  lang: str | None = None) -> Callable[[str], Words]:
    """How each line of the text file ``path`` becomes words under the setting ``tokenize``
    (for reading it line by line, streaming: ``auto`` reads only its first lines to decide);
    ``lang``: the file's language, whose clitics a tokenized line splits off (:func:`xner.text.tokenize`)."""
    if check_tokenize(tokenize) == "auto":
        with open_text(path) as handle:
            head = [line for _, line in zip(range(4 * SAMPLE_LINES), handle)]
        raw = tokenizes(head, tokenize, path, log)
    else:
        raw = tokenize == "yes"
    return partial(tokenize_text, lang=lang) if raw else split_words


def read_text(path: str | Path, tokenize: str = "no", log: Log | None = None, lang: str | None = None) -> list[Words]:
    """Read one sentence per line; an empty line is an empty sentence (kept for alignment).
    ``tokenize``: ``no`` (split at spaces), ``yes`` or ``auto`` (see the module); ``log`` hears
    what ``auto`` decided."""
    path = Path(path)
    check_tokenize(tokenize)
    with open_text(path) as handle:
        lines = handle.readlines()
    return split_text_lines(path, lines, tokenize, log, lang)


def split_text_lines(path: str | Path, lines: Sequence[str], tokenize: str = "no", log: Log | None = None,
                     lang: str | None = None) -> list[Words]:
    """The words of each line of text file ``path``, already read, under the setting ``tokenize``
    (in language ``lang``, see :func:`line_splitter`)."""
    split = partial(tokenize_text, lang=lang) if tokenizes(lines, tokenize, path, log) else split_words
    return [split(line) for line in lines]


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


def read_sentences(path: str | Path, fmt: str = "auto", tokenize: str = "no", log: Log | None = None,
                   lang: str | None = None) -> list[Words]:
    """Words of every sentence in a text or CoNLL file (CoNLL tags are ignored); ``tokenize``
    and ``log`` apply to a text file (:func:`read_text`).

    The file is read once, its format told from the lines read: a pipe (``<(cat de.txt)``,
    a FIFO) cannot be opened a second time.
    """
    path = Path(path)
    if fmt not in ("auto", "conll", "text"):
        raise ConfigError(f"unknown input format {fmt!r}: use auto, conll or text")
    check_tokenize(tokenize)
    with open_text(path) as handle:
        lines = list(handle)
    fmt = sniff_format(path, lines) if fmt == "auto" else fmt
    if fmt == "conll":
        return [s.words for s, _ in parse_conll_lines(path, lines, require_tags=False)]
    return split_text_lines(path, lines, tokenize, log, lang)


__all__ = ["TOKENIZE_MODES", "InputFormatError", "is_raw_text", "read_sentences", "read_text", "sniff_format",
           "write_text"]
