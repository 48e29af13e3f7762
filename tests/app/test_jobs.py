import time

import pytest

from xner.app.jobs import discard_import, job_progress_text, resume_import, start_import
from xner.errors import XnerError
from xner.projection.base import build_projector
from xner.review.files import read_parallel_upload
from xner.store import Store
from xner.types import Alignment

SOURCE = b"Angela\tB-PER\nMerkel\tI-PER\nvisited\tO\nParis\tB-LOC\n\nHello\tO\n\n"


class Monotone:
    name = "monotone"

    def align(self, pairs):
        return [Alignment.of((i, i) for i in range(min(len(s), len(t)))) for s, t in pairs]


class Crashes(Monotone):
    """Dies after ``after`` pairs, as a killed server would: no failure is recorded."""

    def __init__(self, after):
        self.after, self.seen = after, 0

    def align(self, pairs):
        self.seen += len(pairs)
        if self.seen > self.after:
            raise SystemExit  # not an Exception: the job is left "running", like a kill -9
        return super().align(pairs)


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'jobs.db'}")


def pairs(n=5):
    return read_parallel_upload(SOURCE * n, "Angela Merkel visitó París\nHola\n".encode() * n)


def test_background_import_records_progress_and_creates_the_dataset(store):
    job, thread = start_import(store, "background", pairs(), Monotone(), build_projector("ngram"), chunk=3)
    thread.join(timeout=60)
    (state,) = store.jobs()
    assert state["id"] == job and state["status"] == "done" and state["done"] == state["total"] == 10
    assert store.datasets() == [(state["dataset_id"], "background", 10)]
    pair, projection = store.item(store.item_ids(state["dataset_id"])[0])
    assert projection is not None and projection.entities
    # a name in use is refused at once, before any work, and nothing is added
    with pytest.raises(XnerError, match="exists already"):
        start_import(store, "background", pairs(), Monotone(), build_projector("ngram"))
    assert len(store.jobs()) == 1


def test_an_interrupted_import_is_reported_and_resumes_where_it_stopped(store, monkeypatch):
    import threading

    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # the simulated crash is expected
    settings = {"method": "ngram"}
    job, thread = start_import(store, "crashy", pairs(), Crashes(after=4), build_projector("ngram"), chunk=2,
                               settings=settings)
    thread.join(timeout=60)
    state = store.job(job)
    assert state["status"] == "running" and state["done"] == 4  # what a kill -9 leaves behind
    # a restarted server: another process id, so nobody owns the job any more
    from xner.store import jobs as store_jobs

    monkeypatch.setattr(store_jobs, "OWNER", "elsewhere:1:restarted")
    assert store.job(job)["status"] == "interrupted" and store.job(job)["settings"] == {**settings, "project": True}
    assert store.datasets() == []  # not visible half-done
    thread = resume_import(store, job, Monotone(), build_projector("ngram"), chunk=2)
    thread.join(timeout=60)
    assert store.job(job)["status"] == "done" and store.job(job)["done"] == 10
    ((dataset, name, count),) = store.datasets()
    assert (name, count) == ("crashy", 10)
    assert all(store.item(i)[1] is not None for i in store.item_ids(dataset))
    with pytest.raises(XnerError, match="not interrupted"):
        resume_import(store, job, Monotone(), build_projector("ngram"))


def test_an_interrupted_import_can_be_discarded(store, monkeypatch):
    import threading

    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    job, thread = start_import(store, "dropme", pairs(), Crashes(after=2), build_projector("ngram"), chunk=2)
    thread.join(timeout=60)
    from xner.store import jobs as store_jobs

    monkeypatch.setattr(store_jobs, "OWNER", "elsewhere:1:restarted")
    discard_import(store, job)
    assert store.job(job)["status"] == "discarded" and store.datasets(include_importing=True) == []
    start_import(store, "dropme", pairs(1), Monotone(), build_projector("ngram"))[1].join(timeout=60)
    assert [n for _, n, _ in store.datasets()] == ["dropme"]


def test_job_progress_shows_rate_and_eta():
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    job = {"name": "big", "done": 200, "total": 1000, "status": "running", "created_at": start}
    assert job_progress_text(job, now=start + timedelta(seconds=10)) == \
        "big: 200/1000 pairs · running · 20.0 pairs/s · ETA 40 s"
    assert job_progress_text({**job, "status": "done", "done": 1000}) == "big: 1000/1000 pairs · done"
