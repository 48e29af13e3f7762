"""CoNLL files: one ``token tag`` line per word, blank lines between sentences.

Columns are separated by tabs or runs of ASCII spaces (other spaces, such as a no-break
space, belong to the token); the first column is the token and the last the tag (so
CoNLL-2003's four-column files read as they are). ``-DOCSTART-`` lines (alone in their sentence), a UTF-8 BOM,
CRLF line ends and trailing whitespace are accepted. Tags in IOB1, IOB2 or BIOES are
decoded to entities; files are always written as IOB2.

Comment lines ``# key = value`` before a sentence's first word (as CoNLL-U writes them)
are metadata: ``# id = ...`` becomes :attr:`Sentence.id`, other keys are skipped. A
line of a token ``#`` and its tag is a word, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from xner.io.files import atomic_output, open_text
from xner.errors import InputFormatError, OutputFormatError
from xner.io.tags import entities_to_tags, parse_tag, tags_to_entities
from xner.io.words import is_writable_word, split_words
from xner.types import Entity, Sentence

DOCSTART = "-DOCSTART-"
# "# id = 17": a comment line with a key, before a sentence's words
COMMENT = re.compile(r"^#\s*([A-Za-z][\w.-]*)\s*=\s*(.*?)\s*$")


def iter_conll(path: str | Path, *, require_tags: bool = True) -> Iterator[Sentence]:
    """Yield the sentences of a CoNLL file.

    With ``require_tags=False`` a line holding only a token is read as an ``O`` word
    (for target files whose tags are ignored).
    """
    for sentence, _ in iter_conll_lines(path, require_tags=require_tags):
        yield sentence


def iter_conll_lines(path: str | Path, *, require_tags: bool = True) -> Iterator[tuple[Sentence, tuple[int, ...]]]:
    """Like :func:`iter_conll`, with the (1-based) line number of each word."""
    with open_text(path) as handle:
        yield from parse_conll_lines(path, handle, require_tags=require_tags)


def parse_conll_lines(path: str | Path, lines: Iterable[str], *,
                      require_tags: bool = True) -> Iterator[tuple[Sentence, tuple[int, ...]]]:
    """:func:`iter_conll_lines` over lines already read from ``path`` (which errors name)."""
    words: list[str] = []
    tags: list[str] = []
    numbers: list[int] = []
    meta: dict[str, str] = {}

    def flush() -> Iterator[tuple[Sentence, tuple[int, ...]]]:
        if words:
            yield Sentence(tuple(words), tuple(tags_to_entities(tags)), meta.get("id")), tuple(numbers)
            words.clear()
            tags.clear()
            numbers.clear()
        meta.clear()

    def take(number: int, columns: tuple[str, ...]) -> None:
        if len(columns) == 1:
            if require_tags:
                raise InputFormatError(
                    path, number, f"{columns[0]!r} has a token but no tag",
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
        numbers.append(number)

    # A -DOCSTART- line is a document marker when it stands alone between blank lines (as in
    # CoNLL-2003) or before another marker; a sentence that goes on after it holds it as a word.
    # "# key = value" lines before a sentence's first word are its comments (``# id = ...``).
    marker: tuple[int, tuple[str, ...]] | None = None
    for number, raw in enumerate(lines, start=1):
        comment = COMMENT.match(raw.strip()) if not words and marker is None and raw.startswith("#") else None
        if comment:
            meta[comment.group(1)] = comment.group(2)
            continue
        columns = split_words(raw)
        if marker is not None and columns and columns[0] != DOCSTART:
            take(*marker)
        marker = None
        if not columns:
            yield from flush()
        elif columns[0] == DOCSTART and not words:
            marker = (number, columns)
        else:
            take(number, columns)
    yield from flush()


def read_conll(path: str | Path, *, require_tags: bool = True) -> list[Sentence]:
    """Read a whole CoNLL file; see :func:`iter_conll`."""
    return list(iter_conll(path, require_tags=require_tags))


def format_conll(sentences: Iterable[tuple[Iterable[str], Iterable[Entity]] | Sentence],
                 comments: Sequence[Mapping[str, str]] | None = None) -> str:
    """Render sentences as IOB2 CoNLL text (tab-separated, blank line after each).

    ``comments``: per sentence, ``# key = value`` lines written before its words (a
    Sentence's own ``id`` is written as ``# id = ...`` when no comments are given).

    >>> format_conll([(["Paris"], [Entity(0, 1, "LOC")])], [{"id": "7", "status": "accepted"}])
    '# id = 7\\n# status = accepted\\nParis\\tB-LOC\\n\\n'
    """
    blocks = []
    for number, sentence in enumerate(sentences, start=1):
        words, entities = (
            (sentence.words, sentence.entities) if isinstance(sentence, Sentence) else sentence
        )
        words = list(words)
        if not words or not all(is_writable_word(w) for w in words):
            raise OutputFormatError(f"sentence {number}: cannot write {words!r} as CoNLL: every sentence needs "
                                    "words without tabs or spaces")
        if words == [DOCSTART]:
            raise OutputFormatError(f"sentence {number} is the single word {DOCSTART}, which every CoNLL reader "
                                    "takes for a document marker: write JSONL instead, or remove that line")
        tags = entities_to_tags(len(words), entities)
        meta = dict(comments[number - 1]) if comments is not None else (
            {"id": sentence.id} if isinstance(sentence, Sentence) and sentence.id is not None else {})
        head = "".join(f"# {key} = {' '.join(str(value).split())}\n" for key, value in meta.items())
        blocks.append(head + "".join(f"{w}\t{t}\n" for w, t in zip(words, tags)) + "\n")
    return "".join(blocks)


def write_conll(path: str | Path, sentences: Iterable[tuple[Iterable[str], Iterable[Entity]] | Sentence]) -> None:
    """Write sentences to ``path`` as IOB2 CoNLL (atomically: all or nothing); a sentence CoNLL
    cannot hold is an error naming ``path``, and nothing is written."""
    try:
        text = format_conll(sentences)
    except OutputFormatError as error:
        raise OutputFormatError(f"{path}: {error}") from None
    with atomic_output(path) as handle:
        handle.write(text)
