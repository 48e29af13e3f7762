"""CoNLL files: one ``token tag`` line per word, blank lines between sentences.

Columns may be separated by tabs or spaces; the first column is the token and the last
the tag (so CoNLL-2003's four-column files read as they are). ``-DOCSTART-`` lines,
CRLF line ends and trailing whitespace are accepted. Tags in IOB1, IOB2 or BIOES are
decoded to entities; files are always written as IOB2.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from xner.io.files import open_text
from xner.errors import InputFormatError
from xner.io.tags import entities_to_tags, parse_tag, tags_to_entities
from xner.types import Entity, Sentence

DOCSTART = "-DOCSTART-"


def iter_conll(path: str | Path, *, require_tags: bool = True) -> Iterator[Sentence]:
    """Yield the sentences of a CoNLL file.

    With ``require_tags=False`` a line holding only a token is read as an ``O`` word
    (for target files whose tags are ignored).
    """
    path = Path(path)
    words: list[str] = []
    tags: list[str] = []

    def flush() -> Iterator[Sentence]:
        if words:
            yield Sentence(tuple(words), tuple(tags_to_entities(tags)))
            words.clear()
            tags.clear()

    with open_text(path) as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n").strip()
            if not line:
                yield from flush()
                continue
            columns = line.split()
            if columns[0] == DOCSTART:
                yield from flush()
                continue
            if len(columns) == 1:
                if require_tags:
                    raise InputFormatError(
                        path, number, f"{line!r} has a token but no tag",
                        "each line needs 'token<TAB>tag'; separate sentences with an empty line",
                    )
                tag = "O"
            else:
                tag = columns[-1]
            try:
                parse_tag(tag)
            except ValueError as error:
                if require_tags:
                    raise InputFormatError(path, number, str(error)) from None
                tag = "O"
            words.append(columns[0])
            tags.append(tag)
        yield from flush()


def read_conll(path: str | Path, *, require_tags: bool = True) -> list[Sentence]:
    """Read a whole CoNLL file; see :func:`iter_conll`."""
    return list(iter_conll(path, require_tags=require_tags))


def format_conll(sentences: Iterable[tuple[Iterable[str], Iterable[Entity]] | Sentence]) -> str:
    """Render sentences as IOB2 CoNLL text (tab-separated, blank line after each)."""
    blocks = []
    for sentence in sentences:
        words, entities = (
            (sentence.words, sentence.entities) if isinstance(sentence, Sentence) else sentence
        )
        words = list(words)
        if not words or any(not w or any(ch.isspace() for ch in w) for w in words):
            raise ValueError(f"cannot write {words!r} as CoNLL: every sentence needs words without spaces")
        tags = entities_to_tags(len(words), entities)
        blocks.append("".join(f"{w}\t{t}\n" for w, t in zip(words, tags)) + "\n")
    return "".join(blocks)


def write_conll(path: str | Path, sentences: Iterable[tuple[Iterable[str], Iterable[Entity]] | Sentence]) -> None:
    """Write sentences to ``path`` as IOB2 CoNLL."""
    Path(path).write_text(format_conll(sentences), encoding="utf-8")
