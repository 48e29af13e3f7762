"""Background imports: align and project a dataset in a thread, resumable after a crash.

The dataset's name and its job are taken in one transaction and its pairs written
(unprojected, in chunks) before any work starts, so a name in use is refused at once.
The thread then projects ``chunk`` pairs at a time and saves them together with the
job's progress, in one transaction, under the job's lease (:mod:`xner.store.imports`):
a server killed at any point leaves a job the store reports as ``interrupted``, which
:func:`resume_import` continues from the first unsaved pair (one runner at a time) or
:func:`discard_import` drops. Reviewers never wait: every write is one short transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from xner.errors import ConfigError
from xner.store import imports
from xner.store.store import Store
from xner.types import SentencePair


def start_import(store: Store, name: str, pairs: Sequence[SentencePair], aligner, projector, *,
                 settings: dict[str, Any] | None = None, src_lang: str = "", tgt_lang: str = "",
                 chunk: int = 50) -> tuple[int, threading.Thread]:
    """Reserve the dataset and its job, write its pairs, and project them in a background thread.

    ``settings`` (e.g. the projection method and target language) are kept with the job
    so that it can be resumed with the same projector. Returns the job id and the thread.
    """
    if not pairs:
        raise ConfigError("there is nothing to import: no sentence pairs")
    dataset, job, lease = imports.reserve_import(store, name, src_lang, tgt_lang, total=len(pairs),
                                                 settings={**(settings or {}), "project": True})
    try:
        store.add_items(dataset, ((pair, None) for pair in pairs))
    except Exception:
        imports.drop_import(store, job)  # the user sees the error with the form still filled in
        raise
    return job, _run(store, job, lease, aligner, projector, chunk)


def resume_import(store: Store, job_id: int, aligner, projector, chunk: int = 50) -> threading.Thread:
    """Continue an interrupted import in this process, from its first unsaved pair.

    Refused when another runner has it (a second Resume click, another server) or when its
    pairs were not all saved before it stopped (then only Discard helps).
    """
    job = next((j for j in imports.import_jobs(store) if j["id"] == job_id), None)
    if job is None:
        raise ConfigError(f"import job {job_id} does not exist")
    if job["status"] in ("interrupted", "failed") and not job["resumable"]:
        raise ConfigError(f"import {job['name']!r} cannot be resumed: {job['why']}")
    lease = imports.claim(store, job_id)
    return _run(store, job_id, lease, aligner, projector, chunk)


def discard_import(store: Store, job_id: int) -> None:
    """Drop an interrupted or failed import and the partial dataset it was writing."""
    imports.discard(store, job_id)


def _run(store: Store, job_id: int, lease: str, aligner, projector, chunk: int) -> threading.Thread:
    from xner.corpus import project_pairs

    def work() -> None:
        try:
            job = store.job(job_id)
            dataset, done = job["dataset_id"], job["done"]
            while job["settings"].get("project") and done < job["total"]:
                items = store.pending_items(dataset, done, chunk)
                if not items:
                    raise ConfigError(f"the dataset of import {job['name']!r} lost its items at pair {done + 1}")
                results = project_pairs([pair for _, pair in items], projector, aligner)
                imports.save_projections(store, job_id, lease, [(item_id, pair, projection) for (item_id, _), (
                    pair, projection) in zip(items, results)])
                done += len(items)
            imports.finish_import(store, job_id, lease)
        except imports.LeaseLost:
            pass  # another runner took the job over: it carries on, this one stops
        except Exception as error:  # noqa: BLE001 - shown on the page, the inputs stay in the form
            imports.fail_import(store, job_id, lease, f"{type(error).__name__}: {error}")

    thread = threading.Thread(target=work, name=f"xner-import-{job_id}", daemon=True)
    thread.start()
    return thread


def job_progress_text(job: dict, now=None) -> str:
    """``name: done/total pairs · status`` plus rate and ETA while it runs."""
    from datetime import datetime, timezone

    total = job["total"] if job["total"] >= 0 else "?"  # an import killed before it knew its size
    text = f"{job['name']}: {job['done']}/{total} pairs · {job['status']}"
    started = job.get("created_at")
    if job["status"] != "running" or started is None or not job["done"]:
        return text
    if started.tzinfo is None:  # SQLite hands back naive UTC times
        started = started.replace(tzinfo=timezone.utc)
    elapsed = ((now or datetime.now(timezone.utc)) - started).total_seconds()
    rate = job["done"] / max(elapsed, 1e-6)
    eta = (job["total"] - job["done"]) / rate if rate > 0 else float("inf")
    return f"{text} · {rate:.1f} pairs/s · ETA {eta:.0f} s"
