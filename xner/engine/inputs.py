"""Streaming sentence pairs from JSONL, Parquet, or a CoNLL file with a translation file.

Every input gets a running index; a record that cannot be read becomes an error string
in its place (recorded by the engine), so one bad line never stops a run. Before a run,
:func:`scan_inputs` reads the files once, streaming: it counts the pairs, checks what
must hold for the whole run (a CoNLL file well-formed and with as many sentences as the
translation file has lines, at least one pair) so that it fails at once rather than
after hours, and records each file's size and SHA-256 so a resumed run can tell that
its input is still the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from xner.errors import ConfigError, InputFormatError, MismatchError, count_mismatch, no_sentences
from xner.io.conll import iter_conll
from xner.io.files import open_text
from xner.io.jsonl import record_to_pair
from xner.io.parallel import line_splitter, sniff_format
from xner.io.words import is_writable_word
from xner.types import Entity, SentencePair

Item = tuple[int, SentencePair | str]


def _jsonl(path: Path) -> Iterator[Item]:
    index = 0
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield index, record_to_pair(json.loads(line))[0]
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                yield index, f"{path.name}, line {number}: unreadable record ({error.__class__.__name__}: {error})"
            index += 1


def _parquet(path: Path, batch_size: int = 4096) -> Iterator[Item]:
    """Columns ``source_words``, ``target_words`` (lists of strings) and ``source_entities``
    (a list of ``{start, end, label}`` structs or of ``[start, end, label]``)."""
    import pyarrow.parquet as pq

    index = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size):
        rows = batch.to_pydict()
        for k in range(batch.num_rows):
            try:
                raw = (rows.get("source_entities") or [[]] * batch.num_rows)[k] or ()
                entities = tuple(Entity(int(v["start"]), int(v["end"]), str(v["label"])) if isinstance(v, dict)
                                 else Entity(int(v[0]), int(v[1]), str(v[2])) for v in raw)
                yield index, SentencePair(_words(rows, "source_words", k), _words(rows, "target_words", k), entities,
                                          id=str(index))
            except (KeyError, TypeError, ValueError) as error:
                yield index, f"{path.name}, row {index}: unreadable ({error})"
            index += 1


def _words(rows: dict, column: str, k: int) -> tuple[str, ...]:
    """Row ``k`` of a word-list column; a string is refused rather than split into characters."""
    words = rows[column][k]
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise TypeError(f"{column!r} must be a list of non-empty strings, not {words!r}"[:200])
    for j, word in enumerate(words):
        if not is_writable_word(word):
            raise ValueError(f"{column!r}[{j}] {word!r} holds a space, tab or line break; give each word separately")
    return tuple(words)


def _conll_and_text(source: Path, target: Path, tokenize: str = "no") -> Iterator[Item]:
    words = line_splitter(target, tokenize)
    with open_text(target) as lines:
        index = 0
        for index, sentence in enumerate(iter_conll(source)):
            line = lines.readline()
            if not line:
                raise MismatchError(f"{target} ends after {index} lines but {source} has more sentences")
            yield index, SentencePair(sentence.words, words(line), sentence.entities, id=str(index))
        if lines.readline():
            raise MismatchError(f"{target} has more lines than {source} has sentences ({index + 1})")


def _text_and_text(source: Path, target: Path, tokenize: str = "no", src_lang: str | None = None) -> Iterator[Item]:
    """An untagged parallel corpus, line by line: pairs without source entities (the engine's
    NER tags them)."""
    source_words, target_words = line_splitter(source, tokenize, lang=src_lang), line_splitter(target, tokenize)
    with open_text(source) as sources, open_text(target) as targets:
        for index, (left, right) in enumerate(zip(sources, targets)):
            yield index, SentencePair(source_words(left), target_words(right), id=str(index))


def is_untagged_text(source: str | Path, target: str | Path | None) -> bool:
    """Whether SOURCE TARGET is an untagged parallel corpus (a text file, not CoNLL, beside its
    translations), whose source side the NER must tag."""
    return target is not None and Path(source).is_file() and sniff_format(source) == "text"


def stream_pairs(source: str | Path, target: str | Path | None = None, tokenize: str = "no",
                 src_lang: str | None = None) -> Iterator[Item]:
    """The pairs of the input; ``tokenize`` says how its text files are read
    (:func:`xner.io.parallel.read_text`), ``src_lang`` is the language of an untagged text source."""
    source = Path(source)
    if target is not None:
        if is_untagged_text(source, target):
            return _text_and_text(source, Path(target), tokenize, src_lang)
        return _conll_and_text(source, Path(target), tokenize)
    if source.suffix == ".jsonl":
        return _jsonl(source)
    if source.suffix == ".parquet":
        return _parquet(source)
    raise _unknown_format(source)


def _unknown_format(source: Path) -> ConfigError:
    return ConfigError(f"{source}: give a .jsonl or .parquet file, or a CoNLL file followed by its translations")


@dataclass(frozen=True)
class InputScan:
    """What a pass over the input found: the number of pairs and each file's identity."""

    total: int
    files: list[dict[str, object]]  # in argument order: {"file": name, "size": bytes, "sha256": hex digest}


def scan_inputs(source: str | Path, target: str | Path | None = None, tokenize: str = "no",
                log=None) -> InputScan:
    """Count the pairs and identify the files, streaming; raises on what would fail the run later.
    ``log`` hears how ``tokenize`` reads each text file."""
    source = Path(source)
    for path in (source, target):
        if path is not None and Path(path).exists() and not Path(path).is_dir() and not Path(path).is_file():
            # a FIFO or <(...) would be drained by this pass and found empty by the run
            raise InputFormatError(path, None, "is a pipe, not a file",
                                   "a batch reads its input twice (to count and fingerprint it for --resume, "
                                   "then to project it): save it to a file first")
    if target is not None and is_untagged_text(source, target):
        target = Path(target)
        counts = []
        for path in (source, target):
            line_splitter(path, tokenize, log)  # an unknown setting fails here; auto says what it decided
            with open_text(path) as handle:
                counts.append(sum(1 for _ in handle))
        if counts[0] != counts[1]:
            raise count_mismatch("parallel files", (str(source), counts[0]), (str(target), counts[1]))
        total = counts[0]
    elif target is not None:
        target = Path(target)
        sentences = sum(1 for _ in iter_conll(source))
        if not sentences:
            raise no_sentences(source)
        with open_text(target) as handle:
            lines = sum(1 for _ in handle)
        if lines != sentences:
            raise count_mismatch("source and translations", (str(source), sentences), (f"{target} (lines)", lines))
        line_splitter(target, tokenize, log)  # an unknown setting fails here; auto says what it decided
        total = sentences
    elif source.suffix == ".parquet":
        total = _parquet_rows(source)
    elif source.suffix == ".jsonl":
        with open_text(source) as handle:
            total = sum(1 for line in handle if line.strip())
    else:
        raise _unknown_format(source)
    if not total:
        raise no_sentences(source)
    files = [source] if target is None else [source, target]
    return InputScan(total, [{"file": path.name, **file_identity(path)} for path in files])


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    file_identity(path)  # a missing file is named like any other input
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except Exception as error:  # noqa: BLE001 - pyarrow raises several kinds for a damaged file
        raise InputFormatError(path, None, f"not a readable Parquet file ({error})") from None


def file_identity(path: Path) -> dict[str, object]:
    """Size and SHA-256 of a file, read in blocks (bounded memory)."""
    if not path.is_file():
        raise InputFormatError(path, None, "no such file" if not path.exists() else "is not a file", "check the path")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def count_inputs(source: str | Path, target: str | Path | None = None) -> int | None:
    """The number of pairs (see :func:`scan_inputs`)."""
    return scan_inputs(source, target).total
