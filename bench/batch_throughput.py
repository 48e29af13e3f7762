"""Batch projection throughput: the local engine vs Ray Data on this machine.

Translate-train projection of the 14,041 English CoNLL-2003 training sentences onto
their given DeepL Spanish translations (offline aligner, n-gram matching), streamed
in shards. Both engines must produce byte-identical output; pairs/s is reported.

    python -m bench.batch_throughput [--limit N] [--no-write]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from itertools import islice
from pathlib import Path

from bench.report import SHARED_DATA, header, publish, table
from xner.engine.inputs import stream_pairs
from xner.engine.local import EngineSettings, run_local


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--shard-size", type=int, default=1000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    source, target = SHARED_DATA / "conll/en.train.conll", SHARED_DATA / "mt/en2es.deepl.train.txt"
    settings = EngineSettings(method="ngram", shard_size=args.shard_size)

    def pairs():
        return islice(stream_pairs(source, target), args.limit)

    rows, outputs = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        local = run_local(pairs(), Path(tmp, "local"), settings, progress=False)
        local_s = time.perf_counter() - start
        outputs["local"] = local.output.read_bytes()
        rows.append(["local (1 process)", local.inputs, f"{local_s:.0f}", f"{local.inputs / local_s:.0f}"])
        print(rows[-1], flush=True)

        import ray

        from xner.engine.ray_engine import ray_shard_processor

        start = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        try:
            on_ray = run_local(pairs(), Path(tmp, "ray"), settings, progress=False,
                               process_shards=ray_shard_processor(settings, concurrency=1, cpus_per_actor=2))
        finally:
            ray.shutdown()
        ray_s = time.perf_counter() - start
        outputs["ray"] = on_ray.output.read_bytes()
        rows.append(["Ray Data (local cluster, 1 actor × 2 cores, incl. Ray start-up)", on_ray.inputs, f"{ray_s:.0f}",
                     f"{on_ray.inputs / ray_s:.0f}"])
        print(rows[-1], flush=True)
    identical = outputs["local"] == outputs["ray"]
    markdown = (
        header("Batch projection throughput (translate-train, 14,041 CoNLL sentences → Spanish)")
        + "Given DeepL translations, offline aligner (e5, bfloat16 here), n-gram matching, shards of "
        + f"{args.shard_size} pairs. Outputs byte-identical: **{identical}**.\n\n"
        + table(["engine", "pairs", "seconds", "pairs/s"], rows)
    )
    publish("batch-throughput", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
