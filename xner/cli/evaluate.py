"""``xner evaluate GOLD PRED [--json]``"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from xner.cli import options
from xner.errors import no_sentences
from xner.evaluation.metrics import EvaluationReport, evaluate_files
from xner.io.tags import labels_note


def format_report(report: EvaluationReport) -> str:
    rows = [f"{'label':<10}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for label, s in sorted(report.per_label.items()):
        rows.append(f"{label:<10}{s.precision:>10.4f}{s.recall:>10.4f}{s.f1:>10.4f}{s.support:>10}")
    o = report.overall
    rows.append(f"{'micro':<10}{o.precision:>10.4f}{o.recall:>10.4f}{o.f1:>10.4f}{o.support:>10}")
    rows.append(f"proj_ratio {report.proj_ratio:.4f} over {report.sentences} sentences")
    rows.append(f"labels scored: {', '.join(report.labels) or 'none'}")
    return "\n".join(rows)


def evaluate_cli(
    gold: Annotated[Path, typer.Argument(help="Gold CoNLL file.")],
    predicted: Annotated[Path | None, typer.Argument(help="Predicted CoNLL file with the same tokens.")] = None,
    model: Annotated[Path | None, typer.Option(help="A model trained with `xner train` (spaCy, hf or head) to tag GOLD's words instead.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    gold_labels_only: Annotated[bool, typer.Option(help="Predicted labels absent from gold become O.")] = False,
    ignore: Annotated[list[str] | None, typer.Option(help="A label to leave out on both sides (repeatable).")] = None,
    labels: options.Labels = None,
    device: options.Device = "auto",
) -> None:
    """Score predictions (a file, or a trained model's) against gold: micro P/R/F1, per label, proj_ratio."""
    from xner.label_sets import parse_label_set

    options = dict(restrict_to_gold_labels=gold_labels_only, ignore=ignore or (), labels=parse_label_set(labels))
    if (predicted is None) == (model is None):
        raise typer.BadParameter("give either PRED (a CoNLL file) or --model (a trained model directory)")
    if model is not None:
        from xner.evaluation.metrics import evaluate
        from xner.io.conll import read_conll
        from xner.text import matching_form
        from xner.training.trained import predict_trained

        sentences = read_conll(gold)
        if not sentences:
            raise no_sentences(gold)
        predictions = predict_trained(model, [matching_form(s.words) for s in sentences], device)
        report = evaluate([s.entities for s in sentences], predictions, [len(s.words) for s in sentences], **options)
    else:
        report = evaluate_files(gold, predicted, **options)
    if note := labels_note(f"{gold}" if model is not None else f"{gold} and {predicted}", report.per_label):
        typer.echo(note, err=True)
    typer.echo(json.dumps(report.to_dict()) if as_json else format_report(report))


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_cli)
