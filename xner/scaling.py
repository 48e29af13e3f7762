"""The scaling study: how do quality and cost of projection scale with parallel data?

Gold English CoNLL sentences and their Spanish translations are aligned once (the
alignment of each prefix is timed), the English entities are projected with each
method, and a Spanish spaCy NER model is trained on the first N silver sentences and
scored on gold Spanish. Reference curves: gold Spanish training data (the upper bound)
and quality-filtered projections (sentences whose projection found as many entities as
the source had, i.e. proj_ratio 1). Small N are repeated over several seeds.
"""

from __future__ import annotations

import csv
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xner.alignment.base import Aligner
from xner.corpus import load_pairs
from xner.errors import ConfigError
from xner.evaluation.metrics import evaluate
from xner.io.conll import read_conll
from xner.projection.base import build_projector
from xner.training.spacy_trainer import predict_spacy, train_spacy
from xner.types import Sentence

DEFAULT_GRID = (250, 500, 1000, 2000, 4000, 8000, 14041)


@dataclass(frozen=True)
class SweepConfig:
    source: Path
    translations: Path
    test: Path
    gold_train: Path | None = None
    lang: str = "es"
    grid: tuple[int, ...] = DEFAULT_GRID
    methods: tuple[str, ...] = ("heuristic", "ngram")
    filtered_method: str | None = "ngram"
    seeds: tuple[int, ...] = (0, 1, 2)
    multi_seed_up_to: int = 1000
    epochs: int = 5
    test_limit: int | None = None

    @classmethod
    def from_shared(cls, data: Path, **overrides) -> SweepConfig:
        defaults = dict(source=data / "conll/en.train.conll", translations=data / "mt/en2es.deepl.train.txt",
                        test=data / "conll/es.test.conll", gold_train=data / "conll/es.train.conll")
        return cls(**{**defaults, **overrides})


@dataclass(frozen=True)
class SweepRow:
    curve: str
    n: int
    seed: int
    projection_s: float
    train_s: float
    f1: float
    precision: float
    recall: float


@dataclass
class Silver:
    sentences: list[Sentence]
    seconds_at: dict[int, float] = field(default_factory=dict)  # N -> cumulative projection time


def project_prefixes(config: SweepConfig, aligner: Aligner, log: Callable[[str], None] = print) -> dict[str, Silver]:
    """Align and project the corpus prefix by prefix, timing the cumulative cost at each N."""
    corpus = load_pairs(config.source, config.translations)
    top = min(max(config.grid), len(corpus))
    grid = sorted({min(n, top) for n in config.grid})
    projectors = {m: build_projector(m, trim_stop_words=config.lang) for m in config.methods}
    silver = {m: Silver([]) for m in config.methods}
    align_total, project_total = 0.0, {m: 0.0 for m in config.methods}
    previous = 0
    for n in grid:
        pairs = corpus[previous:n]
        start = time.perf_counter()
        alignments = aligner.align([(p.source_words, p.target_words) for p in pairs])
        align_total += time.perf_counter() - start
        for method, projector in projectors.items():
            start = time.perf_counter()
            for pair, alignment in zip(pairs, alignments):
                result = projector.project(pair.with_alignment(alignment))
                silver[method].sentences.append(Sentence(pair.target_words, result.entities))
            project_total[method] += time.perf_counter() - start
            silver[method].seconds_at[n] = align_total + project_total[method]
        log(f"projected {n} pairs ({align_total:.0f}s aligning)")
        previous = n
    if config.filtered_method:
        if config.filtered_method not in silver:
            raise ConfigError(f"filtered method {config.filtered_method!r} is not among the methods {config.methods}")
        base = silver[config.filtered_method]
        kept = [s for s, pair in zip(base.sentences, corpus) if len(s.entities) == len(pair.source_entities)]
        silver[f"{config.filtered_method}-filtered"] = Silver(kept, dict(base.seconds_at))
        log(f"quality filter keeps {len(kept)} of {len(base.sentences)} sentences")
    return silver


def run_sweep(config: SweepConfig, aligner: Aligner, output_dir: str | Path,
              log: Callable[[str], None] = print, progress: Callable[[float], None] | None = None) -> list[SweepRow]:
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    test = read_conll(config.test)[: config.test_limit]
    curves = project_prefixes(config, aligner, log)
    if config.gold_train is not None:
        curves["gold"] = Silver(read_conll(config.gold_train))
    jobs = []
    for curve, data in curves.items():
        for n in sorted(set(config.grid)):
            if n > len(data.sentences):
                continue
            seeds = config.seeds if n <= config.multi_seed_up_to else config.seeds[:1]
            jobs += [(curve, n, seed) for seed in seeds]
    rows: list[SweepRow] = []
    for done, (curve, n, seed) in enumerate(jobs, start=1):
        data = curves[curve]
        nlp, report = train_spacy(data.sentences[:n], config.lang, epochs=config.epochs, seed=seed)
        predicted = predict_spacy(nlp, [s.words for s in test])
        scores = evaluate([s.entities for s in test], predicted, [len(s.words) for s in test]).overall
        rows.append(SweepRow(curve, n, seed, data.seconds_at.get(n, 0.0), report.seconds, scores.f1,
                             scores.precision, scores.recall))
        log(f"{curve} N={n} seed={seed}: F1 {100 * scores.f1:.1f} (train {report.seconds:.0f}s)")
        write_csv(output_dir / "scaling.csv", rows)
        if progress is not None:
            progress(done / len(jobs))
    plot(rows, output_dir)
    (output_dir / "summary.md").write_text(summary_markdown(rows), encoding="utf-8")
    return rows


def summary_markdown(rows: Sequence[SweepRow]) -> str:
    lines = ["| curve | N | seeds | F1 (mean ± sd) | projection s | training s | F1 points per extra hour |",
             "|---|---|---|---|---|---|---|"]
    for e in summary(rows):
        spread = f" ± {100 * e['f1_sd']:.1f}" if e["seeds"] > 1 else ""
        per_hour = "" if e["f1_per_hour"] is None else f"{e['f1_per_hour']:.0f}"
        projection = "" if e["curve"] == "gold" else f"{e['projection_s']:.0f}"
        lines.append(f"| {e['curve']} | {e['n']} | {e['seeds']} | {100 * e['f1']:.1f}{spread} | {projection} | "
                     f"{e['train_s']:.0f} | {per_hour} |")
    return "\n".join(lines) + "\n"


def write_csv(path: Path, rows: Sequence[SweepRow]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(SweepRow.__dataclass_fields__))
        writer.writeheader()
        writer.writerows(asdict(r) for r in rows)


def read_csv(path: Path) -> list[SweepRow]:
    with Path(path).open(encoding="utf-8") as handle:
        return [SweepRow(r["curve"], int(r["n"]), int(r["seed"]), float(r["projection_s"]), float(r["train_s"]),
                         float(r["f1"]), float(r["precision"]), float(r["recall"])) for r in csv.DictReader(handle)]


def summary(rows: Sequence[SweepRow]) -> list[dict]:
    """Mean and spread per (curve, N), plus F1 gained per extra hour of compute."""
    groups: dict[tuple[str, int], list[SweepRow]] = {}
    for row in rows:
        groups.setdefault((row.curve, row.n), []).append(row)
    table = []
    for (curve, n), group in sorted(groups.items()):
        f1s = [r.f1 for r in group]
        table.append({
            "curve": curve, "n": n, "seeds": len(group), "f1": statistics.mean(f1s),
            "f1_sd": statistics.stdev(f1s) if len(f1s) > 1 else 0.0,
            "projection_s": group[0].projection_s, "train_s": statistics.mean(r.train_s for r in group),
        })
    previous: dict[str, dict] = {}
    for entry in table:
        before = previous.get(entry["curve"])
        cost = entry["projection_s"] + entry["train_s"]
        if before is None:
            entry["f1_per_hour"] = None
        else:
            extra_hours = (cost - before["projection_s"] - before["train_s"]) / 3600
            entry["f1_per_hour"] = (100 * (entry["f1"] - before["f1"]) / extra_hours) if extra_hours > 0 else None
        previous[entry["curve"]] = entry
    return table


def plot(rows: Sequence[SweepRow], output_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = summary(rows)
    curves = sorted({e["curve"] for e in table})
    paths = []
    panels = [
        ("f1_vs_n.png", "F1 on gold Spanish test", lambda e: 100 * e["f1"], True),
        ("train_time_vs_n.png", "training time (s)", lambda e: e["train_s"], False),
        ("projection_time_vs_n.png", "projection time incl. alignment (s)", lambda e: e["projection_s"], False),
        ("f1_per_hour.png", "F1 points gained per extra hour", lambda e: e["f1_per_hour"], False),
    ]
    for name, ylabel, value, error_bars in panels:
        figure, axis = plt.subplots(figsize=(6.4, 4.2))
        for curve in curves:
            points = [e for e in table if e["curve"] == curve and value(e) is not None]
            if curve == "gold" and "projection" in name:
                continue
            if not points:
                continue
            xs, ys = [e["n"] for e in points], [value(e) for e in points]
            if error_bars:
                axis.errorbar(xs, ys, yerr=[100 * e["f1_sd"] for e in points], marker="o", capsize=3, label=curve)
            else:
                axis.plot(xs, ys, marker="o", label=curve)
        axis.set_xscale("log")
        axis.set_xlabel("parallel sentences N (log scale)")
        axis.set_ylabel(ylabel)
        axis.grid(True, alpha=0.3)
        if axis.get_legend_handles_labels()[0]:
            axis.legend()
        else:
            axis.text(0.5, 0.5, "needs at least two values of N", transform=axis.transAxes, ha="center")
        figure.tight_layout()
        path = output_dir / name
        figure.savefig(path, dpi=110)
        plt.close(figure)
        paths.append(path)
    return paths
