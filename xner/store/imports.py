"""Imports as jobs: every import can be resumed or discarded, one runner at a time.

An import reserves its dataset (state ``importing``, hidden from review) and its job row
in one transaction, before it writes a single item, so a process killed at any moment
leaves a job the Data page offers to resume or discard; never a dataset that is only
"importing" for ever. A job is run under a *lease*: its ``owner`` column names the
runner (process and claim). Taking over an interrupted job is a compare-and-swap on that
column, so of two Resume clicks (two tabs, two servers) exactly one wins; every write of
a runner checks the lease in its own transaction, so a runner that lost it (declared dead
but still alive) stops instead of writing twice. The dataset becomes ``ready`` only in
the transaction that checks that every item was written and, for a job that projects,
that every item holds its projection.

A job's ``settings`` hold ``project: true`` when the job projects its items (a background
import; the rest of the settings rebuild the projector to resume it), else the items were
written complete (a foreground or JSONL import) and resuming only checks and finishes.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xner.errors import ConfigError
from xner.store import jobs
from xner.store.datasets import delete_dataset_rows, record_labels, record_score
from xner.store.schema import Dataset, Item, Job


class LeaseLost(ConfigError):
    """This runner no longer holds its job (another took it over, or it was discarded)."""


def _lease() -> str:
    # the process (as jobs.OWNER, which tells a live process from a dead one) plus this claim
    return f"{jobs.OWNER}:{uuid.uuid4().hex[:8]}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def reserve_import(store, name: str, src_lang: str = "", tgt_lang: str = "", *, total: int | None = None,
                   settings: dict[str, Any] | None = None) -> tuple[int, int, str]:
    """Create the dataset (``importing``) and its running job at once; returns
    ``(dataset_id, job_id, lease)``. A name in use is refused here, before any work."""
    name = store.check_dataset_name(name)
    lease = _lease()

    def work(session: Session) -> tuple[int, int]:
        if session.scalar(select(Dataset.id).where(Dataset.name == name)) is not None:
            raise ConfigError(f"a dataset named {name!r} exists already; choose another name")
        dataset = Dataset(name=name, src_lang=src_lang, tgt_lang=tgt_lang, status="importing", labels=[])
        session.add(dataset)
        session.flush()
        job = Job(name=name, total=total if total is not None else -1, dataset_id=dataset.id,
                  settings=settings or {}, owner=lease, heartbeat=_now())
        session.add(job)
        session.flush()
        return dataset.id, job.id

    try:
        dataset, job = store._write(work)
    except IntegrityError:  # the same name reserved at the same moment elsewhere
        raise ConfigError(f"a dataset named {name!r} exists already; choose another name") from None
    return dataset, job, lease


def job_of_dataset(store, dataset_id: int) -> int | None:
    with store.sessions() as session:
        return session.scalar(select(Job.id).where(Job.dataset_id == dataset_id).order_by(Job.id.desc()))


def claim(store, job_id: int, *, for_what: str = "resume") -> str:
    """Take over an interrupted (or failed) job; returns the new lease. Refused when the job
    runs (its runner is alive), is finished, or another claim won the race."""
    # one read decides: the owner compared below is the one found dead (or failed) here
    with store.sessions() as session:
        row = session.execute(select(Job.name, Job.owner, Job.status, Job.heartbeat).where(Job.id == job_id)).one_or_none()
    if row is None:
        raise ConfigError(f"import job {job_id} does not exist")
    name, owner, status, heartbeat = row
    if status == "running" and not jobs.owner_alive(owner or "", heartbeat, _now()):
        shown = "interrupted"
    else:
        shown = status
    if shown not in ("interrupted", "failed"):
        raise ConfigError(f"import {name!r} is {shown}, not interrupted: nothing to {for_what}")
    lease = _lease()

    def work(session: Session) -> int:
        return session.execute(update(Job).where(Job.id == job_id, Job.owner == owner, Job.status == status)
                               .values(owner=lease, status="running", message="", heartbeat=_now())).rowcount

    if store._write(work) != 1:
        raise ConfigError(f"import {name!r} was taken over a moment ago (another Resume or Discard, in "
                          "another tab or window): its progress shows on the Data page")
    return lease


def _hold(session: Session, job_id: int, lease: str, **values: Any) -> None:
    """Within a write transaction: this lease still holds the job (and beats its heart)."""
    held = session.execute(update(Job).where(Job.id == job_id, Job.owner == lease, Job.status == "running")
                           .values(heartbeat=_now(), **values)).rowcount
    if held != 1:
        raise LeaseLost("this import was taken over by another runner or discarded; this one stopped and wrote "
                        "nothing more")


def save_projections(store, job_id: int, lease: str, results) -> None:
    """Store projected items ``[(item_id, pair, projection)]`` and advance the job, in one
    transaction, under the lease (an exact resume point, written by one runner only)."""
    from xner.io.jsonl import pair_to_record

    def work(session: Session) -> None:
        _hold(session, job_id, lease, done=Job.done + len(results))
        job = session.get(Job, job_id)
        dataset = session.get(Dataset, job.dataset_id)
        labels = set(dataset.labels or ())
        for item_id, pair, projection in results:
            record = pair_to_record(pair, projection)
            session.execute(update(Item).where(Item.id == item_id).values(
                record=record, score=record_score(record)))
            labels |= record_labels(record)
        dataset.labels = sorted(labels)

    store._write(work)


def unprojected(session: Session, dataset_id: int) -> int:
    """How many items of the dataset hold no projection."""
    return session.scalar(select(func.count(Item.id)).where(
        Item.dataset_id == dataset_id, Item.record["projection"].as_string().is_(None)))


def finish_import(store, job_id: int, lease: str) -> None:
    """Make the dataset ready and the job done, in one transaction, once it is checked that
    every item is written and (for a projecting job) projected; else a :class:`ConfigError`."""

    def work(session: Session) -> None:
        _hold(session, job_id, lease, status="done", message="")
        job = session.get(Job, job_id)
        written = session.scalar(select(func.count(Item.id)).where(Item.dataset_id == job.dataset_id))
        if job.total >= 0 and written != job.total:
            raise ConfigError(f"import {job.name!r} holds {written} of its {job.total} pairs; discard it and "
                              "import again")
        if (job.settings or {}).get("project"):
            missing = unprojected(session, job.dataset_id)
            if missing or job.done != job.total:
                raise ConfigError(f"import {job.name!r}: {missing} of its {job.total} pairs have no projection "
                                  f"(progress {job.done}); resume it again")
        session.execute(update(Dataset).where(Dataset.id == job.dataset_id).values(status="ready"))

    store._write(work)


def fail_import(store, job_id: int, lease: str, message: str) -> None:
    """Record a runner's failure (if it still holds the job): the job can then be resumed or discarded."""
    try:
        store._write(lambda session: _hold(session, job_id, lease, status="failed", message=message[:1900]))
    except LeaseLost:
        pass  # another runner has it: its state is the one to show


def drop_import(store, job_id: int) -> None:
    """Remove a job and the dataset it was writing (a foreground import that failed in front of the user)."""
    with store.sessions() as session:
        dataset = session.scalar(select(Job.dataset_id).where(Job.id == job_id))
    if dataset is not None:
        _delete_importing_dataset(store, dataset)
    store._write(lambda session: session.execute(delete(Job).where(Job.id == job_id)))


def discard(store, job_id: int) -> None:
    """Drop an interrupted or failed import and what it wrote (after taking its lease, so that
    a Resume clicked at the same moment cannot go on writing into the removed dataset)."""
    lease = claim(store, job_id, for_what="discard")
    job = store.job(job_id)
    if job["dataset_id"] is not None:
        _delete_importing_dataset(store, job["dataset_id"])
    store._write(lambda session: _hold(session, job_id, lease, status="discarded",
                                       message="discarded; its partial dataset was removed"))


def _delete_importing_dataset(store, dataset_id: int) -> None:
    # only a dataset still being imported: a ready one may hold reviewers' decisions
    def work(session: Session) -> None:
        if session.scalar(select(Dataset.status).where(Dataset.id == dataset_id)) != "importing":
            return
        delete_dataset_rows(session, dataset_id)

    store._write(work)


def adopt_orphans(store) -> None:
    """Give a job to each dataset left ``importing`` without one (by a version that wrote the
    job row only after the items): it then shows as interrupted, to resume or discard."""
    orphaned = (Dataset.status == "importing",
                ~Dataset.id.in_(select(Job.dataset_id).where(Job.dataset_id.is_not(None))))
    with store.sessions() as session:  # a read first: the page polls this, and a write would lock
        if session.scalar(select(func.count(Dataset.id)).where(*orphaned)) == 0:
            return

    def work(session: Session) -> None:
        for dataset_id, name in session.execute(select(Dataset.id, Dataset.name).where(*orphaned)).all():
            session.add(Job(name=name, total=-1, dataset_id=dataset_id, settings={}, owner="", heartbeat=None,
                            status="running"))

    store._write(work)


def import_jobs(store) -> list[dict]:
    """:meth:`Store.jobs`, each interrupted or failed one with ``written`` (items saved),
    ``resumable`` and ``why`` (what Resume would do, or why it cannot)."""
    adopt_orphans(store)
    listed = store.jobs()
    stopped = [j["dataset_id"] for j in listed if j["status"] in ("interrupted", "failed")]
    written = {}
    if stopped:  # counted only where it decides something: the page polls this while imports run
        with store.sessions() as session:
            written = dict(session.execute(select(Item.dataset_id, func.count(Item.id))
                                           .where(Item.dataset_id.in_(stopped)).group_by(Item.dataset_id)).all())
    for job in listed:
        job["written"] = written.get(job["dataset_id"], 0)
        job["resumable"], job["why"] = _resumable(job)
    return listed


def _resumable(job: dict) -> tuple[bool, str]:
    if job["status"] not in ("interrupted", "failed"):
        return False, ""
    if job["total"] < 0:
        return False, (f"the server stopped while its pairs were being saved ({job['written']} saved, how many were "
                       "to come is not known): discard it and import again")
    if job["written"] < job["total"]:
        return False, (f"the server stopped while its pairs were being saved ({job['written']} of {job['total']}): "
                       "discard it and import again")
    if job["settings"].get("project"):
        return True, f"Resume projects the rest, from pair {job['done'] + 1}; Discard removes what was written"
    return True, "all its pairs are saved: Resume checks and finishes it; Discard removes it"
