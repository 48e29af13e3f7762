"""``xner train CONLL --lang xx -o MODEL_DIR`` (spaCy, ``hf:MODEL`` or ``head[:ENCODER]``) and ``xner scale``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xner.cli import options


def train_cli(
    silver: Annotated[Path, typer.Argument(help="Projected, reviewed or gold CoNLL training data.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory for the trained model.")],
    lang: Annotated[str | None, typer.Option(help="Language of the data (spaCy code, e.g. es; unknown → multi-language; spacy trainer only).")] = None,
    trainer: Annotated[str, typer.Option(help="spacy (default), hf:MODEL (fine-tune any encoder) or head[:ENCODER] (a head on frozen features of the offline e5 or ENCODER).")] = "spacy",
    dev: Annotated[Path | None, typer.Option(help="Dev CoNLL: the head keeps its best epoch on it (head trainer).")] = None,
    head: Annotated[str, typer.Option(help="Head network: bilstm-crf (default, chosen on English CoNLL dev), bilstm, linear or linear-crf (head trainer).")] = "bilstm-crf",
    layers: Annotated[str, typer.Option(help="Encoder layers the head mixes, e.g. 1-12 or 8 (head trainer).")] = "1-12",
    epochs: Annotated[int, typer.Option(help="Training epochs (at most, for the head trainer).")] = 10,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    init: Annotated[str | None, typer.Option(help="A head to start from (head trainer): DIR, or 'installed' for the English head of `xner models install`; translate-train then starts where model transfer ends. Its layers and network shape replace --layers and --head.")] = None,
    labels: options.Labels = None,
    device: options.Device = "auto",
) -> None:
    """Train an NER model: spaCy, a fine-tuned encoder, or a head on frozen encoder features."""
    from xner.io.conll import read_conll as read_all
    from xner.label_sets import parse_label_set, restrict
    from xner.text import in_matching_form

    label_set = parse_label_set(labels)

    def read_conll(path: Path):
        """Training (or dev) sentences in the target's labels, words in their matching form."""
        return restrict(in_matching_form(read_all(path)), label_set)

    sentences = read_conll(silver)
    if init is not None and not (trainer == "head" or trainer.startswith("head:")):
        raise typer.BadParameter(f"--init starts a head from a trained head: use it with --trainer head, not {trainer!r}")
    if init == "installed":
        from xner.ner.base import installed_head

        init = installed_head()
        if init is None:
            raise typer.BadParameter("--init installed: no English head is installed; run `xner models install "
                                     "--ner-train CONLL` first, or give a head directory")
    if trainer == "spacy":
        from xner.training.spacy_trainer import train_spacy

        if not lang:
            raise typer.BadParameter("the spacy trainer needs the language of the data: --lang es")
        _, report = train_spacy(sentences, lang, output, epochs=epochs, seed=seed, device=device)
    elif trainer.startswith("hf:"):
        from xner.training.transformers_trainer import train_transformers

        report = train_transformers(sentences, trainer[3:], output, epochs=epochs, seed=seed, device=device)
    elif trainer == "head" or trainer.startswith("head:"):
        from xner.training.head_trainer import train_head

        _, _, report = train_head(
            sentences, output, encoder=trainer.partition(":")[2] or "e5", dev=read_conll(dev) if dev else None,
            layers=parse_layers(layers), kind=head, epochs=epochs, seed=seed, log=lambda m: typer.echo(m, err=True),
            device=device, init=init)
    else:
        raise typer.BadParameter(f"unknown trainer {trainer!r}: use spacy, hf:MODEL or head[:ENCODER]")
    in_set = f" (the label set {label_set})" if label_set is not None else ""
    typer.echo(f"trained on {report.sentences} sentences, {report.epochs} epochs, {report.seconds:.1f}s, "
               f"labels {', '.join(report.labels)}{in_set} -> {output}", err=True)



def parse_layers(text: str) -> tuple[int, ...]:
    """``"1-12"``, ``"8"`` or ``"6,8,10"`` as layer numbers."""
    layers: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.partition("-")
            layers += range(int(first), int(last or first) + 1)
    except ValueError:
        raise typer.BadParameter(f"--layers {text!r}: write e.g. 1-12, 8 or 6,8,10") from None
    if not layers or min(layers) < 1:
        raise typer.BadParameter(f"--layers {text!r}: layers are numbered from 1")
    return tuple(layers)


def scale_cli(
    out_dir: Annotated[Path, typer.Option(help="Where the CSV, the plots and summary.md go.")] = Path("docs/scaling"),
    data: Annotated[Path, typer.Option(help="The shared data folder (the default study: CoNLL en → es, DeepL).")] = Path("../shared/data"),
    source: Annotated[str | None, typer.Option(help="Source corpus: labelled, a CoNLL file or hub:NAME[/CONFIG]:SPLIT (default: DATA/conll/en.train.conll); or untagged, the source side of a parallel corpus, one sentence a line (raw or tokenized), which --ner tags.")] = None,
    translations: Annotated[Path | None, typer.Option(help="Its translations, one sentence a line (raw or tokenized, see --tokenize).")] = None,
    ner: Annotated[str | None, typer.Option(help="NER that tags an untagged --source (head:DIR, hf:MODEL or spacy:MODEL; default: the installed English head, else spaCy small); also the model-transfer line, applied to the target test set zero-shot.")] = None,
    labels: options.Labels = None,
    tokenize: options.Tokenize = "auto",
    test: Annotated[str | None, typer.Option(help="Gold target test set: CoNLL file or hub id (e.g. hub:wikiann/es:test).")] = None,
    dev: Annotated[str | None, typer.Option(help="Gold target dev set, where the filter threshold is chosen ('none': no dev).")] = None,
    gold_train: Annotated[str | None, typer.Option(help="Gold target training data for the upper-bound curve ('none': skip).")] = None,
    lang: Annotated[str, typer.Option(help="Target language (span finishing; spaCy trainer).")] = "es",
    grid: Annotated[str, typer.Option(help="Comma-separated N values (parallel sentences); all: the whole corpus.")] = "1000,4000,14041",
    methods: Annotated[str, typer.Option(help="Projection methods, comma-separated.")] = "heuristic,ngram",
    filtered: Annotated[str | None, typer.Option(help="Method whose projections are also filtered by score ('' for none).")] = "ngram",
    thresholds: Annotated[str, typer.Option(help="Filter thresholds: drop sentences whose weakest chosen candidate scores below t.")] = "0.5,0.8,1.0",
    seeds: Annotated[str, typer.Option(help="Seeds, comma-separated, used at every N.")] = "0,1,2",
    trainer: Annotated[str, typer.Option(help="head (frozen offline e5 features, default), head:ENCODER or spacy.")] = "head",
    head: Annotated[str, typer.Option(help="Head network: bilstm, bilstm-crf, linear or linear-crf (head trainer).")] = "bilstm",
    layers: Annotated[str, typer.Option(help="Encoder layers the head mixes, e.g. 1-12 (head trainer).")] = "1-12",
    hidden: Annotated[int, typer.Option(help="BiLSTM width (head trainer).")] = 64,
    epochs: Annotated[int, typer.Option(help="Training epochs per model.")] = 4,
    derived_labels: Annotated[str, typer.Option(help="Labels for derived forms of names ('español' from 'Spain') as the target test set's guidelines want: LOC=O,ORG=O,MISC=O leaves them unlabelled (CoNLL-2002 Spanish, the default), LOC=MISC,ORG=MISC labels them MISC (German CoNLL, Europarl).")] = "LOC=O,ORG=O,MISC=O",
    transfer: Annotated[bool, typer.Option(help="Model-transfer line, applied zero-shot to the target test set: the head trained on a labelled source corpus, or, for an untagged --source, the --ner itself.")] = True,
    with_source: Annotated[bool, typer.Option(help="Also train on the filtered method's projections together with the source sentences they came from (curve METHOD+source; head trainer).")] = True,
    warm: Annotated[bool, typer.Option(help="Also train on the filtered method's projections starting from the --ner head (model transfer, then the silver data: curve METHOD+warm; an untagged --source whose --ner is a head).")] = False,
    test_limit: Annotated[int | None, typer.Option(help="Score on the first N test sentences only.")] = None,
    cache: Annotated[Path | None, typer.Option(help="Cache folder for alignments and features (default: XNER_HOME).")] = None,
    threads: Annotated[int | None, typer.Option(help="torch CPU threads for training (a busy machine: 1).")] = None,
    workers: Annotated[int, typer.Option(help="Heads trained at once, each on one CPU thread in a forked process (e.g. the number of cores).")] = 1,
    resume: Annotated[bool, typer.Option(help="Keep the models already in OUT_DIR/scaling.csv (same settings), e.g. to extend the grid.")] = False,
    curves: Annotated[str | None, typer.Option(help="Train only these curves, comma-separated (e.g. gold,ngram-t1), to split a sweep across processes.")] = None,
    merge: Annotated[list[Path] | None, typer.Option(help="Train nothing: merge these scaling.csv files into OUT_DIR (CSV, plots, summary.md).")] = None,
) -> None:
    """Run the scaling sweep: F1 and cost per stage against N, over seeds (CSV, PNG, summary.md)."""
    from xner.alignment.embedding import EmbeddingAligner
    from xner.scaling import ALL_LAYERS, SweepConfig, merge_csvs, run_sweep, write_report

    if merge:
        rows = merge_csvs(merge)
        write_report(rows, out_dir)
        typer.echo(f"{len(rows)} models from {len(merge)} files -> {out_dir / 'scaling.csv'}", err=True)
        return

    def optional(value: str | None, default: Path) -> str | Path | None:
        if value is None:
            return default
        return None if value.lower() == "none" else value

    from xner.ner.base import default_source_ner

    source = source or str(data / "conll/en.train.conll")
    untagged = is_untagged(source)
    if ner is not None and not untagged:
        raise typer.BadParameter(f"--ner tags an untagged --source (text, one sentence a line); {source} is labelled")
    if untagged and ner is None:
        ner = default_source_ner()
        options.note(f"note: tagging {source} with {ner} (--ner to choose)")
    try:
        numbers = dict(grid=tuple(EVERY if n.strip() == "all" else int(n) for n in grid.split(",")),
                       seeds=tuple(int(s) for s in seeds.split(",")),
                       thresholds=tuple(float(t) for t in thresholds.split(",")) if thresholds.strip() else ())
    except ValueError:
        raise typer.BadParameter("--grid, --seeds and --thresholds take comma-separated numbers, e.g. 1000,4000 "
                                 "(--grid also all)") from None
    config = SweepConfig(
        source=source, translations=translations or data / "mt/en2es.deepl.train.txt",
        test=test or data / "conll/es.test.conll", dev=optional(dev, data / "conll/es.dev.conll"),
        gold_train=optional(gold_train, data / "conll/es.train.conll"), lang=lang, methods=tuple(methods.split(",")),
        filtered_method=filtered or None, trainer=trainer, head=head, layers=parse_layers(layers), hidden=hidden,
        # the offline e5: every layer extracted (one cache for any mix); another encoder: the layers asked for
        feature_layers=ALL_LAYERS if trainer == "head" else parse_layers(layers),
        epochs=epochs, derived_labels=derived_labels, transfer=transfer, with_source=with_source, warm=warm,
        test_limit=test_limit, cache=cache, threads=threads, workers=workers,
        curves=tuple(curves.split(",")) if curves else None, source_ner=ner if untagged else None, tokenize=tokenize,
        labels=labels, **numbers)
    rows = run_sweep(config, EmbeddingAligner(), out_dir, log=lambda m: typer.echo(m, err=True), resume=resume)
    typer.echo(f"{len(rows)} models trained -> {out_dir / 'scaling.csv'}", err=True)


EVERY = 2**31 - 1  # --grid all: the whole corpus (the study caps N at the corpus size)


def is_untagged(source: str) -> bool:
    """Whether ``--source`` is untagged text (one sentence a line) rather than labelled data."""
    from xner.io.parallel import sniff_format

    path = Path(source)
    return not source.startswith("hub:") and path.is_file() and sniff_format(path) == "text"


def register(app: typer.Typer) -> None:
    app.command("train")(train_cli)
    app.command("scale")(scale_cli)
