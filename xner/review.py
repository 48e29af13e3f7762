"""Review helpers the app's pages call: importing data into the store, a reviewer's
view of an item, applying a candidate or an edit, and exporting reviewed data."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from xner.errors import XnerError
from xner.io.conll import format_conll, read_conll
from xner.io.jsonl import pair_to_record, read_jsonl
from xner.io.parallel import read_text
from xner.store.store import Store
from xner.types import Entity, ProjectionResult, SentencePair


def _saved(upload_bytes: bytes, name: str, folder: Path) -> Path:
    path = folder / Path(name).name
    path.write_bytes(upload_bytes)
    return path


def import_jsonl(store: Store, name: str, data: bytes, filename: str = "upload.jsonl") -> int:
    with tempfile.TemporaryDirectory() as tmp:
        records = read_jsonl(_saved(data, filename, Path(tmp)))
    return store.create_dataset(name, records)


def read_parallel_upload(source_conll: bytes, translations: bytes, source_name: str = "source.conll",
                         translation_name: str = "translations.txt") -> list[SentencePair]:
    """Validated sentence pairs from an uploaded labelled CoNLL file and its translations."""
    from xner.errors import count_mismatch

    with tempfile.TemporaryDirectory() as tmp:
        source = read_conll(_saved(source_conll, source_name, Path(tmp)))
        targets = read_text(_saved(translations, translation_name, Path(tmp)))
    if len(source) != len(targets):
        raise count_mismatch("source and translations", (source_name, len(source)), (translation_name, len(targets)))
    empty = [k + 1 for k, t in enumerate(targets) if not t]
    if empty:
        raise XnerError(f"{translation_name}, line {empty[0]}: empty translation ({len(empty)} such lines)")
    return [SentencePair(s.words, t, s.entities, id=str(k)) for k, (s, t) in enumerate(zip(source, targets))]


def import_parallel(store: Store, name: str, source_conll: bytes, translations: bytes, aligner, projector,
                    src_lang: str = "en", tgt_lang: str = "", source_name: str = "source.conll",
                    translation_name: str = "translations.txt") -> int:
    """Labelled source CoNLL + its translations (one a line) → projected items in a new dataset."""
    pairs = read_parallel_upload(source_conll, translations, source_name, translation_name)
    return import_pairs(store, name, pairs, aligner, projector, src_lang, tgt_lang)


def import_pairs(store: Store, name: str, pairs: list[SentencePair], aligner, projector, src_lang: str = "",
                 tgt_lang: str = "") -> int:
    """Align and project sentence pairs into a new dataset (in the caller's thread)."""
    from xner.corpus import project_pairs

    return store.create_dataset(name, project_pairs(pairs, projector, aligner), src_lang, tgt_lang)


def start_import_job(store: Store, name: str, pairs: list[SentencePair], aligner, projector,
                     chunk: int = 200) -> tuple[int, threading.Thread]:
    """Project ``pairs`` in a background thread, recording progress in the store (so it
    survives a page reload), then create the dataset. Returns the job id and the thread."""
    from xner.corpus import project_pairs

    if not name.strip():
        raise XnerError("a dataset needs a name")
    job = store.create_job(name, len(pairs))

    def work() -> None:
        try:
            results = []
            for start in range(0, len(pairs), chunk):
                results += project_pairs(pairs[start : start + chunk], projector, aligner)
                store.update_job(job, done=len(results))
            dataset = store.create_dataset(name, results)
            store.update_job(job, status="done", dataset_id=dataset)
        except Exception as error:  # noqa: BLE001 - shown on the page, the inputs stay in the form
            store.update_job(job, status="failed", message=str(error)[:1900])

    thread = threading.Thread(target=work, name=f"xner-import-{job}", daemon=True)
    thread.start()
    return job, thread


def with_candidate(projection: ProjectionResult, entity_index: int, rank: int, label: str,
                   current: Sequence[Entity]) -> tuple[Entity, ...]:
    """Replace whatever was projected for one source entity by its ``rank``-th candidate (1-based).

    ``label`` is used unless the candidate is the span already projected, which keeps its
    label (a derived form projected as MISC stays MISC).
    """
    candidates = projection.candidates_for(entity_index)
    if not 1 <= rank <= len(candidates):
        raise XnerError(f"candidate {rank} does not exist: this entity has {len(candidates)}")
    chosen = candidates[rank - 1].span
    if candidates[rank - 1].chosen:
        label = next((e.label for e in projection.entities if e.span == chosen), label)
    kept = [e for e in current if not (e.start < chosen.end and chosen.start < e.end)]
    own = next((c.span for c in candidates if c.chosen), None)
    if own is not None:
        kept = [e for e in kept if (e.start, e.end) != (own.start, own.end)]
    return tuple(sorted(kept + [Entity(chosen.start, chosen.end, label)]))


def export_bytes(store: Store, dataset_id: int, annotator: str, fmt: str, accepted_only: bool) -> bytes:
    rows = store.export(dataset_id, annotator, accepted_only)
    if fmt == "conll":
        return format_conll((pair.target_words, entities) for pair, entities in rows if pair.target_words).encode()
    if fmt == "jsonl":
        import json

        lines = []
        for pair, entities in rows:
            record = pair_to_record(pair)
            record["target_entities"] = [[e.start, e.end, e.label] for e in entities]
            lines.append(json.dumps(record, ensure_ascii=False))
        return ("\n".join(lines) + "\n").encode()
    if fmt == "docbin":
        from spacy.tokens import Doc, DocBin, Span
        from spacy.vocab import Vocab

        vocab, docbin = Vocab(), DocBin()
        for pair, entities in rows:
            if pair.target_words:
                doc = Doc(vocab, words=list(pair.target_words))
                doc.ents = [Span(doc, e.start, e.end, label=e.label) for e in entities]
                docbin.add(doc)
        return docbin.to_bytes()
    raise XnerError(f"unknown export format {fmt!r}: conll, jsonl or docbin")



def job_progress_text(job: dict, now=None) -> str:
    """``name: done/total pairs · status`` plus rate and ETA while it runs."""
    from datetime import datetime, timezone

    text = f"{job['name']}: {job['done']}/{job['total']} pairs · {job['status']}"
    started = job.get("created_at")
    if job["status"] != "running" or started is None or not job["done"]:
        return text
    if started.tzinfo is None:  # SQLite hands back naive UTC times
        started = started.replace(tzinfo=timezone.utc)
    elapsed = ((now or datetime.now(timezone.utc)) - started).total_seconds()
    rate = job["done"] / max(elapsed, 1e-6)
    eta = (job["total"] - job["done"]) / rate if rate > 0 else float("inf")
    return f"{text} · {rate:.1f} pairs/s · ETA {eta:.0f} s"
