"""Isolated projection on Europarl: gold English entities projected onto German and Spanish.

Every aligner configuration × every projection method: F1 per language (seqeval, micro,
PER/ORG/LOC/MISC), alignment time, and the projection step's own throughput with the
alignments given (sentence pairs/s, single-threaded). Embedding aligners: the offline
multilingual-e5-small, layers 6–10, word and sub-word level, IterMax (plus ArgMax and
Match at the default layer); each sentence is encoded once per layer.

    python bench/europarl_projection.py            # writes docs/BENCHMARKS.md
    python bench/europarl_projection.py --no-write # prints only
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import SHARED_DATA, header, publish, table  # noqa: E402
from xner.alignment.embedding import EmbeddingAligner  # noqa: E402
from xner.alignment.statistical import EflomalAligner  # noqa: E402
from xner.alignment.symmetrize import symmetrize  # noqa: E402
from xner.evaluation.metrics import evaluate  # noqa: E402
from xner.io.conll import read_conll  # noqa: E402
from xner.models.encoder import resolve_precision  # noqa: E402
from xner.projection.base import build_projector  # noqa: E402
from xner.types import Alignment, SentencePair  # noqa: E402

LANGUAGES = ("de", "es")
NO_TRIM = {"trim_punctuation": False}
METHODS = {  # label -> (method, parameters)
    "heuristic (published)": ("heuristic", NO_TRIM),
    "heuristic d=0": ("heuristic", {"merge_distance": 0, **NO_TRIM}),
    "heuristic top-1": ("heuristic", {"top_k": 1, **NO_TRIM}),
    "heuristic + trim": ("heuristic", {}),
    "ngram (published)": ("ngram", NO_TRIM),
    "ngram + trim": ("ngram", {}),
    "ngram + trim, exact": ("ngram", {"solver": "exact"}),
}
PUBLISHED = {"heuristic (published)": (81.9, 90.3), "ngram (published)": (92.0, 88.6)}
DEFAULT_LAYER = EmbeddingAligner().layer


def embedding_configs():
    for layer in (6, 7, 8, 9, 10):
        for level in ("word", "subword"):
            yield layer, level, "itermax"
    for method in ("argmax", "match"):
        yield DEFAULT_LAYER, "subword", method


def alignments_for(lang, pairs):
    """(aligner label -> (alignments, seconds)) for every aligner configuration."""
    result = {}
    start = time.perf_counter()
    forward, reverse = EflomalAligner().align_directions(pairs)
    seconds = time.perf_counter() - start
    for method in ("grow-diag-final-and", "intersection"):
        result[f"eflomal {method}"] = (
            [Alignment.of(symmetrize(f.links, r.links, method)) for f, r in zip(forward, reverse)], seconds)
    by_layer: dict[int, tuple[dict, float]] = {}
    for layer, level, method in embedding_configs():
        aligner = EmbeddingAligner(layer=layer, level=level, method=method, precision="auto")
        if layer not in by_layer:
            start = time.perf_counter()
            aligner.encoder  # load once per layer
            start = time.perf_counter()
            encoded = aligner.encode([s for pair in pairs for s in pair])
            by_layer[layer] = (encoded, time.perf_counter() - start)
        encoded, encode_seconds = by_layer[layer]
        start = time.perf_counter()
        links = [aligner.links(encoded[tuple(s)], encoded[tuple(t)]) for s, t in pairs]
        result[f"e5 L{layer} {level} {method}"] = (links, encode_seconds + time.perf_counter() - start)
        print(f"{lang} aligned e5 L{layer} {level} {method}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print without updating docs/BENCHMARKS.md")
    args = parser.parse_args()

    en = read_conll(SHARED_DATA / "europarl/en.europarl.test.conll")
    f1: dict[tuple[str, str, str], float] = {}
    speed: dict[str, list[float]] = {label: [] for label in METHODS}
    align_seconds: dict[tuple[str, str], float] = {}
    for lang in LANGUAGES:
        tgt = read_conll(SHARED_DATA / f"europarl/{lang}.europarl.test.conll")
        words = [(s.words, t.words) for s, t in zip(en, tgt)]
        for aligner, (alignments, seconds) in alignments_for(lang, words).items():
            align_seconds[(aligner, lang)] = seconds
            pairs = [SentencePair(s.words, t.words, s.entities, alignment=a) for s, t, a in zip(en, tgt, alignments)]
            for label, (method, params) in METHODS.items():
                projector = build_projector(method, **params)
                start = time.perf_counter()
                projected = [projector.project(p).entities for p in pairs]
                speed[label].append(len(pairs) / (time.perf_counter() - start))
                report = evaluate([t.entities for t in tgt], projected, [len(t.words) for t in tgt])
                f1[(aligner, label, lang)] = 100 * report.overall.f1

    aligners = list(dict.fromkeys(a for a, _, _ in f1))
    rows = []
    for aligner in aligners:
        row = [aligner]
        for label in METHODS:
            de, es = (f1[(aligner, label, lang)] for lang in LANGUAGES)
            row.append(f"{de:.1f} / {es:.1f} ({(de + es) / 2:.1f})")
        row.append(f"{align_seconds[(aligner, 'de')]:.1f} / {align_seconds[(aligner, 'es')]:.1f}")
        rows.append(row)
    rows.append(["**published (mBERT)**"] + [
        f"{PUBLISHED[label][0]} / {PUBLISHED[label][1]}" if label in PUBLISHED else "" for label in METHODS] + [""])
    best = max(((a, m) for a in aligners for m in METHODS),
               key=lambda am: sum(f1[(am[0], am[1], lang)] for lang in LANGUAGES))
    best_de, best_es = (f1[(best[0], best[1], lang)] for lang in LANGUAGES)
    speed_rows = [[label, f"{min(v):.0f}", f"{sorted(v)[len(v) // 2]:.0f}", f"{max(v):.0f}"] for label, v in speed.items()]
    markdown = (
        header("Isolated projection on Europarl (gold English entities → de, es)")
        + "F1 × 100 as `de / es (average)`, seqeval micro over PER/ORG/LOC/MISC, 799 sentences per language. "
        + f"Embedding aligners use the offline multilingual-e5-small in {resolve_precision('auto')}; "
        + "`+ trim` keeps commas and full stops off span edges (the default). The last column is the "
        + "alignment time in seconds (de / es; eflomal: both directions; e5: encoding once per layer plus extraction).\n\n"
        + table(["aligner"] + list(METHODS) + ["align s"], rows)
        + f"\nBest: **{best[0]}, {best[1]}**: de {best_de:.1f}, es {best_es:.1f}, average {(best_de + best_es) / 2:.1f} "
        + "(published best: de 92.0 n-gram matching, es 90.3 heuristic).\n\n"
        + "Projection step alone, alignments given, single-threaded Python (sentence pairs/s over all aligners and languages):\n\n"
        + table(["method", "min", "median", "max"], speed_rows)
    )
    publish("europarl", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
