"""Review decisions while a big import writes: the round trip a reviewer waits for.

A reviewer's decision, as the review page makes it: read the item shown and its revision,
record the decision against that revision, find the next item and the progress. Timed
while a background import of 15,000 sentence pairs (xner.app.jobs.start_import: the pairs
written in chunks, then aligned, projected and saved chunk by chunk) runs in the same
process, as it does in the app's server, and, side by side, with the whole import written
in one transaction (how the store wrote a dataset before imports were chunked).

    python -m bench.review_during_import [--pairs 15000] [--pg URL] [--no-write]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from dataclasses import replace

from bench.report import header, publish, table


class Monotone:
    """A stand-in aligner (word i to word i): the store is measured, not the encoder."""

    name = "monotone"

    def align(self, pairs):
        from xner.types import Alignment

        return [Alignment.of((i, i) for i in range(min(len(s), len(t)))) for s, t in pairs]


def percentile(values, q):
    values = sorted(values)
    return values[int(q * (len(values) - 1))]


def pairs(n, start=0):
    from xner.types import Entity, SentencePair

    return [SentencePair(("Angela", "Merkel", "visited", "Paris", f"w{k}"), ("Angela", "Merkel", "visitó", "París",
                                                                            f"v{k}"),
                         (Entity(0, 2, "PER"), Entity(3, 4, "LOC")), id=str(k)) for k in range(start, start + n)]


def run(url: str, n_import: int, chunked: bool) -> dict:
    from xner.app.jobs import start_import
    from xner.corpus import project_pairs
    from xner.projection.base import build_projector
    from xner.store import Store

    store = Store(url)
    projector = build_projector("ngram")
    reviewed = store.create_dataset(f"reviewed-{time.time_ns()}", project_pairs(pairs(400), projector, Monotone()))
    name = f"big-{time.time_ns()}"
    if chunked:
        job, thread = start_import(store, name, pairs(n_import, 1000), Monotone(), projector)
        busy = lambda: store.job(job)["status"] == "running"  # noqa: E731
    else:
        items = project_pairs([replace(p) for p in pairs(n_import, 1000)], projector, Monotone())
        thread = threading.Thread(target=store.create_dataset, args=(name, items), kwargs={"chunk": len(items)})
        thread.start()
        busy = thread.is_alive
    times, failures, during = [], 0, 0
    annotator = "ana"
    while True:
        running = busy()
        item = store.next_item(reviewed, annotator)
        if item is None:
            break
        start = time.perf_counter()
        try:
            view = store.view(item, annotator)
            store.record(item, annotator, "accept", view.projection.entities, revision=view.revision)
            store.next_item(reviewed, annotator, after=view.position)
            store.progress(reviewed, annotator)
        except Exception:  # noqa: BLE001 - counted: a decision the reviewer would have seen fail
            failures += 1
            continue
        elapsed = 1000 * (time.perf_counter() - start)
        if running:
            times.append(elapsed)
            during += 1
        if not running and during:
            break
        time.sleep(0.02)  # a fast reviewer: 50 decisions a second at most
    thread.join()
    store.engine.dispose()
    return {"n": len(times), "p50": statistics.median(times) if times else float("nan"),
            "p95": percentile(times, 0.95) if times else float("nan"), "max": max(times, default=float("nan")),
            "failures": failures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=15_000)
    parser.add_argument("--pg", help="a PostgreSQL URL to measure too (scripts/pg-test-server.sh prints one)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    stores = [("SQLite", f"sqlite:///{tempfile.mkdtemp()}/review.db")]
    if args.pg:
        stores.append(("PostgreSQL", args.pg))
    rows = []
    for label, url in stores:
        for chunked in (True, False):
            result = run(url, args.pairs, chunked)
            how = "chunked background import (xner)" if chunked else "one transaction for the whole import"
            rows.append([label, how, result["n"], f"{result['p50']:.1f}", f"{result['p95']:.1f}",
                         f"{result['max']:.0f}", result["failures"], "≤ 200 ms"])
    markdown = header(f"Review decisions during a {args.pairs:,}-pair import") + table(
        ["store", "import writes", "decisions timed", "p50 ms", "p95 ms", "max ms", "failed", "goal (p95)"], rows)
    markdown += ("\nA decision is what the review page does: the item's view and revision, the decision recorded "
                 "against that revision, the next item and the progress. The import runs in the same process "
                 "(as in the app's server), so its Python work competes for the interpreter too.\n")
    publish("review-during-import", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
