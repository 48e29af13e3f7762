"""The head of the scaling study (docs/SCALING.md), chosen on ENGLISH dev only.

Trains candidate heads on the first 2,000 English CoNLL training sentences (features from
the feature cache) and scores them on the first 1,000 English dev sentences after each of
4 epochs. No target-language data and no test set is looked at.

    python -m bench.scaling_head_choice [--cache DIR]
"""

import argparse
import time
from pathlib import Path

import numpy as np

from bench.report import SHARED_DATA
from xner.io.conll import read_conll
from xner.ner.features import WordFeatures, extract_features
from xner.training.head_trainer import train_head

ALL = tuple(range(1, 13))
CANDIDATES = [("linear", 256, ALL), ("linear", 256, (4, 5, 6, 7)), ("bilstm", 64, (4, 5, 6, 7))]


def subset(features: WordFeatures, n: int, layers) -> WordFeatures:
    index = [ALL.index(layer) for layer in layers]
    return WordFeatures(np.ascontiguousarray(features.vectors[: features.offsets[n]][:, index]),
                        features.offsets[: n + 1], tuple(layers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, help="feature cache (default: XNER_HOME/features)")
    args = parser.parse_args()
    train = read_conll(SHARED_DATA / "conll/en.train.conll")[:4000]
    dev = read_conll(SHARED_DATA / "conll/en.dev.conll")
    cache = args.cache or True
    train_features = extract_features([s.words for s in train], "e5", ALL, cache=cache)
    dev_features = extract_features([s.words for s in dev], "e5", ALL, cache=cache)
    n, d = 2000, 1000
    for kind, hidden, layers in CANDIDATES:
        start = time.perf_counter()
        _, _, report = train_head(train[:n], dev=dev[:d], kind=kind, hidden=hidden, layers=layers,
                                  feature_layers=layers, epochs=4, patience=4, threads=1,
                                  features=subset(train_features, n, layers), dev_features=subset(dev_features, d, layers))
        print(kind, hidden, layers, "dev F1 per epoch", [round(100 * f, 1) for f in report.dev_f1],
              f"head {report.head_seconds:.0f}s (wall {time.perf_counter() - start:.0f}s)",
              "layer weights", [round(w, 2) for w in report.layer_weights], flush=True)


if __name__ == "__main__":
    main()
