"""The settings of the scaling study (docs/SCALING.md), chosen on SPANISH DEV only.

Trains the frozen-encoder head on the study's largest training set — the n-gram
projections of all 14,041 English CoNLL sentences into their DeepL Spanish translations,
together with the English sentences (the ``ngram+source`` curve) — under each candidate
setting, and scores it on CoNLL-2002 Spanish dev after every epoch. The Spanish test set
is not read. Alignments and features come from the study's cache (``xner scale`` fills it;
``--cache`` as there).

Candidates: the head (layers it mixes, BiLSTM width) and the labels of derived forms
("español" from "Spain": MISC, as English CoNLL has it, or unlabelled, as CoNLL-2002
Spanish's guidelines have it).

    python -m bench.scaling_dev_choice [--cache DIR] [--epochs 6] [--workers 2]
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.report import SHARED_DATA, header, publish, table

ALL = tuple(range(1, 13))
MISC, UNLABELLED = "LOC=MISC,ORG=MISC", "LOC=O,ORG=O,MISC=O"
# (name, layers, hidden, derived labels)
CANDIDATES = [
    ("BiLSTM-64, layers 4-7 (the first edition)", (4, 5, 6, 7), 64, MISC),
    ("BiLSTM-64, layers 1-12", ALL, 64, MISC),
    ("BiLSTM-128, layers 1-12", ALL, 128, MISC),
    ("BiLSTM-64, layers 1-12, derived forms unlabelled", ALL, 64, UNLABELLED),
]
N = 14041


def train(candidate: tuple, cache: Path | None, epochs: int) -> tuple:
    """One candidate, trained in its own process on one thread: dev F1 after each epoch."""
    import torch

    from xner.alignment.embedding import EmbeddingAligner
    from xner.io.parallel import read_sentences
    from xner.scaling import FeatureBank, JoinedBank, SweepConfig, project_prefixes, read_labelled
    from xner.training.head_trainer import train_head

    torch.set_num_threads(1)
    name, layers, hidden, derived = candidate
    config = SweepConfig.from_shared(SHARED_DATA, grid=(1000, 4000, 8000, N), methods=("ngram",), thresholds=(),
                                     transfer=False, derived_labels=derived, cache=cache)
    quiet = lambda _message: None  # noqa: E731
    source, translations = read_labelled(config.source), read_sentences(config.translations)
    dev = read_labelled(config.dev)
    projected = project_prefixes(config, source, translations, EmbeddingAligner(), quiet)
    silver = FeatureBank(translations[:N], config.encoder, ALL, cache, boundaries=projected.grid, log=quiet)
    english = FeatureBank([s.words for s in source], config.encoder, ALL, cache, log=quiet)
    dev_bank = FeatureBank([s.words for s in dev], config.encoder, ALL, cache, log=quiet)
    sentences = projected.methods["ngram"].sentences[:N] + list(source[:N])
    spanish_entities = sum(len(s.entities) for s in sentences[:N])
    _, _, report = train_head(
        sentences, layers=layers, feature_layers=layers, hidden=hidden, epochs=epochs, patience=epochs, seed=0,
        threads=1, features=JoinedBank(silver, english, N).gather(range(2 * N), layers), dev=dev,
        dev_features=dev_bank.gather(range(len(dev)), layers))
    return name, report.dev_f1, report.head_seconds, spanish_entities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, help="the study's cache (default: XNER_HOME)")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2, help="candidates trained at once, one thread each")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    from xner.scaling import read_labelled

    english_sentences = read_labelled(SHARED_DATA / "conll/en.train.conll")[:N]
    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(train, CANDIDATES, [args.cache] * len(CANDIDATES), [args.epochs] * len(CANDIDATES)))
    rows = []
    for name, dev_f1, seconds, entities in results:
        best = max(range(len(dev_f1)), key=dev_f1.__getitem__)
        rows.append([name, f"{entities:,}", *(100 * f for f in dev_f1), f"{100 * dev_f1[best]:.1f} (epoch {best + 1})",
                     f"{seconds:.0f}"])
    chosen = max(results, key=lambda r: max(r[1]))
    markdown = header("Scaling study: settings chosen on Spanish dev") + (
        f"The `ngram+source` training set at N = {N:,} (n-gram projections of the English CoNLL training sentences "
        "into their DeepL Spanish translations, plus the English sentences), one seed (0); CoNLL-2002 **Spanish dev** "
        "F1 × 100 after each epoch (seqeval micro). The Spanish test set is not read. Each head trains in its own "
        f"process on one thread, {args.workers} at once, so the seconds are comparable with one another only.\n\n"
        + table(["setting", "Spanish entities", *(f"epoch {e}" for e in range(1, args.epochs + 1)), "best", "head s"],
                rows)
        + f"\nThe English half holds {sum(len(s.entities) for s in english_sentences):,} entities; with derived forms "
        "unlabelled, single lower-case words projected from a capitalised name ('español', 'europeo') are left out "
        "of the Spanish half.\n\n"
        f"Chosen: **{chosen[0]}**; the study trains every head for the number of epochs where the chosen setting's "
        f"dev F1 levels off. Wall time {time.perf_counter() - start:.0f} s.\n")
    publish("scaling-dev-choice", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
