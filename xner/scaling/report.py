"""Stage 4: the results: ``scaling.csv`` (written and read back, several merged), the
summary tables (``summary.md``) and the plots."""

from __future__ import annotations

import csv
import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from xner.errors import ConfigError
from xner.scaling.config import SweepRow


def write_report(rows: Sequence[SweepRow], output_dir: str | Path) -> None:
    """``scaling.csv``, the plots and ``summary.md`` (both tables) for ``rows``."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    write_csv(output_dir / "scaling.csv", rows)
    plot(rows, output_dir)
    (output_dir / "summary.md").write_text(summary_markdown(rows) + "\n" + gaps_markdown(rows), encoding="utf-8")


def merge_csvs(paths: Sequence[str | Path]) -> list[SweepRow]:
    """The rows of several sweeps' ``scaling.csv`` (e.g. parts run in parallel), one per
    (curve, N, seed): a later file wins."""
    merged: dict[tuple[str, int, int], SweepRow] = {}
    for path in paths:
        for row in read_csv(Path(path)):
            merged[row.curve, row.n, row.seed] = row
    return sorted(merged.values(), key=lambda r: (r.n, r.curve, r.seed))


def write_csv(path: Path, rows: Sequence[SweepRow]) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(SweepRow.__dataclass_fields__))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in asdict(row).items()})


def read_csv(path: Path) -> list[SweepRow]:
    def number(text: str) -> float | None:
        return None if text == "" else float(text)

    with Path(path).open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        # tag_s came with untagged sources (issue 26): an earlier study's CSV reads with 0 there
        missing = set(SweepRow.__dataclass_fields__) - set(reader.fieldnames or ()) - {"tag_s"}
        if missing:
            raise ConfigError(f"{path}: not a scaling.csv of this xner (no {', '.join(sorted(missing))}); "
                              "run xner scale again")
        return [SweepRow(r["curve"], int(r["n"]), int(r["seed"]), int(r["sentences"]), number(r["threshold"]),
                         float(r["align_s"]), float(r["project_s"]), float(r["features_s"]), float(r["train_s"]),
                         float(r["f1"]), float(r["precision"]), float(r["recall"]), number(r["dev_f1"]),
                         float(r.get("tag_s") or 0.0))
                for r in reader]


def _mean(values: Sequence[float]) -> float:
    values = [v for v in values if not math.isnan(v)]
    return statistics.mean(values) if values else math.nan


def summary(rows: Sequence[SweepRow]) -> list[dict]:
    """Per (curve, N): mean F1, its spread over seeds (sample sd), mean stage seconds, the
    F1 gained per extra hour of compute over the curve's previous N."""
    groups: dict[tuple[str, int], list[SweepRow]] = {}
    for row in rows:
        groups.setdefault((row.curve, row.n), []).append(row)
    table = []
    for (curve, n), group in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1])):
        f1s = [r.f1 for r in group]
        devs = [r.dev_f1 for r in group if r.dev_f1 is not None]
        entry = {
            "curve": curve, "n": n, "seeds": len(group), "sentences": group[0].sentences,
            "threshold": group[0].threshold, "f1": statistics.mean(f1s),
            "f1_sd": statistics.stdev(f1s) if len(f1s) > 1 else 0.0,
            "f1_min": min(f1s), "f1_max": max(f1s),
            "dev_f1": statistics.mean(devs) if devs else None,
            "align_s": group[0].align_s, "project_s": group[0].project_s,
            "features_s": group[0].features_s, "train_s": _mean([r.train_s for r in group]),
            "tag_s": group[0].tag_s,
        }
        parts = [entry["tag_s"], entry["align_s"], entry["project_s"], entry["features_s"], entry["train_s"]]
        entry["cost_s"] = sum(p for p in parts if not math.isnan(p))
        table.append(entry)
    previous: dict[str, dict] = {}
    for entry in table:
        before = previous.get(entry["curve"])
        entry["f1_per_hour"] = None
        if before is not None:
            extra_hours = (entry["cost_s"] - before["cost_s"]) / 3600
            if extra_hours > 0:
                entry["f1_per_hour"] = 100 * (entry["f1"] - before["f1"]) / extra_hours
        previous[entry["curve"]] = entry
    return table


def thresholds_on_dev(table: Sequence[dict], method: str = "ngram") -> dict[int, dict]:
    """For each N, the filtered curve's entry whose threshold has the best mean dev F1."""
    best: dict[int, dict] = {}
    for entry in table:
        if entry["threshold"] is None or not entry["curve"].startswith(f"{method}-t") or entry["dev_f1"] is None:
            continue
        if entry["n"] not in best or entry["dev_f1"] > best[entry["n"]]["dev_f1"]:
            best[entry["n"]] = entry
    return best


def summary_markdown(rows: Sequence[SweepRow]) -> str:
    table = summary(rows)
    chosen = {(e["curve"], e["n"]) for e in thresholds_on_dev(table).values()}

    def seconds(value: float) -> str:
        return "" if math.isnan(value) else f"{value:.0f}"

    tagged = any(e["tag_s"] for e in table)  # an untagged source: its tagging is a stage of its own
    tag_head, tag_rule = (" tag s |", "---|") if tagged else ("", "")
    lines = [f"| curve | N | trained on | seeds | F1 test (mean ± sd) | F1 dev |{tag_head} align s | project s "
             "| features s | train s | minutes (all stages) | F1 points per extra hour |",
             f"|---|---|---|---|---|---|{tag_rule}---|---|---|---|---|---|"]
    for e in table:
        spread = f" ± {100 * e['f1_sd']:.1f}" if e["seeds"] > 1 else ""
        per_hour = "" if e["f1_per_hour"] is None else f"{e['f1_per_hour']:.0f}"
        dev = "" if e["dev_f1"] is None else f"{100 * e['dev_f1']:.1f}"
        mark = " (t on dev)" if (e["curve"], e["n"]) in chosen else ""
        tag = f" {seconds(e['tag_s'])} |" if tagged else ""
        lines.append(f"| {e['curve']}{mark} | {e['n']} | {e['sentences']} | {e['seeds']} | {100 * e['f1']:.1f}{spread} "
                     f"| {dev} |{tag} {seconds(e['align_s'])} | {seconds(e['project_s'])} | {seconds(e['features_s'])} "
                     f"| {seconds(e['train_s'])} | {e['cost_s'] / 60:.1f} | {per_hour} |")
    return "\n".join(lines) + "\n"


def gaps(rows: Sequence[SweepRow], silver: str = "ngram") -> list[dict]:
    """Per N of the ``silver`` curve: its F1, the gold curve at the same N (or the most gold
    there is), the dev-chosen filtered curve, model transfer, and the compute behind the
    silver point: minutes per F1 point overall and for the last step of N."""
    table = summary(rows)
    by_curve: dict[str, dict[int, dict]] = {}
    for entry in table:
        by_curve.setdefault(entry["curve"], {})[entry["n"]] = entry
    transfer = next(iter(by_curve.get("transfer", {}).values()), None)
    filtered = thresholds_on_dev(table, silver)
    gold = by_curve.get("gold", {})
    result, before = [], None
    for n, entry in sorted(by_curve.get(silver, {}).items()):
        at_or_below = [g for g in gold if g <= n]
        g = gold.get(n) or (gold[max(at_or_below)] if at_or_below else None)
        minutes = entry["cost_s"] / 60
        row = {"n": n, "f1": entry["f1"], "f1_sd": entry["f1_sd"], "gold_n": g["n"] if g else None,
               "gold_f1": g["f1"] if g else None, "transfer_f1": transfer["f1"] if transfer else None,
               "filtered": filtered.get(n), "with_source": by_curve.get(f"{silver}+source", {}).get(n),
               "warm": by_curve.get(f"{silver}+warm", {}).get(n), "minutes": minutes,
               "minutes_per_point": minutes / (100 * entry["f1"]) if entry["f1"] > 0 else None,
               "marginal_minutes_per_point": None}
        if before is not None and entry["f1"] > before["f1"]:
            row["marginal_minutes_per_point"] = (minutes - before["minutes"]) / (100 * (entry["f1"] - before["f1"]))
        result.append(row)
        before = row
    return result


def gaps_markdown(rows: Sequence[SweepRow], silver: str = "ngram") -> str:
    def points(value: float | None) -> str:
        return "" if value is None else f"{100 * value:.1f}"

    def signed(a: float | None, b: float | None) -> str:
        return "" if a is None or b is None else f"{100 * (a - b):+.1f}"

    table = gaps(rows, silver)
    warm = any(g["warm"] is not None for g in table)  # a column only for a study with the warm-started curve
    lines = [f"| N | {silver} F1 | gold F1 (gold N) | {silver} − gold | transfer F1 | {silver} − transfer "
             f"| filtered, t on dev: F1 (t) | {silver} + source sentences F1 "
             + (f"| {silver} from the source head F1 | that − transfer " if warm else "")
             + "| minutes (all stages) | minutes per F1 point | extra minutes per extra point |",
             "|---|---|---|---|---|---|---|---|---|---|---|" + ("---|---|" if warm else "")]
    for g in table:
        f = g["filtered"]
        filtered = "" if f is None else f"{100 * f['f1']:.1f} (t = {f['threshold']:g}, {f['sentences']} kept)"
        per_point = "" if g["minutes_per_point"] is None else f"{g['minutes_per_point']:.2f}"
        marginal = "" if g["marginal_minutes_per_point"] is None else f"{g['marginal_minutes_per_point']:.2f}"
        gold = "" if g["gold_f1"] is None else f"{points(g['gold_f1'])} ({g['gold_n']})"
        joined = g["with_source"]
        joined = "" if joined is None else f"{points(joined['f1'])} ± {points(joined['f1_sd'])}"
        started = ""
        if warm:
            w = g["warm"]
            started = ("| | " if w is None else
                       f"| {points(w['f1'])} ± {points(w['f1_sd'])} | {signed(w['f1'], g['transfer_f1'])} ")
        lines.append(f"| {g['n']} | {points(g['f1'])} ± {points(g['f1_sd'])} | {gold} | {signed(g['f1'], g['gold_f1'])} "
                     f"| {points(g['transfer_f1'])} | {signed(g['f1'], g['transfer_f1'])} | {filtered} | {joined} "
                     f"{started}| {g['minutes']:.1f} | {per_point} | {marginal} |")
    return "\n".join(lines) + "\n"


def plot(rows: Sequence[SweepRow], output_dir: Path) -> list[Path]:
    """``f1_vs_n.png`` (transfer as a horizontal band), ``f1_vs_compute.png``,
    ``stage_time_vs_n.png`` (seconds per stage, stacked) and ``f1_per_hour.png``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = summary(rows)
    output_dir = Path(output_dir)
    curves = sorted({e["curve"] for e in table if e["curve"] != "transfer"})
    transfer = [e for e in table if e["curve"] == "transfer"]
    paths = []

    def style(curve: str) -> dict:
        if curve == "gold":
            return {"color": "black", "linestyle": "--"}
        if "-t" in curve:
            return {"linestyle": ":"}
        if curve.endswith("+source"):
            return {"linestyle": "-."}
        return {}

    def finish(figure, axis, name: str, xlabel: str, ylabel: str) -> None:
        axis.set_xscale("log")
        axis.set_xlabel(xlabel)
        axis.set_ylabel(ylabel)
        axis.grid(True, alpha=0.3)
        if axis.get_legend_handles_labels()[0]:
            axis.legend(fontsize=8)
        figure.tight_layout()
        figure.savefig(output_dir / name, dpi=110)
        plt.close(figure)
        paths.append(output_dir / name)

    for name, xkey, xlabel in (("f1_vs_n.png", "n", "parallel sentences N (log scale)"),
                               ("f1_vs_compute.png", "cost_s", "compute: align + project + features + train, s (log)")):
        figure, axis = plt.subplots(figsize=(7, 4.6))
        for curve in curves:
            points = [e for e in table if e["curve"] == curve and e[xkey] > 0]
            if points:
                axis.errorbar([e[xkey] for e in points], [100 * e["f1"] for e in points],
                              yerr=[100 * e["f1_sd"] for e in points], marker="o", capsize=3, label=curve,
                              **style(curve))
        for e in transfer:
            axis.axhline(100 * e["f1"], color="grey", label=f"model transfer ({100 * e['f1']:.1f})")
            axis.axhspan(100 * (e["f1"] - e["f1_sd"]), 100 * (e["f1"] + e["f1_sd"]), color="grey", alpha=0.2)
        finish(figure, axis, name, xlabel, "F1 on the gold target test set")

    figure, axis = plt.subplots(figsize=(7, 4.6))
    silver = [c for c in curves if c != "gold" and "-t" not in c]
    if silver:
        points = [e for e in table if e["curve"] == silver[-1]]
        bottom = np.zeros(len(points))
        xs = [e["n"] for e in points]
        for key in ("tag_s", "align_s", "project_s", "features_s", "train_s"):
            values = np.array([0.0 if math.isnan(e[key]) else e[key] for e in points])
            if key == "tag_s" and not values.any():
                continue  # a labelled source: nothing was tagged
            axis.bar([str(x) for x in xs], values, bottom=bottom, label=key.removesuffix("_s"))
            bottom += values
        axis.set_title(f"{silver[-1]}: seconds per stage")
    axis.set_xlabel("parallel sentences N")
    axis.set_ylabel("seconds")
    if axis.get_legend_handles_labels()[0]:
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(output_dir / "stage_time_vs_n.png", dpi=110)
    plt.close(figure)
    paths.append(output_dir / "stage_time_vs_n.png")

    figure, axis = plt.subplots(figsize=(7, 4.6))
    for curve in curves:
        points = [e for e in table if e["curve"] == curve and e["f1_per_hour"] is not None]
        if points:
            axis.plot([e["n"] for e in points], [e["f1_per_hour"] for e in points], marker="o", label=curve,
                      **style(curve))
    if not axis.get_legend_handles_labels()[0]:
        axis.text(0.5, 0.5, "needs at least two values of N", transform=axis.transAxes, ha="center")
    finish(figure, axis, "f1_per_hour.png", "parallel sentences N (log scale)", "F1 points gained per extra hour")
    return paths
