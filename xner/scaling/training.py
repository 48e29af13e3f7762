"""Stage 3: training a model on each training set of the sweep and scoring it on the
target test (and dev) set: heads on gathered features (:class:`HeadRunner`) or spaCy
(:class:`SpacyRunner`), one after another or in forked processes; and the zero-shot
transfer line, where the source NER is applied to the test set as it is."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from xner.errors import ConfigError
from xner.evaluation.metrics import evaluate
from xner.scaling.config import Log, SweepConfig, SweepRow
from xner.scaling.data import head_on_features, tag_from_bank, warm_head
from xner.scaling.features import FeatureBank, JoinedBank
from xner.types import Sentence


@dataclass(frozen=True)
class Scores:
    f1: float
    precision: float
    recall: float


@dataclass(frozen=True)
class TrainingSet:
    """One training set of the sweep: the point of ``curve`` at ``n`` pairs (``threshold``:
    a filtered curve's), the sentences it trains on (``indices`` into ``sentences``) with
    their features (``bank``; None for spaCy), and what the pairs behind it cost before any
    training (alignment and projection cumulative over the prefix, feature extraction)."""

    curve: str
    n: int
    threshold: float | None
    sentences: Sequence[Sentence]
    indices: Sequence[int]
    bank: FeatureBank | JoinedBank | None
    align_s: float
    project_s: float
    features_s: float


@dataclass(frozen=True)
class Training:
    """A training set trained with one seed."""

    data: TrainingSet
    seed: int


@dataclass(frozen=True)
class Outcome:
    """A trained model: how many sentences it trained on, the seconds training took, its
    test scores and its dev F1 (None without a dev set)."""

    sentences: int
    train_s: float
    test: Scores
    dev_f1: float | None


def score(gold: Sequence[Sentence], predicted) -> Scores:
    """P/R/F1 of ``predicted`` entities against the ``gold`` sentences."""
    overall = evaluate([s.entities for s in gold], predicted, [len(s.words) for s in gold]).overall
    return Scores(overall.f1, overall.precision, overall.recall)


class HeadRunner:
    """Trains heads on gathered features and scores them on the target test (and dev) set."""

    def __init__(self, config: SweepConfig, test: Sequence[Sentence], dev: Sequence[Sentence] | None, log: Log):
        self.config = config
        self.test, self.dev = list(test), list(dev or [])
        self.test_features = FeatureBank([s.words for s in self.test], config.encoder, config.feature_layers, config.cache,
                                         log=log)
        self.dev_features = (FeatureBank([s.words for s in self.dev], config.encoder, config.feature_layers, config.cache,
                                         log=log) if self.dev else None)

    def run(self, sentences: Sequence[Sentence], bank: FeatureBank, indices: Sequence[int], seed: int,
            warm: bool = False) -> Outcome:
        """Train one head (``warm``: from the source NER's head, :func:`~xner.scaling.data.warm_head`)
        and score it."""
        from xner.ner.head_tagger import cached_head
        from xner.training.head_trainer import train_head

        indices = [k for k in indices if sentences[k].words]
        chosen = [sentences[k] for k in indices]
        if not chosen:
            raise ConfigError("a training set of the sweep is empty (a threshold too strict, or N too small)")
        init = warm_head(self.config) if warm else None
        layers = cached_head(init)[0].layers if init else self.config.layers
        config, network, report = train_head(
            chosen, encoder=self.config.encoder, layers=layers, feature_layers=layers,
            kind=self.config.head, hidden=self.config.hidden, epochs=self.config.epochs, seed=seed,
            threads=self.config.threads, features=bank.gather(indices, layers), init=init)
        test = self._score(network, config, self.test, self.test_features)
        dev = self._score(network, config, self.dev, self.dev_features).f1 if self.dev else None
        return Outcome(len(chosen), report.head_seconds, test, dev)

    def _score(self, network, head_config, gold: Sequence[Sentence], bank: FeatureBank) -> Scores:
        from xner.io.tags import tags_to_entities
        from xner.ner.head_tagger import predict

        tags = head_config.tags
        features = bank.gather(range(len(gold)), head_config.layers)
        rows = iter(range(len(features)))
        predicted = []
        nonempty = [bool(s.words) for s in gold]
        decoded = predict(network, [features.sentence(k) for k in range(len(features))], tags)
        for has_words in nonempty:
            predicted.append(tuple(tags_to_entities(decoded[next(rows)].tags)) if has_words else ())
        return score(gold, predicted)


class SpacyRunner:
    def __init__(self, config: SweepConfig, test: Sequence[Sentence], dev: Sequence[Sentence] | None, log: Log):
        self.config, self.test, self.dev = config, list(test), list(dev or [])

    def run(self, sentences: Sequence[Sentence], bank, indices: Sequence[int], seed: int,
            warm: bool = False) -> Outcome:
        from xner.training.spacy_trainer import predict_spacy, train_spacy

        chosen = [sentences[k] for k in indices]
        nlp, report = train_spacy(chosen, self.config.lang, epochs=self.config.epochs, seed=seed)
        test = score(self.test, predict_spacy(nlp, [s.words for s in self.test]))
        dev = score(self.dev, predict_spacy(nlp, [s.words for s in self.dev])).f1 if self.dev else None
        return Outcome(len(chosen), report.seconds, test, dev)


def zero_shot_transfer(config: SweepConfig, n: int, test: Sequence[Sentence], log: Log = print,
                       test_features: FeatureBank | None = None) -> SweepRow:
    """The source NER applied to the target test set as it is (model transfer): nothing
    trained, tagging the test set is its cost (``tag_s``). A head on the study's features
    reads the test set's from ``test_features`` (their extraction counted in that cost)."""
    from xner.label_sets import parse_label_set
    from xner.ner.base import build_tagger

    label_set = parse_label_set(config.labels)
    head = head_on_features(config) if test_features is not None else None
    start = time.perf_counter()
    if head is not None:
        found = tag_from_bank(head, test_features, range(len(test)))
        seconds = time.perf_counter() - start + test_features.seconds_at(len(test))
    else:
        nonempty = [k for k, s in enumerate(test) if s.words]
        found = [()] * len(test)
        for k, tagged in zip(nonempty, build_tagger(config.source_ner).tag([test[k].words for k in nonempty])
                             if nonempty else []):
            found[k] = tagged.entities
        seconds = time.perf_counter() - start
    predicted = [entities if label_set is None else label_set.entities(entities) for entities in found]
    scores = score(test, predicted)
    log(f"transfer ({config.source_ner} zero-shot on the target test set): F1 {100 * scores.f1:.1f} ({seconds:.0f}s)")
    return SweepRow("transfer", n, config.seeds[0], 0, None, 0.0, 0.0, 0.0, 0.0, scores.f1, scores.precision,
                    scores.recall, None, seconds)


def _run(runner, training: Training) -> Outcome:
    return runner.run(training.data.sentences, training.data.bank, training.data.indices, training.seed,
                      warm=training.data.curve.endswith("+warm"))


def trained(runner, trainings: Sequence[Training], todo: Sequence[int], workers: int) -> Iterator[tuple[int, Outcome]]:
    """``(k, outcome)`` for every training ``k`` in ``todo``: here one after another, or in
    ``workers`` forked processes at once, each training on one CPU thread. A fork shares the
    features already in memory (nothing is copied or pickled but the outcomes); a training
    is seeded by its own seed, so the outcomes are those of one process, in any order."""
    import multiprocessing
    import queue

    if workers <= 1 or len(todo) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for k in todo:
            yield k, _run(runner, trainings[k])
        return
    context = multiprocessing.get_context("fork")
    tasks, results = context.Queue(), context.Queue()
    # the runner and the trainings reach each process as arguments of the fork: inherited, never pickled
    processes = [context.Process(target=_work, args=(runner, trainings, tasks, results), daemon=True)
                 for _ in range(min(workers, len(todo)))]
    for process in processes:
        process.start()
    for k in [*todo, *[None] * len(processes)]:  # None: no more work
        tasks.put(k)
    try:
        for _ in todo:
            while True:
                try:
                    k, outcome, error = results.get(timeout=1.0)
                    break
                except queue.Empty:
                    # a process that died (killed, out of memory) took its training with it, and may have
                    # left a lock of the queue taken: stop rather than wait for ever
                    if any(process.exitcode not in (None, 0) for process in processes) or not any(
                            process.is_alive() for process in processes):
                        raise RuntimeError("a training process stopped before every model was trained "
                                           "(killed?); the models trained so far are in scaling.csv: run again "
                                           "with --resume") from None
            if error is not None:
                raise error
            yield k, outcome
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


def _work(runner, trainings: Sequence[Training], tasks, results) -> None:
    """A forked training process: one CPU thread, trainings by number until told to stop."""
    import torch

    torch.set_num_threads(1)
    runner.config = replace(runner.config, threads=None)  # this process's copy of the runner
    while (k := tasks.get()) is not None:
        try:
            results.put((k, _run(runner, trainings[k]), None))
        except Exception as error:  # noqa: BLE001 - raised again in the parent, as a pool would
            results.put((k, None, error))
            return
