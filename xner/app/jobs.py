"""Background imports: align and project a dataset in a thread, resumable after a crash.

The dataset's name is taken and its pairs written (unprojected, in chunks) before any
work starts, so a name in use is refused at once. The thread then projects ``chunk``
pairs at a time and saves them together with the job's progress, in one transaction:
a server killed mid-import leaves a job the store reports as ``interrupted``, which
:func:`resume_import` continues from the first unsaved pair (or :func:`discard_import`
drops). Reviewers never wait: every write is one short transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from xner.errors import ConfigError
from xner.store.store import Store
from xner.types import SentencePair


def start_import(store: Store, name: str, pairs: Sequence[SentencePair], aligner, projector, *,
                 settings: dict[str, Any] | None = None, src_lang: str = "", tgt_lang: str = "",
                 chunk: int = 50) -> tuple[int, threading.Thread]:
    """Reserve the dataset, write its pairs, and project them in a background thread.

    ``settings`` (e.g. the projection method and target language) are kept with the job
    so that it can be resumed with the same projector. Returns the job id and the thread.
    """
    if not pairs:
        raise ConfigError("there is nothing to import: no sentence pairs")
    dataset = store.reserve_dataset(name, src_lang, tgt_lang)
    try:
        store.add_items(dataset, ((pair, None) for pair in pairs))
        job = store.create_job(name.strip(), len(pairs), dataset, settings)
    except BaseException:
        store.delete_dataset(dataset)
        raise
    return job, _run(store, job, aligner, projector, chunk)


def resume_import(store: Store, job_id: int, aligner, projector, chunk: int = 50) -> threading.Thread:
    """Continue an interrupted import in this process, from its first unsaved pair."""
    job = store.job(job_id)
    if job["status"] != "interrupted":
        raise ConfigError(f"import {job['name']!r} is {job['status']}, not interrupted: nothing to resume")
    store.claim_job(job_id)
    return _run(store, job_id, aligner, projector, chunk)


def discard_import(store: Store, job_id: int) -> None:
    """Drop an interrupted or failed import and the partial dataset it was writing."""
    job = store.job(job_id)
    if job["status"] in ("running", "done"):
        raise ConfigError(f"import {job['name']!r} is {job['status']}; only an interrupted or failed one "
                          "can be discarded")
    if job["dataset_id"] is not None and job["dataset_id"] not in {d for d, _, _ in store.datasets()}:
        store.delete_dataset(job["dataset_id"])
    store.update_job(job_id, status="discarded", message="discarded; its partial dataset was removed")


def _run(store: Store, job_id: int, aligner, projector, chunk: int) -> threading.Thread:
    from xner.corpus import project_pairs

    def work() -> None:
        try:
            job = store.job(job_id)
            dataset, done = job["dataset_id"], job["done"]
            while done < job["total"]:
                items = store.pending_items(dataset, done, chunk)
                if not items:
                    raise ConfigError(f"the dataset of import {job['name']!r} lost its items at pair {done + 1}")
                results = project_pairs([pair for _, pair in items], projector, aligner)
                store.store_projections(job_id, [(item_id, pair, projection) for (item_id, _), (pair, projection)
                                                 in zip(items, results)])
                done += len(items)
            store.finish_dataset(dataset)
            store.update_job(job_id, status="done")
        except Exception as error:  # noqa: BLE001 - shown on the page, the inputs stay in the form
            store.update_job(job_id, status="failed", message=f"{type(error).__name__}: {error}"[:1900])

    thread = threading.Thread(target=work, name=f"xner-import-{job_id}", daemon=True)
    thread.start()
    return thread


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
