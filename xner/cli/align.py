"""``xner align SOURCE TARGET --aligner NAME -o OUT.talp``"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xner.alignment.base import DEFAULT_ALIGNER, aligner_from_options, aligners
from xner.batch import align_files


def align_cli(
    source: Annotated[Path, typer.Argument(help="Source sentences: text (one a line) or CoNLL.")],
    target: Annotated[Path, typer.Argument(help="Target sentences, parallel to SOURCE.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write Pharaoh/talp links.")],
    aligner: Annotated[str, typer.Option(help="Aligner name (see `xner aligners`).")] = DEFAULT_ALIGNER,
    aligner_model: Annotated[str | None, typer.Option(help="[embedding] Encoder hub id or directory (default: offline multilingual-e5-small).")] = None,
    layer: Annotated[int | None, typer.Option(help="[embedding] Hidden layer to read (7).")] = None,
    extraction: Annotated[str | None, typer.Option(help="[embedding] argmax, itermax or match (itermax).")] = None,
    level: Annotated[str | None, typer.Option(help="[embedding] word or subword similarity (subword).")] = None,
) -> None:
    """Word-align two parallel files and write the links, one line per sentence pair."""
    built = aligner_from_options(aligner, aligner_model, layer, extraction, level)
    alignments = align_files(source, target, built, output)
    typer.echo(f"aligned {len(alignments)} sentence pairs with {aligner} -> {output}", err=True)


def list_aligners_cli() -> None:
    """List the aligners that can be named with --aligner."""
    from xner.alignment import statistical  # noqa: F401

    for name in aligners.names():
        typer.echo(f"{name}\t{aligners.describe(name)}")


def register(app: typer.Typer) -> None:
    app.command("align")(align_cli)
    app.command("aligners")(list_aligners_cli)
