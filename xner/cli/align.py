"""``xner align SOURCE TARGET --aligner NAME -o OUT.talp``"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xner.alignment.base import aligner_from_options, available_aligners
from xner.cli import options
from xner.cli.options import DEFAULT_ALIGNER
from xner.corpus import align_files
from xner.io.files import check_output_file


def align_cli(
    source: Annotated[Path, typer.Argument(help="Source sentences: text (one a line) or CoNLL.")],
    target: Annotated[Path, typer.Argument(help="Target sentences, parallel to SOURCE.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write Pharaoh/talp links.")],
    aligner: options.Aligner = DEFAULT_ALIGNER,
    aligner_model: options.AlignerModel = None,
    layer: options.Layer = None,
    extraction: options.Extraction = None,
    level: options.Level = None,
    distortion: options.Distortion = None,
    device: options.Device = "auto",
    tokenize: options.Tokenize = "auto",
) -> None:
    """Word-align two parallel files and write the links, one line per sentence pair."""
    check_output_file(output, (source, target))
    built = aligner_from_options(aligner, aligner_model, layer, extraction, level, distortion, device)
    alignments = align_files(source, target, built, output, tokenize, options.note)
    typer.echo(f"aligned {len(alignments)} sentence pairs with {aligner} -> {output}", err=True)


def list_aligners_cli() -> None:
    """List the aligners that can be named with --aligner."""
    for name, description in available_aligners():
        typer.echo(f"{name}\t{description}")


def register(app: typer.Typer) -> None:
    app.command("align")(align_cli)
    app.command("aligners")(list_aligners_cli)
