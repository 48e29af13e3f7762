"""``xner train CONLL --lang xx -o MODEL_DIR`` (spaCy, ``hf:MODEL`` or ``head[:ENCODER]``) and ``xner scale``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def train_cli(
    silver: Annotated[Path, typer.Argument(help="Projected, reviewed or gold CoNLL training data.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory for the trained model.")],
    lang: Annotated[str | None, typer.Option(help="Language of the data (spaCy code, e.g. es; unknown → multi-language; spacy trainer only).")] = None,
    trainer: Annotated[str, typer.Option(help="spacy (CPU, default), hf:MODEL (fine-tune any encoder) or head[:ENCODER] (a head on frozen features of the offline e5 or ENCODER).")] = "spacy",
    dev: Annotated[Path | None, typer.Option(help="Dev CoNLL: the head keeps its best epoch on it (head trainer).")] = None,
    head: Annotated[str, typer.Option(help="Head network: bilstm or linear (head trainer).")] = "bilstm",
    layers: Annotated[str, typer.Option(help="Encoder layers the head mixes, e.g. 1-12 or 8 (head trainer).")] = "1-12",
    epochs: Annotated[int, typer.Option(help="Training epochs (at most, for the head trainer).")] = 10,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """Train an NER model: spaCy, a fine-tuned encoder, or a head on frozen encoder features."""
    from xner.io.conll import read_conll

    sentences = read_conll(silver)
    if trainer == "spacy":
        from xner.training.spacy_trainer import train_spacy

        if not lang:
            raise typer.BadParameter("the spacy trainer needs the language of the data: --lang es")
        _, report = train_spacy(sentences, lang, output, epochs=epochs, seed=seed)
    elif trainer.startswith("hf:"):
        from xner.training.transformers_trainer import train_transformers

        report = train_transformers(sentences, trainer[3:], output, epochs=epochs, seed=seed)
    elif trainer == "head" or trainer.startswith("head:"):
        from xner.training.head_trainer import train_head

        _, _, report = train_head(
            sentences, output, encoder=trainer.partition(":")[2] or "e5", dev=read_conll(dev) if dev else None,
            layers=parse_layers(layers), kind=head, epochs=epochs, seed=seed, log=lambda m: typer.echo(m, err=True))
    else:
        raise typer.BadParameter(f"unknown trainer {trainer!r}: use spacy, hf:MODEL or head[:ENCODER]")
    typer.echo(f"trained on {report.sentences} sentences, {report.epochs} epochs, {report.seconds:.1f}s, "
               f"labels {', '.join(report.labels)} -> {output}", err=True)


def parse_layers(text: str) -> tuple[int, ...]:
    """``"1-12"``, ``"8"`` or ``"6,8,10"`` as layer numbers."""
    layers: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.partition("-")
            layers += range(int(first), int(last or first) + 1)
    except ValueError:
        raise typer.BadParameter(f"--layers {text!r}: write e.g. 1-12, 8 or 6,8,10") from None
    if not layers or min(layers) < 1:
        raise typer.BadParameter(f"--layers {text!r}: layers are numbered from 1")
    return tuple(layers)


def scale_cli(
    out_dir: Annotated[Path, typer.Option(help="Where the CSV and the plots go.")] = Path("docs/scaling"),
    data: Annotated[Path, typer.Option(help="The shared data folder.")] = Path("../shared/data"),
    grid: Annotated[str, typer.Option(help="Comma-separated N values.")] = "250,500,1000,2000,4000,8000,14041",
    methods: Annotated[str, typer.Option(help="Projection methods, comma-separated.")] = "heuristic,ngram",
    filtered: Annotated[str | None, typer.Option(help="Method whose projections are also quality-filtered.")] = "ngram",
    gold: Annotated[bool, typer.Option(help="Train on gold Spanish too (the upper bound).")] = True,
    seeds: Annotated[str, typer.Option(help="Seeds, comma-separated (all used up to --multi-seed-up-to).")] = "0,1,2",
    multi_seed_up_to: Annotated[int, typer.Option(help="Largest N repeated over every seed.")] = 1000,
    epochs: Annotated[int, typer.Option(help="Training epochs per model.")] = 5,
) -> None:
    """Run the scaling sweep: F1, training and projection time against N (CSV + PNG)."""
    from xner.alignment.embedding import EmbeddingAligner
    from xner.scaling import SweepConfig, run_sweep

    config = SweepConfig.from_shared(
        data, grid=tuple(int(n) for n in grid.split(",")), methods=tuple(methods.split(",")),
        filtered_method=filtered or None, seeds=tuple(int(s) for s in seeds.split(",")),
        multi_seed_up_to=multi_seed_up_to, epochs=epochs, **({} if gold else {"gold_train": None}))
    rows = run_sweep(config, EmbeddingAligner(), out_dir, log=lambda m: typer.echo(m, err=True))
    typer.echo(f"{len(rows)} models trained -> {out_dir / 'scaling.csv'}", err=True)


def register(app: typer.Typer) -> None:
    app.command("train")(train_cli)
    app.command("scale")(scale_cli)
