"""Isolated projection on Europarl: gold English entities projected onto German and Spanish.

For every aligner available and every projection method: F1 per language (seqeval,
micro, PER/ORG/LOC/MISC), time per step, and the projection step's own throughput with
the alignments given (sentence pairs/s on one core).

    python bench/europarl_projection.py            # writes docs/BENCHMARKS.md
    python bench/europarl_projection.py --no-write # prints only
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # the projection step is measured on one core

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import SHARED_DATA, header, table, write_section  # noqa: E402
from xner.alignment.statistical import EflomalAligner  # noqa: E402
from xner.alignment.symmetrize import symmetrize  # noqa: E402
from xner.evaluation.metrics import evaluate  # noqa: E402
from xner.io.conll import read_conll  # noqa: E402
from xner.projection.base import build_projector  # noqa: E402
from xner.types import Alignment, SentencePair  # noqa: E402

LANGUAGES = ("de", "es")
METHODS = {
    "heuristic (d=1, >0.8)": ("heuristic", {}),
    "heuristic d=0": ("heuristic", {"merge_distance": 0}),
    "heuristic top-1": ("heuristic", {"top_k": 1}),
    "ngram greedy": ("ngram", {}),
    "ngram exact": ("ngram", {"solver": "exact"}),
}
PUBLISHED = {  # METHOD §7 / data README: mBERT aligners, gold English entities
    "heuristic (d=1, >0.8)": "81.9 / 90.3",
    "ngram greedy": "92.0 / 88.6",
}


def load(lang: str):
    en = read_conll(SHARED_DATA / "europarl/en.europarl.test.conll")
    tgt = read_conll(SHARED_DATA / f"europarl/{lang}.europarl.test.conll")
    return en, tgt


def eflomal_alignments(pairs):
    """Run eflomal once per language; every symmetrisation is derived from the same run."""
    start = time.perf_counter()
    forward, reverse = EflomalAligner().align_directions(pairs)
    seconds = time.perf_counter() - start
    return {
        f"eflomal {method}": (
            [Alignment.of(symmetrize(f.links, r.links, method)) for f, r in zip(forward, reverse)], seconds)
        for method in ("grow-diag-final-and", "intersection")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print without updating docs/BENCHMARKS.md")
    args = parser.parse_args()

    rows, speed_rows = [], []
    results: dict[tuple[str, str], dict[str, float]] = {}
    align_time: dict[tuple[str, str], float] = {}
    for lang in LANGUAGES:
        en, tgt = load(lang)
        words = [(s.words, t.words) for s, t in zip(en, tgt)]
        for aligner, (alignments, seconds) in eflomal_alignments(words).items():
            align_time[(aligner, lang)] = seconds
            pairs = [SentencePair(s.words, t.words, s.entities, alignment=a) for s, t, a in zip(en, tgt, alignments)]
            for label, (method, params) in METHODS.items():
                projector = build_projector(method, **params)
                start = time.perf_counter()
                projected = [projector.project(p).entities for p in pairs]
                elapsed = time.perf_counter() - start
                report = evaluate([t.entities for t in tgt], projected, [len(t.words) for t in tgt])
                results[(aligner, label, lang)] = {"f1": 100 * report.overall.f1, "seconds": elapsed,
                                                   "pairs_per_s": len(pairs) / elapsed}
                print(f"{lang} {aligner:28s} {label:24s} F1 {100 * report.overall.f1:5.1f}  "
                      f"project {elapsed:6.2f}s", flush=True)

    aligners = sorted({a for a, _, _ in results})
    for aligner in aligners:
        for label in METHODS:
            de, es = (results[(aligner, label, lang)] for lang in LANGUAGES)
            rows.append([aligner, label, de["f1"], es["f1"], (de["f1"] + es["f1"]) / 2, PUBLISHED.get(label, "")])
    for label in ("heuristic (d=1, >0.8)", "ngram greedy", "ngram exact"):
        runs = [results[(a, label, lang)] for a in aligners for lang in LANGUAGES]
        speed_rows.append([label, f"{min(r['pairs_per_s'] for r in runs):.0f}", f"{max(r['pairs_per_s'] for r in runs):.0f}"])

    timing_rows = [[a, lang, f"{align_time[(a, lang)]:.1f}"] for a in aligners for lang in LANGUAGES]
    markdown = (
        header("Isolated projection on Europarl (gold English entities → de, es)")
        + "F1 × 100, seqeval micro over PER/ORG/LOC/MISC, 799 sentences per language.\n\n"
        + table(["aligner", "method", "de F1", "es F1", "avg", "published de / es (mBERT)"], rows)
        + "\nAlignment time per language (s, both directions, whole corpus; the symmetrisations share one run):\n\n"
        + table(["aligner", "lang", "seconds"], timing_rows)
        + "\nProjection step alone, alignments given, one core (sentence pairs/s, min and max over aligners and languages):\n\n"
        + table(["method", "min pairs/s", "max pairs/s"], speed_rows)
    )
    print(markdown)
    if not args.no_write:
        write_section("europarl", markdown)


if __name__ == "__main__":
    main()
