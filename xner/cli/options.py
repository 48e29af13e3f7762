"""Command-line options shared by several commands (one wording, one default)."""

from __future__ import annotations

from typing import Annotated

import typer

from xner.alignment.base import DEFAULT_ALIGNER

Aligner = Annotated[str, typer.Option(help="Aligner name (see `xner aligners`).")]
AlignerModel = Annotated[str | None, typer.Option(
    help="[embedding] Encoder hub id or directory (default: offline multilingual-e5-small).")]
Layer = Annotated[int | None, typer.Option(help="[embedding] Hidden layer to read (7).")]
Extraction = Annotated[str | None, typer.Option(help="[embedding] argmax, itermax or match (itermax).")]
Level = Annotated[str | None, typer.Option(help="[embedding] word or subword similarity (subword).")]
Distortion = Annotated[float | None, typer.Option(
    help="[embedding] Distortion prior: similarities scaled by 1 - d·(i/m - j/n)², 0 (off) to 1 (0).")]
Device = Annotated[str, typer.Option(
    help="Where models run: auto (a CUDA GPU when present, else CPU), cpu, cuda or cuda:N.")]



def language(value: str | None, setting: str, flag: str) -> str | None:
    """``value`` as a normalised language code (see :mod:`xner.languages`); a code without a
    function-word list is used, with one line on stderr saying what the rules then do."""
    from xner.languages import language_code, language_note

    code = language_code(value, setting)
    if note := language_note(code):
        typer.echo(f"note: {flag} {note}", err=True)
    return code


__all__ = ["language", "DEFAULT_ALIGNER", "Aligner", "AlignerModel", "Device", "Distortion", "Extraction", "Layer", "Level"]
