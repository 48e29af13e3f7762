"""``xner project SOURCE_CONLL TARGET --aligner NAME --method heuristic|ngram -o OUT``"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from xner.alignment.base import aligner_from_options
from xner.cli import options
from xner.cli.options import DEFAULT_ALIGNER
from xner.corpus import load_pairs, project_pairs, write_projections
from xner.io.files import check_output_file
from xner.io.tags import labels_note
from xner.label_sets import parse_label_set
from xner.projection.base import build_projector, projectors
from xner.projection.settings import declared_settings
from xner.settings import FINISHING, Setting, settings_of


def project_cli(
    source: Annotated[Path, typer.Argument(help="Labelled source CoNLL file.")],
    target: Annotated[Path, typer.Argument(help="Target sentences: text (one a line) or CoNLL (tags ignored).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the projected target data.")],
    aligner: options.Aligner = DEFAULT_ALIGNER,
    aligner_model: options.AlignerModel = None,
    layer: options.Layer = None,
    extraction: options.Extraction = None,
    level: options.Level = None,
    alignments: Annotated[Path | None, typer.Option(help="Given links (Pharaoh/talp) instead of an aligner.")] = None,
    method: Annotated[str, typer.Option(help="Projection method: ngram (the best measured), heuristic, ner-span or fused.")] = "ngram",
    fmt: Annotated[str, typer.Option("--format", help="conll (IOB2) or jsonl (full records with candidates).")] = "conll",
    distortion: options.Distortion = None,
    device: options.Device = "auto",
    tokenize: options.Tokenize = "auto",
    labels: options.Labels = None,
    **chosen: Any,
) -> None:
    """Project the entities of SOURCE onto the words of TARGET."""
    # the method's settings are the flags declared in xner.projection.settings (see with_method_settings)
    chosen["trim_stop_words"] = options.language(chosen.get("trim_stop_words"), "trim_stop_words", "--tgt-lang")
    chosen["src_lang"] = options.language(chosen.get("src_lang"), "src_lang", "--src-lang")
    declared = declared_settings()
    schema = projectors.settings(method) if method in projectors else None
    own = ({s.name for s in settings_of(schema)} if schema is not None
           else {name for name, s in declared.items() if s.scope == FINISHING})
    stray = [name for name, value in chosen.items() if value is not None and name not in own]
    if stray:
        raise typer.BadParameter(f"{declared[stray[0]].flag} does not apply to --method {method}")
    options.check_format(fmt)
    check_output_file(output, (source, target, alignments))
    label_set = parse_label_set(labels)
    params = {name: value for name, value in chosen.items() if name in own}
    takes = projectors.options(method) or frozenset() if method in projectors else frozenset()
    # what the command names once for everything: where models run, the target language (as a language)
    params.update({k: v for k, v in (("device", device), ("tgt_lang", chosen["trim_stop_words"])) if k in takes})
    projector = build_projector(method, **params)
    pairs = load_pairs(source, target, alignments, tokenize, options.note)
    if note := labels_note(str(source), (e.label for p in pairs for e in p.source_entities)):
        typer.echo(note, err=True)
    built = None if alignments else aligner_from_options(aligner, aligner_model, layer, extraction, level,
                                                         distortion, device)
    results = project_pairs(pairs, projector, built, label_set)
    for k in write_projections(output, results, fmt):
        # only a text file has empty sentences, one a line
        typer.echo(f"warning: {target}, line {k + 1}: empty sentence, left out of {output} (CoNLL cannot hold a "
                   "sentence without words; --format jsonl keeps it in place)", err=True)
    n = sum(len(results.entities(k)) for k in range(len(results)))
    in_labels = f" in the labels {label_set}" if label_set is not None else ""
    typer.echo(f"projected {n} entities onto {len(results)} sentences with {method}{in_labels} -> {output}", err=True)


def setting_flags(declared: dict[str, Setting]) -> list[inspect.Parameter]:
    """A ``typer`` option per declared setting: its flag (a yes/no setting also as ``--no-…``)
    and older aliases, help prefixed with the methods it applies to (none for span
    finishing, which every method does) and their defaults, unset (``None``: the method's own
    default applies)."""
    defaults: dict[str, dict[str, Any]] = {}  # setting -> method -> its default there
    for name in projectors.names():
        schema = projectors.settings(name)
        for s in settings_of(schema) if schema is not None else ():
            defaults.setdefault(s.name, {})[name] = s.default
    found = []
    for s in declared.values():
        kind = s.type if s.type in (bool, int, float, str) else str
        per_method = defaults.get(s.name, {})
        applies = "" if s.scope == FINISHING else f"[{', '.join(per_method)}] "
        values = set(map(repr, per_method.values()))
        if s.default is None or s.type is bool and s.help.startswith("--"):
            shown = ""  # the help says it
        elif len(values) == 1:
            shown = f" ({_shown(s.default)})"
        else:
            shown = " (" + ", ".join(f"{m} {_shown(d)}" for m, d in per_method.items()) + ")"
        flags = (f"{s.flag}/--no-{s.flag[2:]}",) if kind is bool else (s.flag, *s.aliases)
        option = typer.Option(*flags, help=f"{applies}{s.help}{shown}")
        found.append(inspect.Parameter(s.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                       annotation=Annotated[kind | None, option]))
    return found


def _shown(default: Any) -> str:
    return ("on" if default else "off") if isinstance(default, bool) else str(default)


def with_method_settings(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` with one option per declared method setting in place of its ``**chosen``
    (typer reads options from the signature), so a setting declared once is a flag."""
    own = [p for p in inspect.signature(command).parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    hints = typing.get_type_hints(command, include_extras=True)

    @functools.wraps(command)
    def run(**given: Any) -> None:
        command(**given)

    flags = setting_flags(declared_settings())
    parameters = [p.replace(annotation=hints[p.name]) for p in own] + flags
    run.__signature__ = inspect.Signature(parameters, return_annotation=None)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    del run.__wrapped__  # typer must read the signature above, not the command's
    return run



def register(app: typer.Typer) -> None:
    app.command("project")(with_method_settings(project_cli))
