"""Our embedding aligner vs the simalign package, side by side in one run.

Both align the 799 Europarl en–de pairs with the same model (the offline
multilingual-e5-small), layer 8, IterMax, word level. Each runs in its own process so
that wall time and peak memory (max RSS) are its own; model loading is timed apart.

    python -m bench.aligner_speed             # writes docs/BENCHMARKS.md
    python -m bench.aligner_speed --no-write
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from bench.report import SHARED_DATA, header, publish, table

LAYER = 8


def load_pairs():
    from xner.io.conll import read_conll

    en = read_conll(SHARED_DATA / "europarl/en.europarl.test.conll")
    de = read_conll(SHARED_DATA / "europarl/de.europarl.test.conll")
    return [(list(s.words), list(t.words)) for s, t in zip(en, de)]


def worker(kind: str) -> None:
    from xner.models.e5_convert import ensure_default_encoder

    model = str(ensure_default_encoder())
    pairs = load_pairs()
    start = time.perf_counter()
    if kind == "simalign":
        from simalign import SentenceAligner

        aligner = SentenceAligner(model=model, token_type="word", matching_methods="i", layer=LAYER)
        loaded = time.perf_counter()
        links = [set(map(tuple, aligner.get_word_aligns(s, t)["itermax"])) for s, t in pairs]
    else:
        from xner.alignment.embedding import EmbeddingAligner

        precision = kind.split("-", 1)[1]
        aligner = EmbeddingAligner(model=model, layer=LAYER, method="itermax", level="word", precision=precision)
        aligner.encoder  # load the model
        loaded = time.perf_counter()
        links = [a.links for a in aligner.align(pairs)]
    done = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"load_s": loaded - start, "align_s": done - loaded, "peak_mb": peak_mb,
                      "links": [sorted(l) for l in links]}))


def run(kind: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", kind], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    results = {kind: run(kind) for kind in ("simalign", "xner-float32", "xner-auto")}
    reference = results["simalign"]
    rows = []
    for kind, r in results.items():
        same = sum(set(map(tuple, a)) == set(map(tuple, b)) for a, b in zip(r["links"], reference["links"]))
        rows.append([kind, f"{r['load_s']:.1f}", f"{r['align_s']:.1f}", f"{reference['align_s'] / r['align_s']:.1f}×",
                     f"{r['peak_mb']:.0f}", f"{same}/{len(r['links'])}"])
        print(rows[-1], flush=True)
    from xner.models.encoder import resolve_precision

    markdown = (
        header("Embedding aligner vs simalign (799 Europarl en–de pairs)")
        + f"Same model (offline multilingual-e5-small), layer {LAYER}, IterMax, word level. "
        + f"`xner-auto` resolves to {resolve_precision('auto')} on this machine. "
        + "Speed-up is simalign's align time over ours; agreement counts pairs with identical links.\n\n"
        + table(["aligner", "load s", "align s", "speed-up", "peak RSS MB", "same links as simalign"], rows)
    )
    publish("aligner-speed", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
