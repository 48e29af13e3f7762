"""Translate-train for Hausa and Yoruba from the raw MAFAND-MT parallel text, in three commands.

For each language, exactly what a user runs (timed, one after the other):

1. ``xner silver EN.txt TGT.txt --tgt-lang L --labels PER,ORG,LOC -o silver.conll``: the English
   side tagged by the installed head, aligned, projected with xner's defaults;
2. ``xner train silver.conll --trainer head --init installed --epochs 4 --dev masakhaner2/L/dev.conll -o model/``:
   the English head trained further on the silver data (translate-train that starts where model
   transfer ends); beside it, for comparison, the same without ``--init`` (a head from scratch);
3. ``xner evaluate masakhaner2/L/test.conll --model model/ --labels PER,ORG,LOC --json``.

Model transfer (the English head on the target test set, zero-shot) is scored beside it with
``xner evaluate ... --model HEAD``. MasakhaNER dev chose nothing here but the epoch each head
keeps (``--dev``); the projection rules were chosen on the translate-test dev sets
(bench/masakhaner.py).

    python -m bench.masakhaner_train [--no-write] [--languages hau,yor] [--work DIR]
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
    parser.add_argument("--reuse-silver", action="store_true",
                        help="keep WORK/L/silver.conll from an earlier run (its seconds are then not measured)")
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
        silver_s = None
        if not (args.reuse_silver and (work / "silver.conll").is_file()):
            _, silver_s = xner("silver", english, target, "--tgt-lang", lang, "--labels", LABELS,
                               "-o", work / "silver.conll")
        scores, seconds = {}, {}
        for name, init in (("scratch", []), ("warm", ["--init", "installed"])):
            _, seconds[f"train {name}"] = xner("train", work / "silver.conll", "--trainer", "head", *init, "--epochs",
                                               4, "--dev", gold / "dev.conll", "--labels", LABELS, "--lang", lang,
                                               "-o", work / f"model-{name}")
            scored, seconds[f"evaluate {name}"] = xner("evaluate", gold / "test.conll", "--model",
                                                       work / f"model-{name}", "--labels", LABELS, "--json")
            scores[name] = f1(scored)
        pairs = sum(1 for _ in english.open(encoding="utf-8"))
        rows.append([lang, pairs, f1(transfer), scores["scratch"], scores["warm"], scores["warm"] - f1(transfer),
                     "(reused)" if silver_s is None else f"{silver_s:.0f}", f"{seconds['train scratch']:.0f}",
                     f"{seconds['train warm']:.0f}", f"{seconds['evaluate warm']:.0f}"])
        print(rows[-1], flush=True)
    markdown = (
        header("MasakhaNER 2.0 translate-train from raw MAFAND-MT text (Hausa, Yoruba)")
        + "Three commands per language (see the script's docstring): silver data from the raw parallel text, a head "
        + "trained on it (4 epochs, best on MasakhaNER dev), scored on MasakhaNER 2.0 test. F1 × 100 on PER/ORG/LOC. "
        + "Model transfer: the English head (`xner models install --ner-train`) on the target test set. "
        + "*from scratch*: a new head on the silver data; *from the English head*: `--init installed`, the English "
        + "head trained further on the silver data. Seconds are wall time per command, models loaded by each.\n\n"
        + table(["lang", "pairs", "model transfer", "translate-train, from scratch", "translate-train, from the "
                 "English head", "gain over transfer", "silver s", "train s (scratch)", "train s (from the head)",
                 "evaluate s"], rows)
    )
    publish("masakhaner-translate-train", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
