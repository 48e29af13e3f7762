"""Streaming sentence pairs from JSONL, Parquet, or a CoNLL file with a translation file.

Every input gets a running index; a record that cannot be read becomes an error string
in its place (recorded by the engine), so one bad line never stops a run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from xner.errors import ConfigError, MismatchError
from xner.io.conll import iter_conll
from xner.io.files import open_text
from xner.io.jsonl import record_to_pair
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
                yield index, SentencePair(tuple(rows["source_words"][k]), tuple(rows["target_words"][k]), entities,
                                          id=str(index))
            except (KeyError, TypeError, ValueError) as error:
                yield index, f"{path.name}, row {index}: unreadable ({error})"
            index += 1


def _conll_and_text(source: Path, target: Path) -> Iterator[Item]:
    with open_text(target) as lines:
        index = 0
        for index, sentence in enumerate(iter_conll(source)):
            line = lines.readline()
            if not line:
                raise MismatchError(f"{target} ends after {index} lines but {source} has more sentences")
            yield index, SentencePair(sentence.words, tuple(line.split()), sentence.entities, id=str(index))
        if lines.readline():
            raise MismatchError(f"{target} has more lines than {source} has sentences ({index + 1})")


def stream_pairs(source: str | Path, target: str | Path | None = None) -> Iterator[Item]:
    source = Path(source)
    if target is not None:
        return _conll_and_text(source, Path(target))
    if source.suffix == ".jsonl":
        return _jsonl(source)
    if source.suffix == ".parquet":
        return _parquet(source)
    raise ConfigError(f"{source}: give a .jsonl or .parquet file, or a CoNLL file followed by its translations")


def count_inputs(source: str | Path, target: str | Path | None = None) -> int | None:
    """The number of pairs, when it is cheap to know (for the progress bar's ETA)."""
    path = Path(target if target is not None else source)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip() or target is not None)
