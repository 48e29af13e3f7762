"""``xner evaluate GOLD PRED [--json]``"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from xner.evaluation.metrics import EvaluationReport, evaluate_files


def format_report(report: EvaluationReport) -> str:
    rows = [f"{'label':<10}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for label, s in sorted(report.per_label.items()):
        rows.append(f"{label:<10}{s.precision:>10.4f}{s.recall:>10.4f}{s.f1:>10.4f}{s.support:>10}")
    o = report.overall
    rows.append(f"{'micro':<10}{o.precision:>10.4f}{o.recall:>10.4f}{o.f1:>10.4f}{o.support:>10}")
    rows.append(f"proj_ratio {report.proj_ratio:.4f} over {report.sentences} sentences")
    return "\n".join(rows)


def evaluate_cli(
    gold: Annotated[Path, typer.Argument(help="Gold CoNLL file.")],
    predicted: Annotated[Path, typer.Argument(help="Predicted CoNLL file with the same tokens.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    gold_labels_only: Annotated[bool, typer.Option(help="Predicted labels absent from gold become O.")] = False,
    ignore: Annotated[list[str] | None, typer.Option(help="A label to leave out on both sides (repeatable).")] = None,
) -> None:
    """Score predictions against gold: micro P/R/F1, per label, and proj_ratio (seqeval, IOB2)."""
    report = evaluate_files(gold, predicted, restrict_to_gold_labels=gold_labels_only, ignore=ignore or ())
    typer.echo(json.dumps(report.to_dict()) if as_json else format_report(report))


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_cli)
