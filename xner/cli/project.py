"""``xner project SOURCE_CONLL TARGET --aligner NAME --method heuristic|ngram -o OUT``"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xner.alignment.base import aligner_from_options
from xner.cli import options
from xner.cli.options import DEFAULT_ALIGNER
from xner.corpus import load_pairs, project_pairs, write_projections
from xner.errors import ConfigError
from xner.io.files import check_output_file
from xner.io.tags import labels_note
from xner.label_sets import parse_label_set
from xner.projection.base import build_projector


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
    merge_distance: Annotated[int | None, typer.Option(help="[heuristic] Merge ranges this many words apart (1).")] = None,
    threshold: Annotated[float | None, typer.Option(help="[heuristic] Keep ranges with length ratio above this (0.8).")] = None,
    top_k: Annotated[int | None, typer.Option(help="[heuristic] Keep only the k longest ranges (no limit).")] = None,
    drop_punctuation: Annotated[bool | None, typer.Option(help="[heuristic] Ignore punctuation-only target words.")] = None,
    collision: Annotated[str | None, typer.Option(help="[heuristic] On overlaps: first or longer wins (first).")] = None,
    trim_punctuation: Annotated[bool | None, typer.Option(help="Keep commas, full stops etc. off span edges (on).")] = None,
    trim_stop_words: Annotated[str | None, typer.Option("--tgt-lang", "--trim-stop-words", help="Language of TARGET (e.g. de): its function words are trimmed off span edges unless aligned to the entity's content words (recommended).")] = None,
    src_lang: Annotated[str | None, typer.Option(help="Language of SOURCE, for its function words (en).")] = None,
    derived_labels: Annotated[str | None, typer.Option(help="Labels for derived forms (one lower-case word from a name, e.g. 'finnischen'; in German also 'Frankfurter' for Frankfurt): LOC=MISC,ORG=MISC (default), none (keep the name's label), or LOC=O,ORG=O,MISC=O to leave them unlabelled as CoNLL-2002 Spanish does.")] = None,
    compound_labels: Annotated[str | None, typer.Option(help="Labels for a compound that joins a name and other words in one hyphenated word ('CDU-Parteitag' for 'CDU party conference'): none (default: the name's label, as German Europarl) or LOC=MISC,ORG=MISC,PER=MISC (German CoNLL-2003).")] = None,
    learn_edges: Annotated[bool | None, typer.Option(help="Trim the words this corpus's alignments show standing beside names (titles, particles) off span edges; learned per run, for languages with or without a word list (on).")] = None,
    name_weight: Annotated[float | None, typer.Option(help="[ngram] Weight of the name score (target n-grams spelling a source entity, found even where the aligner missed them) beside the alignment's; 0 turns it off (1.0).")] = None,
    max_ngram: Annotated[int | None, typer.Option(help="[ngram] Longest candidate n-gram (10).")] = None,
    window: Annotated[bool | None, typer.Option(help="[ngram] --window: only n-grams between the aligned words (published); --no-window: every n-gram; default: the window wherever that changes no choice.")] = None,
    solver: Annotated[str | None, typer.Option(help="[ngram] greedy or exact (greedy).")] = None,
    target_ner: Annotated[str | None, typer.Option(help="[ner-span, fused] Target-language NER (spacy:MODEL, hf:MODEL, head:DIR) proposing and scoring spans.")] = None,
    translation_model: Annotated[str | None, typer.Option(help="[fused] Seq2seq model (hub id or directory, e.g. NLLB) for the translation score; needs --tgt-lang.")] = None,
    weights: Annotated[str | None, typer.Option(help="[fused] Score weights, e.g. alignment=0.5,ner=0.5,translation=1 (default: that, for the scores configured).")] = None,
    ner_score: Annotated[str | None, typer.Option(help="[fused] NER score: words (published, from per-word probabilities; default) or whole (the exact probability that a candidate is one whole entity; needs a CRF head as --target-ner).")] = None,
    ner_alone: Annotated[bool | None, typer.Option(help="[fused] --no-ner-alone: never choose a candidate that only the NER score supports (no word of the source entity aligned to it); --ner-alone: as published.")] = None,
    translation_prefilter: Annotated[bool | None, typer.Option(help="[fused] Translation-score only the candidates the alignment or NER score supports (default, far fewer model calls); --no-translation-prefilter: every candidate, so one supported by the translation score alone can win.")] = None,
    distortion: options.Distortion = None,
    device: options.Device = "auto",
    tokenize: options.Tokenize = "auto",
    labels: options.Labels = None,
) -> None:
    """Project the entities of SOURCE onto the words of TARGET."""
    trim_stop_words = options.language(trim_stop_words, "trim_stop_words", "--tgt-lang")
    src_lang = options.language(src_lang, "src_lang", "--src-lang")
    heuristic = dict(merge_distance=merge_distance, threshold=threshold, top_k=top_k,
                     drop_punctuation=drop_punctuation, collision=collision)
    ngram = dict(max_ngram=max_ngram, window=window, solver=solver, name_weight=name_weight)
    models = dict(target_ner=target_ner, translation_model=translation_model, weights=weights,
                  translation_prefilter=translation_prefilter, ner_score=ner_score, ner_alone=ner_alone)
    shared = dict(trim_punctuation=trim_punctuation, trim_stop_words=trim_stop_words, src_lang=src_lang,
                  derived_labels=derived_labels, compound_labels=compound_labels, learn_edges=learn_edges)
    own = {"heuristic": heuristic, "ngram": ngram, "ner-span": dict(target_ner=target_ner, solver=solver, device=device),
           "fused": dict(models, max_ngram=max_ngram, solver=solver, tgt_lang=trim_stop_words, device=device,
                         name_weight=name_weight)}
    params = {**shared, **own.get(method, {})}
    stray = [k for k, v in {**heuristic, **ngram, **models}.items() if v is not None and k not in params]
    if stray:
        raise typer.BadParameter(f"--{stray[0].replace('_', '-')} does not apply to --method {method}")
    if fmt not in ("conll", "jsonl"):
        raise ConfigError(f"unknown format {fmt!r}: use --format conll or jsonl")
    check_output_file(output, (source, target, alignments))
    label_set = parse_label_set(labels)
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


def register(app: typer.Typer) -> None:
    app.command("project")(project_cli)
