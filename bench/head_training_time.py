"""Training time of the English CoNLL head tagger from scratch: features from an empty
cache (train 14,041 + dev sentences, all 12 layers of multilingual-e5-small) and the head,
as `xner train en.train.conll --trainer head --dev en.dev.conll` runs them. Wall and CPU
seconds, and the machine's load average before and after (the machine may be shared).

    python -m bench.head_training_time [--no-write] [--head bilstm-crf] [--epochs 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.report import SHARED_DATA, header, publish, table
from xner.io.conll import read_conll
from xner.training.head_trainer import DEFAULT_KIND, DEFAULT_LAYERS, train_head


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--head", default=DEFAULT_KIND)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    train = read_conll(SHARED_DATA / "conll/en.train.conll")[: args.limit]
    dev = read_conll(SHARED_DATA / "conll/en.dev.conll")[: args.limit]
    scratch = Path(tempfile.mkdtemp(prefix="xner-head-time-"))
    load_before = os.getloadavg()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        _, _, report = train_head(train, scratch / "model", dev=dev, kind=args.head, layers=DEFAULT_LAYERS,
                                  epochs=args.epochs, patience=2, cache=scratch / "features",
                                  log=lambda m: print(m, file=sys.stderr, flush=True))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    load_after = os.getloadavg()
    rows = [[len(train), len(dev), f"{report.feature_seconds:.0f}", f"{report.head_seconds:.0f}",
             f"{report.epochs} (best {report.best_epoch})", f"{100 * max(report.dev_f1):.1f}",
             f"{wall:.0f} ({wall / 60:.1f} min)", f"{cpu:.0f}",
             f"{load_before[0]:.1f} / {load_after[0]:.1f}"]]
    markdown = (
        header("Training time of the English CoNLL head tagger (features + head, from an empty cache)")
        + f"Head: {args.head} over a learned mix of layers 1–12, at most {args.epochs} epochs, best en dev "
        + "epoch kept (stops after 2 without gain). Goal: ≤ 15 min on 2 cores. CPU s counts this process's "
        + "threads together; the load average (1 min, before / after) shows how busy the machine was.\n\n"
        + table(["train sentences", "dev sentences", "features s", "head s", "epochs", "dev F1", "wall s",
                 "CPU s", "load avg"], rows)
    )
    publish("head-ner-training-time", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
