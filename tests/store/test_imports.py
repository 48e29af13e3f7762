"""Import jobs (issue 22): one runner per job, "ready" only when complete, every
interrupted import resumable or discardable."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.app.test_jobs import Monotone, pairs
from xner.app.jobs import discard_import, resume_import, start_import
from xner.errors import ConfigError
from xner.projection.base import build_projector
from xner.store import Store
from xner.store import imports
from xner.store import jobs as store_jobs
from xner.store.schema import Dataset, Job

ROOT = Path(__file__).resolve().parents[2]

# One runner process: "start" imports 40 pairs, "resume" resumes the job; both slowly, so
# that the test can kill them mid-way.
RUNNER = """
import sys, time
from tests.app.test_jobs import Monotone, pairs
from xner.app.jobs import resume_import, start_import
from xner.errors import XnerError
from xner.projection.base import build_projector
from xner.store import Store

class Slow(Monotone):
    def align(self, batch):
        time.sleep(0.2)
        return super().align(batch)

url, mode = sys.argv[1], sys.argv[2]
store = Store(url)
if mode == "start":
    job, thread = start_import(store, "race", pairs(20), Slow(), build_projector("ngram"), chunk=2,
                               settings={"method": "ngram"})
else:
    try:
        thread = resume_import(store, int(sys.argv[3]), Slow(), build_projector("ngram"), chunk=2)
    except XnerError as error:
        print("refused:", error, flush=True)
        sys.exit(0)
print("running", flush=True)
thread.join()
"""


def runner(url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", RUNNER, url, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)  # reaped: a zombie would still count as a live owner


def test_two_resumes_race_one_wins_and_a_killed_runner_is_resumed_to_a_complete_dataset(store_url):
    store = Store(store_url)
    first = runner(store_url, "start")
    wait_for(lambda: store.jobs() and store.jobs()[0]["done"] >= 4, "the first runner's progress")
    kill(first)
    (job,) = store.jobs()
    assert job["status"] == "interrupted" and job["total"] == 40
    killed_at = job["done"]

    # two Resume clicks at once (two servers): exactly one runs the job
    racers = [runner(store_url, "resume", str(job["id"])) for _ in range(2)]
    lines = [racer.stdout.readline().strip() for racer in racers]
    assert sorted(line.split(":")[0] for line in lines) == ["refused", "running"], lines
    refused = next(line for line in lines if line.startswith("refused"))
    assert "taken over a moment ago" in refused or "is running, not interrupted" in refused, refused
    winner = racers[[line.startswith("running") for line in lines].index(True)]
    wait_for(lambda: store.job(job["id"])["done"] >= killed_at + 4, "the winner's progress")
    kill(winner)
    for racer in racers:
        racer.wait(timeout=60)
    state = store.job(job["id"])
    assert state["status"] == "interrupted" and state["done"] <= state["total"]
    assert store.datasets() == []  # not ready half-projected

    # a third resume finishes it: every item projected, counted once
    resume_import(store, job["id"], Monotone(), build_projector("ngram"), chunk=2).join(timeout=120)
    state = store.job(job["id"])
    assert (state["status"], state["done"], state["total"]) == ("done", 40, 40)
    ((dataset, name, count),) = store.datasets()
    assert (name, count) == ("race", 40)
    assert all(store.item(i)[1] is not None for i in store.item_ids(dataset))


def restart(monkeypatch) -> None:
    """What a restarted server sees: nobody owns the jobs of the process before."""
    monkeypatch.setattr(store_jobs, "OWNER", "elsewhere:1:restarted")


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'imports.db'}")


def test_a_runner_that_lost_its_lease_writes_nothing_more(store, monkeypatch):
    dataset, job, lease = imports.reserve_import(store, "leased", total=2, settings={"project": True})
    store.add_items(dataset, ((pair, None) for pair in pairs(1)))
    restart(monkeypatch)
    taken = imports.claim(store, job)
    items = store.pending_items(dataset, 0, 2)
    with pytest.raises(imports.LeaseLost):
        imports.save_projections(store, job, lease, [(i, p, build_projector("ngram").project(p.with_alignment(
            Monotone().align([(p.source_words, p.target_words)])[0]))) for i, p in items])
    assert store.job(job)["done"] == 0
    with pytest.raises(ConfigError, match="is running, not interrupted"):
        imports.claim(store, job)  # the new runner is alive
    assert taken != lease


def test_ready_only_when_every_item_has_its_projection(store):
    dataset, job, lease = imports.reserve_import(store, "half", total=4, settings={"project": True})
    store.add_items(dataset, ((pair, None) for pair in pairs(2)))
    # a progress counter that ran ahead (two runners once counted the same pairs twice)
    store._write(lambda session: session.get(Job, job).__setattr__("done", 4))
    with pytest.raises(ConfigError, match="4 of its 4 pairs have no projection"):
        imports.finish_import(store, job, lease)
    assert store.datasets() == []


def test_an_import_killed_while_writing_its_pairs_can_be_discarded(store, monkeypatch):
    # the background import: killed after reserving and writing 2 of 10 pairs (no cleanup ran)
    dataset, job, _ = imports.reserve_import(store, "killed", total=10, settings={"project": True, "method": "ngram"})
    store.add_items(dataset, ((pair, None) for pair in pairs(1)))
    restart(monkeypatch)
    (state,) = imports.import_jobs(store)
    assert state["status"] == "interrupted" and not state["resumable"]
    assert "while its pairs were being saved (2 of 10)" in state["why"]
    with pytest.raises(ConfigError, match="cannot be resumed: the server stopped while its pairs were being saved"):
        resume_import(store, job, Monotone(), build_projector("ngram"))
    discard_import(store, job)
    assert store.datasets(include_importing=True) == [] and store.job(job)["status"] == "discarded"
    start_import(store, "killed", pairs(1), Monotone(), build_projector("ngram"))[1].join(timeout=60)
    assert [n for _, n, _ in store.datasets()] == ["killed"]  # the name is free again


def test_a_foreground_import_killed_half_way_is_resumed_or_discarded(store, monkeypatch):
    from xner.review.files import import_jsonl

    # killed after writing all of its items, before it was made ready: Resume finishes it
    dataset, job, _ = imports.reserve_import(store, "complete", total=2)
    store.add_items(dataset, [(pair, None) for pair in pairs(1)])
    # killed half-way: only Discard
    half, half_job, _ = imports.reserve_import(store, "half", total=4)
    store.add_items(half, [(pair, None) for pair in pairs(1)])
    restart(monkeypatch)
    states = {j["name"]: j for j in imports.import_jobs(store)}
    assert states["complete"]["resumable"] and "Resume checks and finishes it" in states["complete"]["why"]
    assert not states["half"]["resumable"]
    resume_import(store, job, None, None).join(timeout=60)
    discard_import(store, half_job)
    assert [(n, c) for _, n, c in store.datasets(include_importing=True)] == [("complete", 2)]
    # a JSONL import is one too: it is listed as done
    record = '{"source_words": ["a"], "target_words": ["b"]}\n'.encode()
    import_jsonl(store, "jsonl", record * 3)
    assert {j["name"]: j["status"] for j in store.jobs()}["jsonl"] == "done"


def test_a_dataset_left_importing_by_an_older_version_gets_a_job_to_discard(store):
    with store._writes.begin() as session:
        session.add(Dataset(name="orphan", status="importing", labels=[]))
    (state,) = imports.import_jobs(store)
    assert (state["name"], state["status"], state["resumable"]) == ("orphan", "interrupted", False)
    discard_import(store, state["id"])
    assert store.datasets(include_importing=True) == []
    assert len(imports.import_jobs(store)) == 1  # adopted once


def test_of_two_claims_made_on_the_same_view_one_wins(store, monkeypatch):
    import threading

    dataset, job, _ = imports.reserve_import(store, "twice", total=2, settings={"project": True})
    restart(monkeypatch)
    both_read = threading.Barrier(2)

    def dead_once_both_have_read(owner, heartbeat, now):
        both_read.wait(timeout=30)  # two clicks, each having read the job before either took it
        return False

    monkeypatch.setattr(store_jobs, "owner_alive", dead_once_both_have_read)
    outcomes = []

    def click():
        try:
            outcomes.append(imports.claim(store, job))
        except ConfigError as error:
            outcomes.append(error)

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join(timeout=60)
    leases = [o for o in outcomes if isinstance(o, str)]
    refusals = [str(o) for o in outcomes if isinstance(o, ConfigError)]
    assert len(leases) == 1 and len(refusals) == 1, outcomes
    assert "'twice' was taken over a moment ago" in refusals[0]
    with store.sessions() as session:
        assert session.get(Job, job).owner == leases[0]
