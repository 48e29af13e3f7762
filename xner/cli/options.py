"""Command-line options shared by several commands (one wording, one default)."""

from __future__ import annotations

from typing import Annotated

import typer

from xner.alignment.base import DEFAULT_ALIGNER
from xner.io.parallel import RAW_SHARE, SAMPLE_LINES

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

Tokenize = Annotated[str, typer.Option(
    help="How text files (one sentence a line) are read: yes tokenizes raw text ('Mozambique.' -> 'Mozambique' '.'; "
         "'Ilé-iṣẹ́', \"'yan'uwansu\", '1,000' stay whole), no splits at spaces only (tokenized text stays as it is), "
         f"auto tokenizes a file when at least {RAW_SHARE:.0%} of its first {SAMPLE_LINES} non-blank lines have "
         "punctuation attached to a word (and says which it did). CoNLL files are always read as they are.")]
Labels = Annotated[str | None, typer.Option(
    help="The target's labels: a preset (masakhaner: PER,ORG,LOC,DATE; conll: PER,ORG,LOC,MISC) or labels and "
         "mappings, e.g. PER,ORG,LOC,DATE or PER,ORG,LOC,GPE=LOC; any other label becomes O (MISC for masakhaner). "
         "Default: every label kept.")]
OutputFormat = Annotated[str | None, typer.Option(
    "--format", help="conll or jsonl (default: jsonl for a .jsonl output, else conll).")]


def check_format(fmt: str) -> str:
    """``fmt`` when it is an output format xner writes, else a :class:`ConfigError` naming it."""
    from xner.errors import ConfigError
    from xner.ner.tagging import FORMATS

    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: use --format conll or jsonl")
    return fmt


def output_format(output, fmt: str | None) -> str:
    """The format ``output`` is written in: ``fmt`` when given, else its suffix's (checked)."""
    from xner.ner.tagging import format_of

    return check_format(format_of(output, fmt))


def note(message: str) -> None:
    """A note for the user, on stderr (what ``auto`` settings decided)."""
    typer.echo(message, err=True)


def language(value: str | None, setting: str, flag: str) -> str | None:
    """``value`` as a normalised language code (see :mod:`xner.languages`); a code without a
    function-word list is used, with one line on stderr saying what the rules then do."""
    from xner.languages import language_code, language_note

    code = language_code(value, setting)
    if said := language_note(code):
        note(f"note: {flag} {said}")
    return code


__all__ = ["DEFAULT_ALIGNER", "Aligner", "AlignerModel", "Device", "Distortion", "Extraction", "Labels", "Layer",
           "Level", "Tokenize", "language", "note"]
