"""The same shard processing on Ray Data, for when one machine is not enough.

Shards are handed to Ray Data in windows; ``map_batches`` runs them on actors
(:class:`ShardActor`) that load the aligner and projector once per actor, with the
configured concurrency and GPUs per actor. Results come back in input order and are
written by the driver exactly as the local engine writes them, so both engines give
byte-identical output and share the manifest, resume and error handling.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice

from xner.engine.local import EngineSettings, ShardWorker
from xner.errors import MissingDependencyError


class ShardActor:
    """A Ray Data callable class: one model load per actor, then one shard per batch."""

    def __init__(self, settings: dict) -> None:
        self.worker = ShardWorker(EngineSettings(**settings))

    def __call__(self, batch: dict) -> dict:
        from xner.io.jsonl import record_to_pair

        out_lines, out_errors = [], []
        for payload in batch["payload"]:
            items = [(i, record_to_pair(r)[0] if isinstance(r, dict) else r) for i, r in json.loads(payload)]
            lines, errors = self.worker.process(items)
            out_lines.append(json.dumps(lines))
            out_errors.append(json.dumps(errors))
        return {"shard": batch["shard"], "lines": out_lines, "errors": out_errors}


def ray_shard_processor(settings: EngineSettings, address: str | None = None, concurrency: int = 1,
                        num_gpus: float = 0, window: int | None = None, cpus_per_actor: float = 1):
    """A ``process_shards`` function for :func:`xner.engine.local.run_local`."""
    try:
        import ray
    except ImportError:
        raise MissingDependencyError("Ray", "pip install 'xner[ray]' (or: pip install ray)") from None
    from xner.io.jsonl import pair_to_record
    from xner.types import SentencePair

    window = window or 8 * concurrency

    def process(pending: Iterator[tuple[int, list]]):
        if not ray.is_initialized():
            ray.init(address=address, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        while chunk := list(islice(pending, window)):
            rows = [{"shard": number, "payload": json.dumps(
                [(i, pair_to_record(p) if isinstance(p, SentencePair) else p) for i, p in items], ensure_ascii=False)}
                for number, items in chunk]
            dataset = ray.data.from_items(rows).map_batches(
                ShardActor, fn_constructor_kwargs={"settings": {**settings.key(), "device": settings.device}},
                batch_size=1,
                compute=ray.data.ActorPoolStrategy(size=concurrency), num_gpus=num_gpus,
                num_cpus=cpus_per_actor,  # Ray sets each actor's torch/OpenMP threads from this
            )
            for row in dataset.iter_rows():
                yield int(row["shard"]), (json.loads(row["lines"]), json.loads(row["errors"]))

    return process
