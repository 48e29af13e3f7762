"""One batch run per output folder (issue 22): two runs into one folder mixed their shards."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xner.engine.run_lock import LOCK, run_folder_lock
from xner.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]

# A real `xner batch` that stops inside its second shard until the test opens a gate, so
# that a second run surely meets it running.
HELD_RUN = """
import sys, time
from pathlib import Path
from xner.engine.local import ShardWorker

gate, args = Path(sys.argv[1]), sys.argv[2:]
real = ShardWorker.process

def process(self, items):
    if items[0][0] == 1:
        (gate.parent / "waiting").touch()
        while not gate.exists():
            time.sleep(0.05)
    return real(self, items)

ShardWorker.process = process
sys.argv = ["xner", *args]
from xner.cli.main import main
main()
"""


def record(source, target, entities):
    return json.dumps({"source_words": source, "target_words": target, "source_entities": entities})


GERMAN = [record(["Angela", "Merkel", "visited", "Paris"], ["Angela", "Merkel", "besuchte", "Paris"],
                 [[0, 2, "PER"], [3, 4, "LOC"]])] * 3
SPANISH = [record(["Angela", "Merkel", "visited", "Paris"], ["Angela", "Merkel", "visitó", "París"],
                  [[0, 2, "PER"], [3, 4, "LOC"]])] * 3
BATCH = ["batch", "--aligner", "eflomal", "--no-progress", "--shard-size", "1"]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "de.jsonl").write_text("\n".join(GERMAN) + "\n")
    (tmp_path / "es.jsonl").write_text("\n".join(SPANISH) + "\n")
    return tmp_path


def env():
    return {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}


def start_held(folder: Path, *args: str) -> subprocess.Popen:
    held = subprocess.Popen([sys.executable, "-c", HELD_RUN, str(folder / "gate"), *BATCH, *args], cwd=folder,
                            env=env(), stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not (folder / "waiting").exists():
        assert held.poll() is None, held.stderr.read()
        assert time.monotonic() < deadline, "the first run never reached its second shard"
        time.sleep(0.1)
    return held


def xner(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xner.cli.main", *BATCH, *args], cwd=folder, env=env(),
                          capture_output=True, text=True, timeout=300)


def test_a_second_batch_into_a_running_runs_folder_is_refused_naming_the_first(folder):
    first = start_held(folder, "de.jsonl", "-o", "run")
    try:
        for resume in ([], ["--resume"]):
            second = xner(folder, "es.jsonl", "-o", "run", *resume)
            assert second.returncode == 2, second.stderr
            assert f"run is in use by another xner batch run (pid {first.pid} on " in second.stderr, second.stderr
            assert "de.jsonl" in second.stderr  # the command of the run holding it
    finally:
        (folder / "gate").touch()
        _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    output = [json.loads(line) for line in (folder / "run/output.jsonl").read_text().splitlines()]
    assert [r["target_words"][2] for r in output] == ["besuchte"] * 3  # only the first run's pairs
    assert not (folder / "run" / LOCK).exists()


def test_the_lock_of_a_killed_run_is_recognised_as_stale(folder):
    first = start_held(folder, "de.jsonl", "-o", "run")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=60)
    assert (folder / "run" / LOCK).exists()  # left behind, as kill -9 leaves it
    resumed = xner(folder, "de.jsonl", "-o", "run", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "3/3 pairs projected" in resumed.stderr and "1 resumed" in resumed.stderr, resumed.stderr


def test_the_lock_is_held_only_while_its_block_runs(tmp_path):
    with run_folder_lock(tmp_path):
        with pytest.raises(ConfigError, match=f"{tmp_path} is in use by another xner batch run \\(pid {os.getpid()}"):
            with run_folder_lock(tmp_path):
                pass
    with run_folder_lock(tmp_path):  # released: taken again
        pass
    assert not (tmp_path / LOCK).exists()
