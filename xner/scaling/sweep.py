"""The sweep: every training set of the study (per curve, N and seed) built from the
inputs, projections and features, trained, recorded row by row in ``scaling.csv``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from xner.alignment.base import Aligner
from xner.io.datasets import read_labelled
from xner.io.parallel import read_sentences
from xner.scaling.config import Log, SweepConfig, SweepRow
from xner.scaling.data import read_source, warm_head
from xner.scaling.features import FeatureBank, JoinedBank
from xner.scaling.projection import kept_by_score, project_prefixes
from xner.scaling.report import read_csv, write_csv, write_report
from xner.scaling.training import (HeadRunner, Outcome, SpacyRunner, Training, TrainingSet, trained,
                                   zero_shot_transfer)
from xner.types import Sentence


def curve_name(method: str, threshold: float) -> str:
    return f"{method}-t{threshold:g}"


def run_sweep(config: SweepConfig, aligner: Aligner, output_dir: str | Path, log: Log = print,
              progress: Callable[[float], None] | None = None, resume: bool = False) -> list[SweepRow]:
    """Run every training of the study, writing ``scaling.csv`` after each, then the plots and
    ``summary.md``; returns the rows. ``resume``: keep the rows of an earlier run's
    ``scaling.csv`` (same curve, N and seed) instead of training them again, e.g. to extend
    the grid; the caller vouches that the earlier run had the same settings."""
    from xner.label_sets import restrict
    from xner.text import in_matching_form, matching_form

    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)

    def labelled(spec) -> list[Sentence]:
        """A gold set in the target's labels, its words in their matching form."""
        return restrict(in_matching_form(read_labelled(spec)), config.labels)

    if config.labels is not None:
        from xner.label_sets import parse_label_set

        log(f"labels: {parse_label_set(config.labels)} (source, projections, gold training data, test and dev)")
    translations = [matching_form(words) for words in read_sentences(config.translations, tokenize=config.tokenize,
                                                                     log=log)]
    source, tag_at, tagging_bank = read_source(config, len(translations), log)
    test = labelled(config.test)[: config.test_limit]
    dev = labelled(config.dev) if config.dev is not None else None
    gold = labelled(config.gold_train) if config.gold_train is not None else None
    head = config.trainer != "spacy"

    projections = project_prefixes(config, source, translations, aligner, log)
    top = projections.grid[-1]
    runner = (HeadRunner if head else SpacyRunner)(config, test, dev, log)
    silver_bank = gold_bank = source_bank = None
    if head:
        silver_bank = FeatureBank(translations[:top], config.encoder, config.feature_layers, config.cache,
                                  boundaries=projections.grid, block=config.block, log=log)
        if gold is not None:
            # the gold curve trains on at most the grid's largest N: features of the rest would go unused
            gold_bank = FeatureBank([s.words for s in gold[:top]], config.encoder, config.feature_layers, config.cache,
                                    log=log)
        if tagging_bank is not None:
            source_bank = tagging_bank  # the source's features, extracted (and paid for) to tag it
        elif (config.transfer and config.source_ner is None) or config.with_source:
            # transfer trains on all of the source corpus (the best source model there is); +source on its prefix
            sources = source if config.transfer and config.source_ner is None else source[:top]
            source_bank = FeatureBank([s.words for s in sources], config.encoder, config.feature_layers, config.cache,
                                      log=log)

    def features_s(bank: FeatureBank | None, n: int, share: float = 1.0) -> float:
        return bank.seconds_at(n) * share if bank is not None else 0.0

    warm = config.warm and config.filtered_method is not None and warm_head(config) is not None
    if config.warm and head and not warm:
        log("no warm-started curve: it needs an untagged source whose --ner is a head on the study's encoder")
    jobs: list[TrainingSet] = []
    zero_shot = config.transfer and config.source_ner is not None  # the tagger itself is the transfer line
    if head and config.transfer and not zero_shot:
        jobs.append(TrainingSet("transfer", len(source), None, source, range(len(source)), source_bank, 0.0, 0.0,
                                features_s(source_bank, len(source))))
    for n in projections.grid:
        for method, projected in projections.methods.items():
            align_s, project_s = projections.align_at[n], projected.project_at[n]
            jobs.append(TrainingSet(method, n, None, projected.sentences, range(n), silver_bank, align_s, project_s,
                                    features_s(silver_bank, n)))
            if method == config.filtered_method and head and config.with_source:
                # the N projected pairs and the N source sentences they came from, one training set
                joined = projected.sentences[:n] + list(source[:n])
                jobs.append(TrainingSet(f"{method}+source", n, None, joined, range(2 * n),
                                        JoinedBank(silver_bank, source_bank, n), align_s, project_s,
                                        features_s(silver_bank, n) + (0.0 if tagging_bank else features_s(source_bank, n))))
            if method == config.filtered_method and head and warm:
                jobs.append(TrainingSet(f"{method}+warm", n, None, projected.sentences, range(n), silver_bank,
                                        align_s, project_s, features_s(silver_bank, n)))
            if method == config.filtered_method:
                for t in config.thresholds:
                    kept = kept_by_score(projected.weakest, t, n)
                    log(f"{curve_name(method, t)}: {len(kept)} of the first {n} sentences kept")
                    if kept:
                        # a pipeline that filters first extracts features of the kept sentences only
                        jobs.append(TrainingSet(curve_name(method, t), n, t, projected.sentences, kept, silver_bank,
                                                align_s, project_s, features_s(silver_bank, n, len(kept) / n)))
        if gold is not None:
            g = min(n, len(gold))
            if not any(j.curve == "gold" and j.n == g for j in jobs):
                jobs.append(TrainingSet("gold", g, None, gold, range(g), gold_bank, 0.0, 0.0, features_s(gold_bank, g)))

    if config.curves is not None:
        jobs = [job for job in jobs if job.curve in config.curves]
    total = len(jobs) * len(config.seeds)
    wanted = {(job.curve, job.n, seed) for job in jobs for seed in config.seeds}
    earlier_rows = read_csv(output_dir / "scaling.csv") if resume and (output_dir / "scaling.csv").is_file() else []
    done = {(r.curve, r.n, r.seed): r for r in earlier_rows if (r.curve, r.n, r.seed) in wanted}
    if earlier_rows:
        log(f"resuming: {len(done)} of {total} models already trained")
    trainings = [Training(job, seed) for job in jobs for seed in config.seeds]
    found: dict[int, SweepRow] = {k: done[t.data.curve, t.data.n, t.seed] for k, t in enumerate(trainings)
                                  if (t.data.curve, t.data.n, t.seed) in done}
    todo = [k for k in range(len(trainings)) if k not in found]
    before: list[SweepRow] = []  # the zero-shot transfer line, which trains nothing
    if zero_shot and (config.curves is None or "transfer" in config.curves):
        # the zero-shot line is no training (not among ``wanted``): an earlier run's is read back as it is
        earlier = [r for r in earlier_rows if r.curve == "transfer" and r.seed == config.seeds[0]]
        before = earlier[:1] or [zero_shot_transfer(config, len(source), test, log,
                                                    getattr(runner, "test_features", None))]

    def record(k: int, outcome: Outcome) -> None:
        job, seed = trainings[k].data, trainings[k].seed
        tag_s = tag_at.get(job.n, 0.0) if job.curve not in ("gold", "transfer") else 0.0
        scores, dev_f1 = outcome.test, outcome.dev_f1
        found[k] = SweepRow(job.curve, job.n, seed, outcome.sentences, job.threshold, job.align_s, job.project_s,
                            job.features_s, outcome.train_s, scores.f1, scores.precision, scores.recall, dev_f1, tag_s)
        dev_text = "" if dev_f1 is None else f", dev {100 * dev_f1:.1f}"
        log(f"{job.curve} N={job.n} seed={seed}: {outcome.sentences} sentences, F1 {100 * scores.f1:.1f}{dev_text} "
            f"(train {outcome.train_s:.0f}s)")
        write_csv(output_dir / "scaling.csv", before + [found[j] for j in sorted(found)])  # in the order of the study
        if progress is not None:
            progress(len(found) / total)

    for k, outcome in trained(runner, trainings, todo, config.workers if head else 1):
        record(k, outcome)
    rows = before + [found[k] for k in range(len(trainings))]
    write_report(rows, output_dir)
    return rows
