"""The scaling study: how do quality and cost of projection scale with parallel data?

A labelled source corpus and its translations are aligned once (each prefix timed), the
source entities are projected with each method, and a target-language NER model is
trained on the projections of the first N pairs, over several seeds at every N, and
scored on a gold target test set. The default model is a head on frozen multilingual
encoder features (:mod:`xner.training.head_trainer`): the features of every translated
sentence are extracted once (in cached blocks, each timed) and gathered for each
training set, so a training costs only the head. ``trainer="spacy"`` trains spaCy's CNN
instead.

Curves:

- one per projection method (``heuristic``, ``ngram``);
- ``ngram-t0.5`` …: the n-gram projections of the first N pairs without the sentences
  whose weakest chosen candidate scores below ``t`` (an unprojected entity scores 0), so
  the filter spends the same alignment on fewer, cleaner sentences; every model is also
  scored on the target dev set, where the threshold is chosen (never on test);
- ``ngram+source`` (the filtered method's name + ``+source``): the projections of the first
  N pairs together with the N labelled source sentences they were projected from — the
  usual translate-train set-up, one multilingual model trained on both languages;
- ``gold``: gold target training sentences (the upper bound);
- ``transfer``: the head trained on the gold source corpus and applied to the target
  test set as it is (zero-shot model transfer), drawn as a horizontal line.

Every row records the seconds of each stage (tag, align, project, features, train) so that
F1 can be set against compute. Inputs are files or hub datasets (``hub:NAME[/CONFIG]:SPLIT``,
e.g. ``hub:wikiann/es:test``).

For a language nobody annotated, the source can be the English side of an untagged parallel
corpus, one sentence a line (``source_ner``; read as ``tokenize`` says): it is tagged by that
NER prefix by prefix (each timed, cached), and the ``transfer`` line is then that NER applied
to the target test set zero-shot (the head is multilingual), no model trained. A label set
(``labels``, :mod:`xner.label_sets`) puts everything in the target's labels: source entities,
projections, gold training data and the test and dev sets, which are then scored on those
labels only. Words are compared in one Unicode form (:func:`xner.text.matching_form`).
"""

from __future__ import annotations

import csv
import json
import functools
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from xner.alignment.base import Aligner
from xner.corpus import align_nonempty, project_aligned
from xner.errors import ConfigError, count_mismatch
from xner.evaluation.metrics import evaluate
from xner.io.datasets import read_hub, read_labelled  # noqa: F401  (the study's inputs; read_labelled re-exported)
from xner.io.parallel import read_sentences
from xner.projection.base import build_projector
from xner.projection.confidence import weakest_choice
from xner.projection.labels import parse_derived_labels
from xner.types import ProjectionResult, Sentence, SentencePair

DEFAULT_GRID = (1000, 4000, 14041)
DEFAULT_THRESHOLDS = (0.5, 0.8, 1.0)
ALL_LAYERS = tuple(range(1, 13))
Log = Callable[[str], None]


@dataclass(frozen=True)
class SweepConfig:
    """What to sweep. ``source``, ``test``, ``gold_train`` and ``dev`` are CoNLL paths or hub ids."""

    source: str | Path
    translations: Path
    test: str | Path
    gold_train: str | Path | None = None
    dev: str | Path | None = None
    lang: str = "es"
    grid: tuple[int, ...] = DEFAULT_GRID
    methods: tuple[str, ...] = ("heuristic", "ngram")
    filtered_method: str | None = "ngram"
    thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS
    seeds: tuple[int, ...] = (0, 1, 2)
    trainer: str = "head"  # head, head:ENCODER or spacy
    head: str = "bilstm"  # chosen on English dev (docs/SCALING.md)
    layers: tuple[int, ...] = ALL_LAYERS  # the layers the head mixes (all 12: chosen on Spanish dev)
    feature_layers: tuple[int, ...] = ALL_LAYERS  # the layers extracted and cached (a superset)
    hidden: int = 64
    epochs: int = 4  # chosen on Spanish dev
    # the target guidelines' derived forms: CoNLL-2002 Spanish leaves "español", "europeo" unlabelled (chosen on
    # Spanish dev); None: xner's default (LOC/ORG -> MISC, as German CoNLL and Europarl label them)
    derived_labels: str | None = "LOC=O,ORG=O,MISC=O"
    transfer: bool = True
    with_source: bool = True  # the filtered method's projections + their source sentences, one curve (head trainer)
    # the filtered method's projections trained from the source NER's head (model transfer, then the silver data):
    # curve METHOD+warm, when the source NER is a head on the study's encoder (an untagged source). Off by default:
    # on Hausa dev it scored below a head from scratch (docs/SCALING.md), at several times the training cost
    warm: bool = False
    test_limit: int | None = None
    cache: Path | None = None  # alignments/ and features/ are cached under it; None: $XNER_HOME
    block: int = 1000  # translations are encoded (and cached) in blocks of this many sentences
    threads: int | None = None
    workers: int = 1  # heads trained at once, each on one thread, in forked processes (POSIX)
    curves: tuple[str, ...] | None = None  # train only these curves (None: all), to split a sweep across processes
    source_ner: str | None = None  # the source is untagged text (one sentence a line), tagged by this NER
    tokenize: str = "no"  # how text files (translations, an untagged source) are read: auto, yes or no
    labels: str | None = None  # the target's label set (xner.label_sets); None: every label as it comes

    @classmethod
    def from_shared(cls, data: Path, **overrides) -> SweepConfig:
        """The default study: English CoNLL-2003 → Spanish (DeepL), scored on CoNLL-2002 Spanish."""
        defaults = dict(source=data / "conll/en.train.conll", translations=data / "mt/en2es.deepl.train.txt",
                        test=data / "conll/es.test.conll", gold_train=data / "conll/es.train.conll",
                        dev=data / "conll/es.dev.conll")
        return cls(**{**defaults, **overrides})

    @property
    def encoder(self) -> str:
        return self.trainer.partition(":")[2] or "e5"

    def __post_init__(self) -> None:
        if self.trainer != "spacy" and self.trainer != "head" and not self.trainer.startswith("head:"):
            raise ConfigError(f"unknown trainer {self.trainer!r} for the scaling study: use head, head:ENCODER or spacy")
        if not self.grid or min(self.grid) < 1:
            raise ConfigError(f"grid {self.grid}: give positive numbers of sentences, e.g. 1000,4000,14041")
        if not self.seeds:
            raise ConfigError("give at least one seed")
        if not set(self.layers) <= set(self.feature_layers):
            raise ConfigError(f"layers {self.layers} are not all among the extracted layers {self.feature_layers}")
        parse_derived_labels(self.derived_labels)  # a malformed mapping fails here, before any alignment
        if self.workers < 1:
            raise ConfigError(f"workers {self.workers}: train at least one head at a time")
        if self.filtered_method and self.filtered_method not in self.methods:
            raise ConfigError(f"filtered method {self.filtered_method!r} is not among the methods {self.methods}")
        from xner.io.parallel import check_tokenize
        from xner.label_sets import parse_label_set

        check_tokenize(self.tokenize)
        parse_label_set(self.labels)  # a bad label set fails before any alignment


@dataclass(frozen=True)
class SweepRow:
    """One trained model. Stage seconds are what the N pairs behind it cost: alignment and
    projection (cumulative over the prefix), feature extraction (of the sentences it trained
    on) and training. ``sentences`` is how many it trained on (fewer than ``n`` when filtered)."""

    curve: str
    n: int
    seed: int
    sentences: int
    threshold: float | None
    align_s: float
    project_s: float
    features_s: float
    train_s: float
    f1: float
    precision: float
    recall: float
    dev_f1: float | None
    tag_s: float = 0.0  # tagging the untagged source (cumulative over the prefix); for transfer, the test set

    @property
    def cost_s(self) -> float:
        return self.tag_s + self.align_s + self.project_s + self.features_s + self.train_s


# ---------------------------------------------------------------- inputs


# ---------------------------------------------------------------- projection and filtering


def kept_by_score(scores: Sequence[float], threshold: float, n: int | None = None) -> list[int]:
    """Indices (among the first ``n``) whose weakest chosen candidate scores at least ``threshold``."""
    return [k for k, score in enumerate(scores[:n]) if score >= threshold]


@dataclass
class Projected:
    sentences: list[Sentence]
    weakest: list[float]
    project_at: dict[int, float] = field(default_factory=dict)  # N -> cumulative projection seconds


@dataclass
class Projections:
    methods: dict[str, Projected]
    align_at: dict[int, float]  # N -> cumulative alignment seconds
    grid: tuple[int, ...]


def project_prefixes(config: SweepConfig, source: Sequence[Sentence], translations: Sequence[Sequence[str]],
                     aligner: Aligner, log: Log = print) -> Projections:
    """Align and project the corpus prefix by prefix, timing the cumulative cost at each N."""
    top = min(max(config.grid), len(source))
    grid = tuple(sorted({min(n, top) for n in config.grid}))
    from xner.label_sets import parse_label_set

    label_set = parse_label_set(config.labels)
    projectors = {m: build_projector(m, trim_stop_words=config.lang, derived_labels=config.derived_labels)
                  for m in config.methods}
    methods = {m: Projected([], []) for m in config.methods}
    align_total, align_at = 0.0, {}
    project_total = {m: 0.0 for m in config.methods}
    previous = 0
    for n in grid:
        pairs = [(source[k].words, tuple(translations[k])) for k in range(previous, n)]
        alignments, seconds = cached_alignments(pairs, aligner, config.cache)
        align_total += seconds
        align_at[n] = align_total
        chunk = [SentencePair(source[k].words, tuple(translations[k]), source[k].entities, alignment=alignment)
                 for k, alignment in zip(range(previous, n), alignments)]
        for method, projector in projectors.items():
            start = time.perf_counter()
            # the pairs added at this N: what they teach stays with them
            for pair, result in project_aligned(projector, chunk, label_set=label_set):
                methods[method].sentences.append(Sentence(pair.target_words, result.entities))
                methods[method].weakest.append(weakest_choice(result, len(pair.source_entities)))
            project_total[method] += time.perf_counter() - start
            methods[method].project_at[n] = project_total[method]
        log(f"aligned and projected {n} pairs ({align_total:.0f}s aligning)")
        previous = n
    return Projections(methods, align_at, grid)


def cached_alignments(pairs: Sequence[tuple[Sequence[str], Sequence[str]]], aligner: Aligner,
                      cache: Path | None = None) -> tuple[list, float]:
    """Alignments of ``pairs`` and the seconds they took, read back from
    ``CACHE/alignments`` when this aligner (same settings) aligned the same pairs before."""
    import hashlib

    from xner.io.talp import read_talp, write_talp

    root = _cache_root(cache) / "alignments"
    digest = hashlib.sha256(repr(aligner).encode())
    for source, target in pairs:
        digest.update("\x1f".join(source).encode() + b"\x1d" + "\x1f".join(target).encode() + b"\x1e")
    path = root / f"{digest.hexdigest()[:24]}.talp"
    record = path.with_suffix(".json")
    if record.exists() and path.exists():
        alignments = read_talp(path)
        if len(alignments) == len(pairs):
            return alignments, float(json.loads(record.read_text())["seconds"])
    start = time.perf_counter()
    alignments = align_nonempty(pairs, aligner)
    seconds = time.perf_counter() - start
    root.mkdir(parents=True, exist_ok=True)
    write_talp(path, alignments)
    record.write_text(json.dumps({"aligner": repr(aligner), "pairs": len(pairs), "seconds": seconds}))
    return alignments, seconds


# ---------------------------------------------------------------- features


def _cache_root(cache: Path | None) -> Path:
    from xner.models.e5_convert import xner_home

    return xner_home() if cache is None else Path(cache)


def _timed_features(words: Sequence[Sequence[str]], encoder: str, layers: tuple[int, ...], cache, log: Log):
    """Features of ``words`` and the seconds their extraction took (as recorded in the cache
    when they were extracted by an earlier run; NaN when that run did not record it)."""
    from xner.models.encoder import resolve_model
    from xner.ner.features import _cache_key, extract_features

    root = _cache_root(cache) / "features"
    done = root / _cache_key(resolve_model(encoder), layers, words) / "done.json"
    cached = done.exists()
    start = time.perf_counter()
    features = extract_features(words, encoder, layers, cache=root, log=log)
    seconds = time.perf_counter() - start
    if cached:
        seconds = float(json.loads(done.read_text()).get("seconds", math.nan))
    return features, seconds


class FeatureBank:
    """The features of one corpus, extracted once (in cached blocks) and gathered per training set.

    ``seconds_at(n)`` is the extraction time of the first ``n`` sentences (blocks summed,
    the last one pro rata)."""

    def __init__(self, words: Sequence[Sequence[str]], encoder: str, layers: tuple[int, ...], cache=None,
                 boundaries: Sequence[int] = (), block: int | None = None, log: Log = print) -> None:
        self.words = [tuple(w) for w in words]
        cuts = {0, len(self.words), *(b for b in boundaries if 0 < b < len(self.words))}
        if block:
            cuts |= set(range(0, len(self.words), block))
        cuts = sorted(cuts)
        self.layers = layers
        self.blocks: list[tuple[int, int, np.ndarray, np.ndarray, float]] = []  # first, last, vectors, offsets, s
        self.index: list[tuple[int, int]] = [(-1, -1)] * len(self.words)  # sentence -> (block, row) of non-empty
        for first, last in zip(cuts, cuts[1:]):
            nonempty = [k for k in range(first, last) if self.words[k]]
            if nonempty:
                features, seconds = _timed_features([self.words[k] for k in nonempty], encoder, layers, cache, log)
                vectors, offsets = features.vectors, features.offsets
            else:
                vectors, offsets, seconds = np.zeros((0, len(layers), 1), np.float16), np.zeros(1, np.int64), 0.0
            for row, k in enumerate(nonempty):
                self.index[k] = (len(self.blocks), row)
            self.blocks.append((first, last, vectors, offsets, seconds))
            log(f"features: {last}/{len(self.words)} sentences ({seconds:.0f}s for this block)")

    def seconds_at(self, n: int) -> float:
        total = 0.0
        for first, last, *_, seconds in self.blocks:
            if first >= n:
                break
            total += seconds * (min(n, last) - first) / (last - first)
        return total

    def gather(self, indices: Sequence[int], layers: Sequence[int] | None = None):
        """``WordFeatures`` of the non-empty sentences among ``indices`` (in order), in memory."""
        from xner.ner.features import WordFeatures

        layers = tuple(layers or self.layers)
        columns = [self.layers.index(layer) for layer in layers]
        parts, lengths = [], []
        for k in indices:
            block, row = self.index[k]
            if block < 0:
                continue
            _, _, vectors, offsets, _ = self.blocks[block]
            part = vectors[offsets[row] : offsets[row + 1]]
            parts.append(part if columns == list(range(len(self.layers))) else part[:, columns])
            lengths.append(len(part))
        offsets = np.zeros(len(lengths) + 1, np.int64)
        offsets[1:] = np.cumsum(lengths)
        if parts:
            vectors = np.concatenate(parts).astype(np.float16, copy=False)
        else:
            vectors = np.zeros((0, len(layers), 1), np.float16)
        return WordFeatures(np.ascontiguousarray(vectors), offsets, layers)


class JoinedBank:
    """Two feature banks read as one: index ``k`` is ``first``'s sentence ``k`` below
    ``split``, ``second``'s sentence ``k - split`` from there on."""

    def __init__(self, first: FeatureBank, second: FeatureBank, split: int) -> None:
        self.first, self.second, self.split = first, second, split

    def gather(self, indices: Sequence[int], layers: Sequence[int] | None = None):
        from xner.ner.features import WordFeatures

        # the order of ``indices`` is kept (the trainer pairs features with sentences by position)
        runs: list[tuple[FeatureBank, list[int]]] = []
        for k in indices:
            bank, local = (self.first, k) if k < self.split else (self.second, k - self.split)
            if runs and runs[-1][0] is bank:
                runs[-1][1].append(local)
            else:
                runs.append((bank, [local]))
        parts = [bank.gather(chunk, layers) for bank, chunk in runs]
        if not parts:
            return self.first.gather([], layers)
        offsets = [np.zeros(1, np.int64)]
        for part in parts:
            offsets.append(part.offsets[1:] + offsets[-1][-1])
        return WordFeatures(np.ascontiguousarray(np.concatenate([p.vectors for p in parts])), np.concatenate(offsets),
                            parts[0].layers)


# ---------------------------------------------------------------- training and scoring


@dataclass(frozen=True)
class Scores:
    f1: float
    precision: float
    recall: float


def _score(gold: Sequence[Sentence], predicted) -> Scores:
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
            warm: bool = False):
        """Train one head (``warm``: from the source NER's head, :func:`warm_head`) and score it."""
        from xner.training.head_trainer import train_head

        indices = [k for k in indices if sentences[k].words]
        chosen = [sentences[k] for k in indices]
        if not chosen:
            raise ConfigError("a training set of the sweep is empty (a threshold too strict, or N too small)")
        init = warm_head(self.config) if warm else None
        layers = load_head_config(init).layers if init else self.config.layers
        config, network, report = train_head(
            chosen, encoder=self.config.encoder, layers=layers, feature_layers=layers,
            kind=self.config.head, hidden=self.config.hidden, epochs=self.config.epochs, seed=seed,
            threads=self.config.threads, features=bank.gather(indices, layers), init=init)
        test = self._score(network, config, self.test, self.test_features)
        dev = self._score(network, config, self.dev, self.dev_features).f1 if self.dev else None
        return len(chosen), report.head_seconds, test, dev

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
        return _score(gold, predicted)


class SpacyRunner:
    def __init__(self, config: SweepConfig, test: Sequence[Sentence], dev: Sequence[Sentence] | None, log: Log):
        self.config, self.test, self.dev = config, list(test), list(dev or [])

    def run(self, sentences: Sequence[Sentence], bank, indices: Sequence[int], seed: int, warm: bool = False):
        from xner.training.spacy_trainer import predict_spacy, train_spacy

        chosen = [sentences[k] for k in indices]
        nlp, report = train_spacy(chosen, self.config.lang, epochs=self.config.epochs, seed=seed)
        test = _score(self.test, predict_spacy(nlp, [s.words for s in self.test]))
        dev = _score(self.dev, predict_spacy(nlp, [s.words for s in self.dev])).f1 if self.dev else None
        return len(chosen), report.seconds, test, dev


# ---------------------------------------------------------------- the sweep


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
    # (curve, n, threshold, sentences, indices, bank, align_s, project_s, features_s)
    jobs: list[tuple] = []
    zero_shot = config.transfer and config.source_ner is not None  # the tagger itself is the transfer line
    if head and config.transfer and not zero_shot:
        jobs.append(("transfer", len(source), None, source, range(len(source)), source_bank, 0.0, 0.0,
                     features_s(source_bank, len(source))))
    for n in projections.grid:
        for method, projected in projections.methods.items():
            align_s, project_s = projections.align_at[n], projected.project_at[n]
            jobs.append((method, n, None, projected.sentences, range(n), silver_bank, align_s, project_s,
                         features_s(silver_bank, n)))
            if method == config.filtered_method and head and config.with_source:
                # the N projected pairs and the N source sentences they came from, one training set
                joined = projected.sentences[:n] + list(source[:n])
                jobs.append((f"{method}+source", n, None, joined, range(2 * n), JoinedBank(silver_bank, source_bank, n),
                             align_s, project_s,
                             features_s(silver_bank, n) + (0.0 if tagging_bank else features_s(source_bank, n))))
            if method == config.filtered_method and head and warm:
                jobs.append((f"{method}+warm", n, None, projected.sentences, range(n), silver_bank, align_s, project_s,
                             features_s(silver_bank, n)))
            if method == config.filtered_method:
                for t in config.thresholds:
                    kept = kept_by_score(projected.weakest, t, n)
                    log(f"{curve_name(method, t)}: {len(kept)} of the first {n} sentences kept")
                    if kept:
                        # a pipeline that filters first extracts features of the kept sentences only
                        jobs.append((curve_name(method, t), n, t, projected.sentences, kept, silver_bank, align_s,
                                     project_s, features_s(silver_bank, n, len(kept) / n)))
        if gold is not None:
            g = min(n, len(gold))
            if not any(j[0] == "gold" and j[1] == g for j in jobs):
                jobs.append(("gold", g, None, gold, range(g), gold_bank, 0.0, 0.0, features_s(gold_bank, g)))

    if config.curves is not None:
        jobs = [job for job in jobs if job[0] in config.curves]
    total = len(jobs) * len(config.seeds)
    wanted = {(job[0], job[1], seed) for job in jobs for seed in config.seeds}
    done = {}
    if resume and (output_dir / "scaling.csv").is_file():
        done = {(r.curve, r.n, r.seed): r for r in read_csv(output_dir / "scaling.csv")
                if (r.curve, r.n, r.seed) in wanted}
        log(f"resuming: {len(done)} of {total} models already trained")
    trainings = [(job, seed) for job in jobs for seed in config.seeds]
    found: dict[int, SweepRow] = {k: done[job[0], job[1], seed] for k, (job, seed) in enumerate(trainings)
                                  if (job[0], job[1], seed) in done}
    todo = [k for k in range(len(trainings)) if k not in found]
    before: list[SweepRow] = []  # the zero-shot transfer line, which trains nothing
    if zero_shot and (config.curves is None or "transfer" in config.curves):
        earlier = [r for (curve, _, seed), r in done.items() if curve == "transfer" and seed == config.seeds[0]]
        before = earlier[:1] or [zero_shot_transfer(config, len(source), test, log,
                                                    getattr(runner, "test_features", None))]

    def record(k: int, outcome: tuple) -> None:
        (curve, n, threshold, _, _, _, align_s, project_s, feature_s), seed = trainings[k]
        trained, train_s, scores, dev_f1 = outcome
        tag_s = tag_at.get(n, 0.0) if curve not in ("gold", "transfer") else 0.0
        found[k] = SweepRow(curve, n, seed, trained, threshold, align_s, project_s, feature_s, train_s,
                            scores.f1, scores.precision, scores.recall, dev_f1, tag_s)
        dev_text = "" if dev_f1 is None else f", dev {100 * dev_f1:.1f}"
        log(f"{curve} N={n} seed={seed}: {trained} sentences, F1 {100 * scores.f1:.1f}{dev_text} "
            f"(train {train_s:.0f}s)")
        write_csv(output_dir / "scaling.csv", before + [found[j] for j in sorted(found)])  # in the order of the study
        if progress is not None:
            progress(len(found) / total)

    for k, outcome in _trained(runner, trainings, todo, config.workers if head else 1):
        record(k, outcome)
    rows = before + [found[k] for k in range(len(trainings))]
    write_report(rows, output_dir)
    return rows


def head_on_features(config: SweepConfig):
    """``(head config, network)`` when the source NER is a head that reads the features the
    study extracts anyway (the same encoder, its layers among those extracted): it then tags
    from them, instead of encoding the same sentences a second time; else ``None``."""
    if not (config.source_ner or "").startswith("head:"):
        return None
    from xner.models.encoder import resolve_model
    from xner.ner.head_tagger import cached_head

    head = cached_head(config.source_ner[5:])
    same = resolve_model(head[0].encoder) == resolve_model(config.encoder)
    return head if same and set(head[0].layers) <= set(config.feature_layers) else None


def warm_head(config: SweepConfig) -> str | None:
    """The source NER's head directory, where the warm-started curve can start from it: an
    untagged source tagged by a head on the study's encoder (:func:`head_on_features`)."""
    if config.source_ner is None or head_on_features(config) is None:
        return None
    return config.source_ner[5:]


def load_head_config(directory: str):
    from xner.ner.head_tagger import cached_head

    return cached_head(directory)[0]


def tag_from_bank(head, bank: FeatureBank, indices: Sequence[int]) -> list[tuple]:
    """The entities ``head`` (from :func:`head_on_features`) finds in sentences ``indices`` of
    ``bank``, decoded as :class:`xner.ner.head_tagger.HeadTagger` decodes them."""
    from xner.io.tags import tags_to_entities
    from xner.ner.head_tagger import predict

    head_config, network = head
    indices = list(indices)
    features = bank.gather(indices, head_config.layers)  # the non-empty sentences, in order
    decoded = iter(predict(network, [features.sentence(i) for i in range(len(features))], head_config.tags))
    return [tuple(tags_to_entities(next(decoded).tags)) if bank.words[k] else () for k in indices]


def read_source(config: SweepConfig, pairs: int, log: Log = print, grid: Sequence[int] | None = None
                ) -> tuple[list[Sentence], dict[int, float], FeatureBank | None]:
    """The labelled source sentences (in the target's labels, words in their matching form);
    for an untagged source also the cumulative seconds its NER took to tag each prefix of the
    grid (only as far as the grid reaches) and, where the NER is a head on the study's features
    (:func:`head_on_features`), the feature bank it read (features extracted once, paid for as
    tagging); ``pairs``: how many translations there are."""
    from xner.label_sets import restrict
    from xner.text import in_matching_form, matching_form

    if config.source_ner is None:
        source = restrict(in_matching_form(read_labelled(config.source)), config.labels)
        if len(source) != pairs:
            raise count_mismatch("source and translations", (str(config.source), len(source)),
                                 (str(config.translations), pairs))
        return source, {}, None
    from xner.ner.base import build_tagger

    words = [matching_form(w) for w in read_sentences(config.source, tokenize=config.tokenize, log=log, lang="en")]
    if len(words) != pairs:
        raise count_mismatch("parallel files", (str(config.source), len(words)), (str(config.translations), pairs))
    top = min(max(config.grid), len(words))
    grid = sorted({min(n, top) for n in config.grid})
    head = head_on_features(config)
    bank = tagger = None
    if head is not None:  # blocks cut as the translations' are, so each prefix's seconds are known
        bank = FeatureBank(words[:top], config.encoder, config.feature_layers, config.cache, boundaries=grid,
                           block=config.block, log=log)
    else:
        tagger = build_tagger(config.source_ner)
    sentences: list[Sentence] = []
    tag_at: dict[int, float] = {}
    total, previous = 0.0, 0
    for n in grid:
        if bank is not None:
            entities, seconds = cached_tags(words[previous:n], config.source_ner,
                                            functools.partial(tag_from_bank, head, bank, range(previous, n)),
                                            config.cache)
            total += seconds
            tag_at[n] = total + bank.seconds_at(n)
        else:
            entities, seconds = cached_tags(words[previous:n], config.source_ner,
                                            functools.partial(tag_words, tagger, words[previous:n]), config.cache)
            total += seconds
            tag_at[n] = total
        sentences += [Sentence(w, e) for w, e in zip(words[previous:n], entities)]
        log(f"tagged {n} source sentences with {config.source_ner} ({tag_at[n]:.0f}s tagging)")
        previous = n
    return restrict(sentences, config.labels), tag_at, bank


def tag_words(tagger, sentences: Sequence[Sequence[str]]) -> list[tuple]:
    """The entities ``tagger`` finds in each of ``sentences`` (none in an empty one)."""
    nonempty = [k for k, words in enumerate(sentences) if words]
    entities: list[tuple] = [()] * len(sentences)
    for k, tagged in zip(nonempty, tagger.tag([tuple(sentences[k]) for k in nonempty]) if nonempty else []):
        entities[k] = tagged.entities
    return entities


def cached_tags(sentences: Sequence[Sequence[str]], spec: str, tag: Callable[[], list[tuple]],
                cache: Path | None = None):
    """The entities the NER ``spec`` finds in ``sentences`` (``tag()`` finds them, in order) and
    the seconds it took, read back from ``CACHE/tagged`` when the same model tagged the same
    sentences before (a head is known by its configuration file, so a retrained one tags again)."""
    import hashlib

    from xner.types import Entity

    digest = hashlib.sha256(spec.encode())
    if spec.startswith("head:"):
        from xner.ner.head_model import CONFIG_FILE

        config = Path(spec[5:]) / CONFIG_FILE
        digest.update(config.read_bytes() if config.is_file() else b"")
    for words in sentences:
        digest.update("\x1f".join(words).encode() + b"\x1e")
    path = _cache_root(cache) / "tagged" / f"{digest.hexdigest()[:24]}.json"
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
        if len(stored["entities"]) == len(sentences):
            return [tuple(Entity(*e) for e in found) for found in stored["entities"]], float(stored["seconds"])
    start = time.perf_counter()
    entities = tag()
    seconds = time.perf_counter() - start
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"model": spec, "seconds": seconds,
                                "entities": [[[e.start, e.end, e.label] for e in found] for found in entities]}),
                    encoding="utf-8")
    return entities, seconds


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
    scores = _score(test, predicted)
    log(f"transfer ({config.source_ner} zero-shot on the target test set): F1 {100 * scores.f1:.1f} ({seconds:.0f}s)")
    return SweepRow("transfer", n, config.seeds[0], 0, None, 0.0, 0.0, 0.0, 0.0, scores.f1, scores.precision,
                    scores.recall, None, seconds)


_FORKED: tuple | None = None  # (runner, trainings), inherited by the forked training processes


def _train_one(k: int) -> tuple[int, tuple]:
    runner, trainings = _FORKED
    runner.config = replace(runner.config, threads=None)  # this process's copy: one thread (set when it started)
    return k, _run(runner, trainings[k])


def _run(runner, training: tuple):
    (curve, _, _, sentences, indices, bank, *_), seed = training
    return runner.run(sentences, bank, indices, seed, warm=curve.endswith("+warm"))


def _trained(runner, trainings: list, todo: list[int], workers: int):
    """``(k, outcome)`` for every training ``k`` in ``todo``: here one after another, or in
    ``workers`` forked processes at once, each training on one CPU thread. A fork shares the
    features already in memory (nothing is copied or pickled but the outcomes); a training
    is seeded by its own seed, so the outcomes are those of one process, in any order."""
    import multiprocessing

    global _FORKED
    if workers <= 1 or len(todo) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for k in todo:
            yield k, _run(runner, trainings[k])
        return
    _FORKED = (runner, trainings)
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(todo)), initializer=_one_thread) as pool:
            yield from pool.imap_unordered(_train_one, todo)
    finally:
        _FORKED = None


def _one_thread() -> None:
    import torch

    torch.set_num_threads(1)


def write_report(rows: Sequence[SweepRow], output_dir: str | Path) -> None:
    """``scaling.csv``, the plots and ``summary.md`` (both tables) for ``rows``."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    write_csv(output_dir / "scaling.csv", rows)
    plot(rows, output_dir)
    (output_dir / "summary.md").write_text(summary_markdown(rows) + "\n" + gaps_markdown(rows), encoding="utf-8")


def merge_csvs(paths: Sequence[str | Path]) -> list[SweepRow]:
    """The rows of several sweeps' ``scaling.csv`` (e.g. parts run in parallel), one per
    (curve, N, seed): a later file wins."""
    merged: dict[tuple[str, int, int], SweepRow] = {}
    for path in paths:
        for row in read_csv(Path(path)):
            merged[row.curve, row.n, row.seed] = row
    return sorted(merged.values(), key=lambda r: (r.n, r.curve, r.seed))


# ---------------------------------------------------------------- results


def write_csv(path: Path, rows: Sequence[SweepRow]) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(SweepRow.__dataclass_fields__))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in asdict(row).items()})


def read_csv(path: Path) -> list[SweepRow]:
    def number(text: str) -> float | None:
        return None if text == "" else float(text)

    with Path(path).open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        # tag_s came with untagged sources (issue 26): an earlier study's CSV reads with 0 there
        missing = set(SweepRow.__dataclass_fields__) - set(reader.fieldnames or ()) - {"tag_s"}
        if missing:
            raise ConfigError(f"{path}: not a scaling.csv of this xner (no {', '.join(sorted(missing))}); "
                              "run xner scale again")
        return [SweepRow(r["curve"], int(r["n"]), int(r["seed"]), int(r["sentences"]), number(r["threshold"]),
                         float(r["align_s"]), float(r["project_s"]), float(r["features_s"]), float(r["train_s"]),
                         float(r["f1"]), float(r["precision"]), float(r["recall"]), number(r["dev_f1"]),
                         float(r.get("tag_s") or 0.0))
                for r in reader]


def _mean(values: Sequence[float]) -> float:
    values = [v for v in values if not math.isnan(v)]
    return statistics.mean(values) if values else math.nan


def summary(rows: Sequence[SweepRow]) -> list[dict]:
    """Per (curve, N): mean F1, its spread over seeds (sample sd), mean stage seconds, the
    F1 gained per extra hour of compute over the curve's previous N."""
    groups: dict[tuple[str, int], list[SweepRow]] = {}
    for row in rows:
        groups.setdefault((row.curve, row.n), []).append(row)
    table = []
    for (curve, n), group in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1])):
        f1s = [r.f1 for r in group]
        devs = [r.dev_f1 for r in group if r.dev_f1 is not None]
        entry = {
            "curve": curve, "n": n, "seeds": len(group), "sentences": group[0].sentences,
            "threshold": group[0].threshold, "f1": statistics.mean(f1s),
            "f1_sd": statistics.stdev(f1s) if len(f1s) > 1 else 0.0,
            "f1_min": min(f1s), "f1_max": max(f1s),
            "dev_f1": statistics.mean(devs) if devs else None,
            "align_s": group[0].align_s, "project_s": group[0].project_s,
            "features_s": group[0].features_s, "train_s": _mean([r.train_s for r in group]),
            "tag_s": group[0].tag_s,
        }
        parts = [entry["tag_s"], entry["align_s"], entry["project_s"], entry["features_s"], entry["train_s"]]
        entry["cost_s"] = sum(p for p in parts if not math.isnan(p))
        table.append(entry)
    previous: dict[str, dict] = {}
    for entry in table:
        before = previous.get(entry["curve"])
        entry["f1_per_hour"] = None
        if before is not None:
            extra_hours = (entry["cost_s"] - before["cost_s"]) / 3600
            if extra_hours > 0:
                entry["f1_per_hour"] = 100 * (entry["f1"] - before["f1"]) / extra_hours
        previous[entry["curve"]] = entry
    return table


def thresholds_on_dev(table: Sequence[dict], method: str = "ngram") -> dict[int, dict]:
    """For each N, the filtered curve's entry whose threshold has the best mean dev F1."""
    best: dict[int, dict] = {}
    for entry in table:
        if entry["threshold"] is None or not entry["curve"].startswith(f"{method}-t") or entry["dev_f1"] is None:
            continue
        if entry["n"] not in best or entry["dev_f1"] > best[entry["n"]]["dev_f1"]:
            best[entry["n"]] = entry
    return best


def summary_markdown(rows: Sequence[SweepRow]) -> str:
    table = summary(rows)
    chosen = {(e["curve"], e["n"]) for e in thresholds_on_dev(table).values()}

    def seconds(value: float) -> str:
        return "" if math.isnan(value) else f"{value:.0f}"

    tagged = any(e["tag_s"] for e in table)  # an untagged source: its tagging is a stage of its own
    tag_head, tag_rule = (" tag s |", "---|") if tagged else ("", "")
    lines = [f"| curve | N | trained on | seeds | F1 test (mean ± sd) | F1 dev |{tag_head} align s | project s "
             "| features s | train s | minutes (all stages) | F1 points per extra hour |",
             f"|---|---|---|---|---|---|{tag_rule}---|---|---|---|---|---|"]
    for e in table:
        spread = f" ± {100 * e['f1_sd']:.1f}" if e["seeds"] > 1 else ""
        per_hour = "" if e["f1_per_hour"] is None else f"{e['f1_per_hour']:.0f}"
        dev = "" if e["dev_f1"] is None else f"{100 * e['dev_f1']:.1f}"
        mark = " (t on dev)" if (e["curve"], e["n"]) in chosen else ""
        tag = f" {seconds(e['tag_s'])} |" if tagged else ""
        lines.append(f"| {e['curve']}{mark} | {e['n']} | {e['sentences']} | {e['seeds']} | {100 * e['f1']:.1f}{spread} "
                     f"| {dev} |{tag} {seconds(e['align_s'])} | {seconds(e['project_s'])} | {seconds(e['features_s'])} "
                     f"| {seconds(e['train_s'])} | {e['cost_s'] / 60:.1f} | {per_hour} |")
    return "\n".join(lines) + "\n"


def gaps(rows: Sequence[SweepRow], silver: str = "ngram") -> list[dict]:
    """Per N of the ``silver`` curve: its F1, the gold curve at the same N (or the most gold
    there is), the dev-chosen filtered curve, model transfer, and the compute behind the
    silver point: minutes per F1 point overall and for the last step of N."""
    table = summary(rows)
    by_curve: dict[str, dict[int, dict]] = {}
    for entry in table:
        by_curve.setdefault(entry["curve"], {})[entry["n"]] = entry
    transfer = next(iter(by_curve.get("transfer", {}).values()), None)
    filtered = thresholds_on_dev(table, silver)
    gold = by_curve.get("gold", {})
    result, before = [], None
    for n, entry in sorted(by_curve.get(silver, {}).items()):
        at_or_below = [g for g in gold if g <= n]
        g = gold.get(n) or (gold[max(at_or_below)] if at_or_below else None)
        minutes = entry["cost_s"] / 60
        row = {"n": n, "f1": entry["f1"], "f1_sd": entry["f1_sd"], "gold_n": g["n"] if g else None,
               "gold_f1": g["f1"] if g else None, "transfer_f1": transfer["f1"] if transfer else None,
               "filtered": filtered.get(n), "with_source": by_curve.get(f"{silver}+source", {}).get(n),
               "warm": by_curve.get(f"{silver}+warm", {}).get(n), "minutes": minutes,
               "minutes_per_point": minutes / (100 * entry["f1"]) if entry["f1"] > 0 else None,
               "marginal_minutes_per_point": None}
        if before is not None and entry["f1"] > before["f1"]:
            row["marginal_minutes_per_point"] = (minutes - before["minutes"]) / (100 * (entry["f1"] - before["f1"]))
        result.append(row)
        before = row
    return result


def gaps_markdown(rows: Sequence[SweepRow], silver: str = "ngram") -> str:
    def points(value: float | None) -> str:
        return "" if value is None else f"{100 * value:.1f}"

    def signed(a: float | None, b: float | None) -> str:
        return "" if a is None or b is None else f"{100 * (a - b):+.1f}"

    table = gaps(rows, silver)
    warm = any(g["warm"] is not None for g in table)  # a column only for a study with the warm-started curve
    lines = [f"| N | {silver} F1 | gold F1 (gold N) | {silver} − gold | transfer F1 | {silver} − transfer "
             f"| filtered, t on dev: F1 (t) | {silver} + source sentences F1 "
             + (f"| {silver} from the source head F1 | that − transfer " if warm else "")
             + "| minutes (all stages) | minutes per F1 point | extra minutes per extra point |",
             "|---|---|---|---|---|---|---|---|---|---|---|" + ("---|---|" if warm else "")]
    for g in table:
        f = g["filtered"]
        filtered = "" if f is None else f"{100 * f['f1']:.1f} (t = {f['threshold']:g}, {f['sentences']} kept)"
        per_point = "" if g["minutes_per_point"] is None else f"{g['minutes_per_point']:.2f}"
        marginal = "" if g["marginal_minutes_per_point"] is None else f"{g['marginal_minutes_per_point']:.2f}"
        gold = "" if g["gold_f1"] is None else f"{points(g['gold_f1'])} ({g['gold_n']})"
        joined = g["with_source"]
        joined = "" if joined is None else f"{points(joined['f1'])} ± {points(joined['f1_sd'])}"
        started = ""
        if warm:
            w = g["warm"]
            started = ("| | " if w is None else
                       f"| {points(w['f1'])} ± {points(w['f1_sd'])} | {signed(w['f1'], g['transfer_f1'])} ")
        lines.append(f"| {g['n']} | {points(g['f1'])} ± {points(g['f1_sd'])} | {gold} | {signed(g['f1'], g['gold_f1'])} "
                     f"| {points(g['transfer_f1'])} | {signed(g['f1'], g['transfer_f1'])} | {filtered} | {joined} "
                     f"{started}| {g['minutes']:.1f} | {per_point} | {marginal} |")
    return "\n".join(lines) + "\n"


def plot(rows: Sequence[SweepRow], output_dir: Path) -> list[Path]:
    """``f1_vs_n.png`` (transfer as a horizontal band), ``f1_vs_compute.png``,
    ``stage_time_vs_n.png`` (seconds per stage, stacked) and ``f1_per_hour.png``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = summary(rows)
    output_dir = Path(output_dir)
    curves = sorted({e["curve"] for e in table if e["curve"] != "transfer"})
    transfer = [e for e in table if e["curve"] == "transfer"]
    paths = []

    def style(curve: str) -> dict:
        if curve == "gold":
            return {"color": "black", "linestyle": "--"}
        if "-t" in curve:
            return {"linestyle": ":"}
        if curve.endswith("+source"):
            return {"linestyle": "-."}
        return {}

    def finish(figure, axis, name: str, xlabel: str, ylabel: str) -> None:
        axis.set_xscale("log")
        axis.set_xlabel(xlabel)
        axis.set_ylabel(ylabel)
        axis.grid(True, alpha=0.3)
        if axis.get_legend_handles_labels()[0]:
            axis.legend(fontsize=8)
        figure.tight_layout()
        figure.savefig(output_dir / name, dpi=110)
        plt.close(figure)
        paths.append(output_dir / name)

    for name, xkey, xlabel in (("f1_vs_n.png", "n", "parallel sentences N (log scale)"),
                               ("f1_vs_compute.png", "cost_s", "compute: align + project + features + train, s (log)")):
        figure, axis = plt.subplots(figsize=(7, 4.6))
        for curve in curves:
            points = [e for e in table if e["curve"] == curve and e[xkey] > 0]
            if points:
                axis.errorbar([e[xkey] for e in points], [100 * e["f1"] for e in points],
                              yerr=[100 * e["f1_sd"] for e in points], marker="o", capsize=3, label=curve,
                              **style(curve))
        for e in transfer:
            axis.axhline(100 * e["f1"], color="grey", label=f"model transfer ({100 * e['f1']:.1f})")
            axis.axhspan(100 * (e["f1"] - e["f1_sd"]), 100 * (e["f1"] + e["f1_sd"]), color="grey", alpha=0.2)
        finish(figure, axis, name, xlabel, "F1 on the gold target test set")

    figure, axis = plt.subplots(figsize=(7, 4.6))
    silver = [c for c in curves if c != "gold" and "-t" not in c]
    if silver:
        points = [e for e in table if e["curve"] == silver[-1]]
        bottom = np.zeros(len(points))
        xs = [e["n"] for e in points]
        for key in ("tag_s", "align_s", "project_s", "features_s", "train_s"):
            values = np.array([0.0 if math.isnan(e[key]) else e[key] for e in points])
            if key == "tag_s" and not values.any():
                continue  # a labelled source: nothing was tagged
            axis.bar([str(x) for x in xs], values, bottom=bottom, label=key.removesuffix("_s"))
            bottom += values
        axis.set_title(f"{silver[-1]}: seconds per stage")
    axis.set_xlabel("parallel sentences N")
    axis.set_ylabel("seconds")
    if axis.get_legend_handles_labels()[0]:
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(output_dir / "stage_time_vs_n.png", dpi=110)
    plt.close(figure)
    paths.append(output_dir / "stage_time_vs_n.png")

    figure, axis = plt.subplots(figsize=(7, 4.6))
    for curve in curves:
        points = [e for e in table if e["curve"] == curve and e["f1_per_hour"] is not None]
        if points:
            axis.plot([e["n"] for e in points], [e["f1_per_hour"] for e in points], marker="o", label=curve,
                      **style(curve))
    if not axis.get_legend_handles_labels()[0]:
        axis.text(0.5, 0.5, "needs at least two values of N", transform=axis.transAxes, ha="center")
    finish(figure, axis, "f1_per_hour.png", "parallel sentences N (log scale)", "F1 points gained per extra hour")
    return paths
