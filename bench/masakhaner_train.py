"""Translate-train for Hausa and Yoruba from the raw MAFAND-MT parallel text, in three commands.

For each language, exactly what a user runs (timed, one after the other):

1. ``xner silver EN.txt TGT.txt --tgt-lang L --labels PER,ORG,LOC -o silver.conll``: the English
   side tagged by the installed head, aligned, projected with xner's defaults;
2. ``xner train silver.conll --trainer head --epochs 4 --dev masakhaner2/L/dev.conll -o model/``;
3. ``xner evaluate masakhaner2/L/test.conll --model model/ --labels PER,ORG,LOC --json``.

Model transfer (the English head on the target test set, zero-shot) is scored beside it with
``xner evaluate ... --model HEAD``. MasakhaNER dev chose nothing here but the epoch each head
keeps (``--dev``); the projection rules were chosen on the translate-test dev sets
(bench/masakhaner.py).

    python bench/masakhaner_train.py [--no-write] [--languages hau,yor] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.report import ROOT, SHARED_DATA, header, publish, table
from xner.ner.base import installed_head

XNER = [sys.executable, "-m", "xner.cli.main"]
LABELS = "PER,ORG,LOC"


def xner(*args: object) -> tuple[str, float]:
    """Run one xner command; its stdout and wall seconds."""
    start = time.perf_counter()
    done = subprocess.run([*XNER, *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"xner {' '.join(map(str, args))} failed:\n{done.stderr[-3000:]}")
    return done.stdout, time.perf_counter() - start


def f1(stdout: str) -> float:
    return 100 * json.loads(stdout)["f1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--languages", default="hau,yor")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "masakhaner_train")
    args = parser.parse_args()
    head = installed_head()
    if head is None:
        raise SystemExit("no installed English head: run `xner models install --ner-train CONLL` first")
    rows = []
    for lang in args.languages.split(","):
        work = args.work / lang
        work.mkdir(parents=True, exist_ok=True)
        gold = SHARED_DATA / "masakhaner2" / lang
        english, target = SHARED_DATA / f"lafand/en-{lang}.en.txt", SHARED_DATA / f"lafand/en-{lang}.{lang}.txt"
        transfer, _ = xner("evaluate", gold / "test.conll", "--model", head, "--labels", LABELS, "--json")
        _, silver_s = xner("silver", english, target, "--tgt-lang", lang, "--labels", LABELS,
                           "-o", work / "silver.conll")
        _, train_s = xner("train", work / "silver.conll", "--trainer", "head", "--epochs", 4, "--dev",
                          gold / "dev.conll", "--labels", LABELS, "--lang", lang, "-o", work / "model")
        scored, evaluate_s = xner("evaluate", gold / "test.conll", "--model", work / "model", "--labels", LABELS,
                                  "--json")
        pairs = sum(1 for _ in english.open(encoding="utf-8"))
        rows.append([lang, pairs, f1(transfer), f1(scored), f1(scored) - f1(transfer), f"{silver_s:.0f}",
                     f"{train_s:.0f}", f"{evaluate_s:.0f}"])
        print(rows[-1], flush=True)
    markdown = (
        header("MasakhaNER 2.0 translate-train from raw MAFAND-MT text (Hausa, Yoruba)")
        + "Three commands per language (see the script's docstring): silver data from the raw parallel text, a head "
        + "trained on it (4 epochs, best on MasakhaNER dev), scored on MasakhaNER 2.0 test. F1 × 100 on PER/ORG/LOC. "
        + "Model transfer: the English head (`xner models install --ner-train`) on the target test set. Seconds are "
        + "wall time per command, models loaded by each.\n\n"
        + table(["lang", "pairs", "model transfer", "translate-train", "gain", "silver s", "train s", "evaluate s"],
                rows)
    )
    publish("masakhaner-translate-train", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
