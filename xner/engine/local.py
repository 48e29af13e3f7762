"""Batch projection of a whole corpus: streamed in shards, resumable, deterministic.

Input pairs are read lazily and cut into consecutive shards of ``shard_size`` pairs
(shard ``k`` holds inputs ``[k·S, (k+1)·S)``). Each shard is aligned in one batch,
projected, and written to ``shards/shard-NNNNN.jsonl`` through a temporary file and an
atomic rename; pairs that fail go to ``shard-NNNNN.errors.jsonl`` with the reason.
``manifest.json`` (rewritten atomically) lists the finished shards with their line
counts and checksums. After an interruption (Ctrl-C, kill -9, a crash) ``resume``
skips every shard the manifest vouches for, so nothing is redone, lost or duplicated.
The same input and settings give byte-identical output.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from xner.errors import ConfigError, XnerError
from xner.io.jsonl import pair_to_record
from xner.types import SentencePair

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class EngineSettings:
    """What determines the output; a resumed run must use the same settings."""

    method: str = "ngram"
    aligner: str = "embedding"
    aligner_model: str | None = None
    layer: int | None = None
    shard_size: int = 1000
    tgt_lang: str | None = None  # the target words' language: its function words are trimmed off spans
    src_lang: str = "en"

    def key(self) -> dict:
        return {"method": self.method, "aligner": self.aligner, "aligner_model": self.aligner_model,
                "layer": self.layer, "shard_size": self.shard_size, "tgt_lang": self.tgt_lang,
                "src_lang": self.src_lang}


class ShardWorker:
    """Loads the aligner and projector once, then processes shard after shard."""

    def __init__(self, settings: EngineSettings) -> None:
        from xner.alignment.base import aligner_from_options
        from xner.projection.base import build_projector

        self.aligner = aligner_from_options(settings.aligner, settings.aligner_model, settings.layer)
        self.projector = build_projector(settings.method, trim_stop_words=settings.tgt_lang,
                                         src_lang=settings.src_lang)

    def process(self, items: Sequence[tuple[int, SentencePair | str]]) -> tuple[list[str], list[str]]:
        """JSONL lines for the results and for the failures of one shard, in input order."""
        good = [(i, p) for i, p in items if isinstance(p, SentencePair)]
        failures = {i: p for i, p in items if isinstance(p, str)}
        usable = [(i, p) for i, p in good if p.source_words and p.target_words]
        for i, p in good:
            if not (p.source_words and p.target_words):
                failures[i] = "empty source or target sentence"
        alignments = self.aligner.align([(p.source_words, p.target_words) for _, p in usable]) if usable else []
        results: dict[int, str] = {}
        for (i, pair), alignment in zip(usable, alignments):
            try:
                pair = pair.with_alignment(alignment)
                record = pair_to_record(pair, self.projector.project(pair))
                record["index"] = i
                results[i] = json.dumps(record, ensure_ascii=False, sort_keys=True)
            except Exception as error:  # noqa: BLE001 - one bad pair never stops the run
                failures[i] = f"projection failed: {error}"
        lines = [results[i] for i, _ in items if i in results]
        errors = [json.dumps({"index": i, "error": failures[i]}, ensure_ascii=False, sort_keys=True)
                  for i, _ in items if i in failures]
        return lines, errors


def shards(pairs: Iterable[tuple[int, SentencePair | str]], size: int) -> Iterator[list]:
    iterator = iter(pairs)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Manifest:
    def __init__(self, directory: Path, settings: EngineSettings, resume: bool) -> None:
        self.path = directory / MANIFEST
        self.directory = directory
        if self.path.exists():
            data = json.loads(self.path.read_text())
            if not resume:
                raise ConfigError(f"{directory} holds an earlier run; add --resume to continue it or choose an "
                                  "empty output directory")
            if data.get("settings") != settings.key():
                raise ConfigError(f"{self.path}: the earlier run used other settings ({data.get('settings')}); "
                                  "resume with the same settings or use a new output directory")
            self.data = data
        else:
            self.data = {"settings": settings.key(), "shards": {}, "complete": False}

    def done(self, shard: int) -> bool:
        entry = self.data["shards"].get(str(shard))
        if entry is None:
            return False
        out = self.directory / "shards" / entry["file"]
        return out.exists() and _digest(out) == entry["sha256"]

    def record(self, shard: int, file: Path, lines: int, errors: int) -> None:
        self.data["shards"][str(shard)] = {"file": file.name, "lines": lines, "errors": errors, "sha256": _digest(file)}
        _write_atomic(self.path, json.dumps(self.data, indent=1, sort_keys=True))

    def finish(self, total: int) -> None:
        self.data["complete"] = True
        self.data["inputs"] = total
        _write_atomic(self.path, json.dumps(self.data, indent=1, sort_keys=True))


@dataclass(frozen=True)
class RunSummary:
    inputs: int
    results: int
    errors: int
    shards_done: int
    shards_skipped: int
    seconds: float
    output: Path


def run_local(pairs: Iterable[tuple[int, SentencePair | str]], output_dir: str | Path, settings: EngineSettings,
              resume: bool = False, total: int | None = None, progress: bool = True,
              worker_factory: Callable[[EngineSettings], ShardWorker] = ShardWorker,
              process_shards: Callable | None = None) -> RunSummary:
    """Process every shard not yet done, then join the shards into ``output.jsonl``.

    ``process_shards`` (used by the Ray engine) maps an iterator of shards to an iterator
    of ``(lines, errors)`` in the same order; by default one local worker does it.
    """
    if settings.shard_size < 1:
        raise ConfigError(f"shard size must be >= 1, got {settings.shard_size}")
    directory = Path(output_dir)
    (directory / "shards").mkdir(parents=True, exist_ok=True)
    manifest = Manifest(directory, settings, resume)
    start = time.perf_counter()
    bar = _progress_bar(total, progress)
    skipped = 0
    inputs = 0

    def pending() -> Iterator[tuple[int, list]]:
        nonlocal skipped, inputs
        for number, chunk in enumerate(shards(pairs, settings.shard_size)):
            inputs += len(chunk)
            if manifest.done(number):
                skipped += 1
                bar.update(len(chunk))
                continue
            yield number, chunk

    if process_shards is None:
        worker = worker_factory(settings)
        outputs = ((number, worker.process(chunk)) for number, chunk in pending())
    else:
        outputs = process_shards(pending())
    done = 0
    for number, (lines, errors) in outputs:
        out = directory / "shards" / f"shard-{number:05d}.jsonl"
        _write_atomic(directory / "shards" / f"shard-{number:05d}.errors.jsonl", "".join(e + "\n" for e in errors))
        _write_atomic(out, "".join(line + "\n" for line in lines))
        manifest.record(number, out, len(lines), len(errors))
        done += 1
        bar.update(len(lines) + len(errors))
    bar.close()
    results = errors = 0
    files = []
    for number in range(len(manifest.data["shards"])):
        entry = manifest.data["shards"].get(str(number))
        if entry is None:
            raise XnerError(f"shard {number} is missing from {manifest.path}; rerun with --resume")
        files.append(directory / "shards" / entry["file"])
        results += entry["lines"]
        errors += entry["errors"]
    # joined by streaming copies: memory stays bounded by one buffer, not the corpus
    _concatenate(files, directory / "output.jsonl")
    _concatenate([f.with_name(f.name.replace(".jsonl", ".errors.jsonl")) for f in files], directory / "errors.jsonl")
    manifest.finish(inputs)
    return RunSummary(inputs, results, errors, done, skipped, time.perf_counter() - start, directory / "output.jsonl")


def _concatenate(parts: Sequence[Path], target: Path) -> None:
    temporary = target.with_name(target.name + ".tmp")
    with temporary.open("wb") as out:
        for part in parts:
            with part.open("rb") as handle:
                shutil.copyfileobj(handle, out)
    os.replace(temporary, target)


def _progress_bar(total: int | None, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="pair", disable=not enabled, file=sys.stderr, smoothing=0.1)
