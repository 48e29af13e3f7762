"""A CoNLL-label NER head on frozen multilingual-e5-small features, in its three roles.

1. Training on English CoNLL-2003 train (14,041 sentences): feature extraction from an
   empty cache (all 12 layers, timed), head selection on ``conll/en.dev.conll`` (linear
   vs BiLSTM, one layer vs a learned mix, softmax vs CRF output, LSTM width and depth;
   on the first ``--select-sentences`` training sentences, features from the same
   cache), then the chosen head trained on all of train, keeping its best dev epoch
   (timed). Nothing here looks at a test set.
2. Source NER on English CoNLL test: spaCy small mapped OntoNotes → CoNLL vs the head.
3. Model transfer (zero-shot): the English-trained head applied directly to CoNLL German
   and Spanish test and to Europarl de / es (and en).
4. Translate-test on CoNLL de / es with the given DeepL translations: English NER
   (head, and spaCy on the same alignments) → offline aligner → projection.
5. Isolated projection on Europarl (gold English entities) with the head as the
   target-side NER: ``ner-span`` and ``fused`` beside ``ngram``.

    python -m bench.head_ner [--no-write] [--model-dir DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.report import (
    DEFAULTS, SHARED_DATA, for_language, head_description, header, publish, table,
)
from xner.alignment.embedding import EmbeddingAligner
from xner.evaluation.metrics import evaluate
from xner.io.conll import read_conll
from xner.models.e5_convert import xner_home
from xner.ner.base import DEFAULT_SOURCE_NER, build_tagger
from xner.pipeline import Pipeline
from xner.projection.base import build_projector
from xner.training.head_trainer import train_head
from xner.translation.given import GivenTranslator
from xner.types import SentencePair

ALL_LAYERS = tuple(range(1, 13))
PENDING = "*(not run: the run stopped before this stage)*\n"
CANDIDATES = {  # label -> train_head parameters, compared on en dev
    "linear, mix of layers 1-12": {"kind": "linear", "layers": ALL_LAYERS},
    "BiLSTM, layer 8": {"kind": "bilstm", "layers": (8,)},
    "BiLSTM, mix of layers 1-12": {"kind": "bilstm", "layers": ALL_LAYERS},
    "BiLSTM-CRF, mix of layers 1-12": {"kind": "bilstm-crf", "layers": ALL_LAYERS},
    "BiLSTM-CRF 512 wide, mix of layers 1-12": {"kind": "bilstm-crf", "layers": ALL_LAYERS, "hidden": 512},
    "BiLSTM-CRF 2 deep, mix of layers 1-12": {"kind": "bilstm-crf", "layers": ALL_LAYERS, "lstm_layers": 2},
}
TRANSLATE_TEST = [("de", "conll/de.test.conll", "mt/de2en.deepl.test.txt"),
                  ("es", "conll/es.test.conll", "mt/es2en.deepl.test.txt")]
TRANSFER = [("CoNLL", "de", "conll/de.test.conll"), ("CoNLL", "es", "conll/es.test.conll"),
            ("Europarl", "en", "europarl/en.europarl.test.conll"), ("Europarl", "de", "europarl/de.europarl.test.conll"),
            ("Europarl", "es", "europarl/es.europarl.test.conll")]


def f1_row(gold, predicted):
    report = evaluate([s.entities for s in gold], predicted, [len(s.words) for s in gold])
    per_label = "  ".join(f"{k} {100 * v.f1:.1f}" for k, v in sorted(report.per_label.items()))
    return 100 * report.overall.f1, per_label


def timed_tag(tagger, sentences):
    start = time.perf_counter()
    tagged = tagger.tag([s.words for s in sentences])
    return [t.entities for t in tagged], time.perf_counter() - start


def timed_features(sentences, cache: Path, log) -> tuple[float, bool]:
    """Seconds to extract (or read) the features of ``sentences``, and whether they were cached."""
    from xner.ner.features import _cache_key, extract_features
    from xner.models.encoder import resolve_model

    words = [s.words for s in sentences if s.words]
    done = cache / _cache_key(resolve_model("e5"), ALL_LAYERS, words) / "done.json"
    cached = done.exists()
    start = time.perf_counter()
    extract_features(words, "e5", ALL_LAYERS, cache=cache, log=log)
    seconds = time.perf_counter() - start
    if cached:  # the extraction time recorded when the features were computed, if any
        seconds = json.loads(done.read_text()).get("seconds", float("nan"))
    return seconds, cached


def train_stage(args, train, dev, log) -> dict:
    """Features, selection on dev, the chosen head on all of train; what the report needs."""
    cache = args.cache or Path(tempfile.mkdtemp(prefix="xner-bench-features-"))
    try:
        train_feature_s, cached = timed_features(train, cache, log)
        dev_feature_s, _ = timed_features(dev, cache, log)
        subset = train[: args.select_sentences]
        selection = []
        for label, params in CANDIDATES.items():
            _, _, report = train_head(subset, dev=dev, feature_layers=ALL_LAYERS, epochs=args.select_epochs,
                                      patience=2, cache=cache, log=log, **params)
            selection.append([label, f"{100 * max(report.dev_f1):.1f}", report.best_epoch, report.epochs,
                              f"{report.head_seconds:.0f}"])
            log(f"{label}: dev F1 {100 * max(report.dev_f1):.2f}")
        label = max(selection, key=lambda row: float(row[1]))[0]
        _, _, final = train_head(train, args.model_dir, dev=dev, feature_layers=ALL_LAYERS, epochs=args.epochs,
                                 patience=2, cache=cache, log=log, **CANDIDATES[label])
    finally:
        if args.cache is None:
            shutil.rmtree(cache, ignore_errors=True)
    return {"chosen": label, "selection": selection, "subset": len(subset), "train": len(train),
            "train_feature_s": train_feature_s, "dev_feature_s": dev_feature_s, "features_cached": cached,
            "dev_f1": 100 * max(final.dev_f1), "best_epoch": final.best_epoch, "epochs_run": final.epochs,
            "head_s": final.head_seconds, "layer_weights": list(final.layer_weights)}


def from_model_record(model_dir: Path, n_train: int) -> dict:
    """The training section from what ``train_head`` recorded in the model's own config
    (a head trained outside this script, e.g. by ``xner train``); no selection table."""
    from xner.ner.head_model import load_head

    config, _ = load_head(model_dir)
    record = config.training
    return {"chosen": head_description(model_dir), "selection": [],
            "subset": 0, "train": record.get("sentences", n_train), "train_feature_s": float("nan"),
            "dev_feature_s": 0.0, "features_cached": True, "dev_f1": 100 * max(record["dev_f1"]),
            "best_epoch": record["best_epoch"], "epochs_run": record.get("epochs_run", record["best_epoch"]),
            "head_s": record.get("head_seconds", float("nan")), "layer_weights": record.get("layer_weights", [1.0])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--model-dir", type=Path, default=xner_home() / "head-conll-en")
    parser.add_argument("--limit", type=int, help="first N sentences of every set (a quick check)")
    parser.add_argument("--select-sentences", type=int, default=4000)
    parser.add_argument("--select-epochs", type=int, default=6)
    parser.add_argument("--epochs", type=int, default=8, help="at most, for the final head (best dev epoch kept)")
    parser.add_argument("--cache", type=Path, help="feature cache to use and keep (default: a fresh one, removed)")
    parser.add_argument("--skip-training", action="store_true", help="reuse MODEL_DIR and its bench-training.json")
    args = parser.parse_args()
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    lim = args.limit

    train = read_conll(SHARED_DATA / "conll/en.train.conll")[:lim]
    dev = read_conll(SHARED_DATA / "conll/en.dev.conll")[:lim]
    state_file = args.model_dir / "bench-training.json"
    if args.skip_training:
        training = json.loads(state_file.read_text()) if state_file.exists() else from_model_record(args.model_dir, len(train))
    else:
        training = train_stage(args, train, dev, log)
        state_file.write_text(json.dumps(training, indent=1))
    label = training["chosen"]
    head_spec = f"head:{args.model_dir}"
    head = build_tagger(head_spec)
    spacy = build_tagger(DEFAULT_SOURCE_NER)

    t = training
    total = t["train_feature_s"] + t["dev_feature_s"] + t["head_s"]
    features_note = ("read from a cache filled by an earlier run of this script; times as recorded when "
                     "extracting, nan: not recorded" if t["features_cached"] else "extracted from an empty cache in this run")
    weights = ", ".join(f"{w:.2f}" for w in t["layer_weights"])
    timed = total == total  # not NaN: the extraction was timed
    features_text = (f"Features, all 12 layers ({features_note}): train {t['train_feature_s']:.0f} s, "
                     f"dev {t['dev_feature_s']:.0f} s. " if timed else
                     "Features, all 12 layers: read from the cache of an earlier run of this script, whose "
                     "extraction time was not recorded. ")
    total_text = (f"**features + head {total:.0f} s ({total / 60:.1f} min)** (goal ≤ 15 min on 2 cores)" if timed
                  else "features + head: not measured in this run (see the training-time section)")

    def markdown() -> str:
        return (
            header("NER head on frozen multilingual-e5-small features (source NER, target NER, model transfer)")
            + "A small head over frozen word features (mean of each word's sub-word vectors) of the offline "
            + "multilingual-e5-small, constrained IOB2 decoding, per-word tag probabilities (a softmax head's, or a CRF head's exact marginals) "
            + "(`xner train en.train.conll --trainer head --dev en.dev.conll -o DIR`, then `--ner head:DIR`). "
            + "Choices made on `conll/en.dev.conll` only. F1 × 100, seqeval micro over PER/ORG/LOC/MISC. "
            + "Wall times depend on how busy the machine was (the load average above).\n\n"
            + f"### Training ({t['train']} English sentences)\n\n"
            + features_text
            + ((f"Head selection on en dev, each head trained on the first {t['subset']} training sentences "
                + f"(at most {args.select_epochs} epochs, best dev epoch kept, stops after 2 epochs without gain):\n\n"
                + table(["head", "dev F1", "best epoch", "epochs run", "head s"], t["selection"]))
               if t["selection"] else "The head was trained outside this run (its own training record is reported; "
               + "no selection table).\n")
            + f"\nChosen: **{label}**. On all of train: dev F1 {t['dev_f1']:.1f} (epoch {t['best_epoch']} "
            + f"of {t['epochs_run']} run), head {t['head_s']:.0f} s; {total_text}. "
            + f"Learned layer weights: {weights}.\n\n"
            + "### English CoNLL-2003 test (source NER)\n\n"
            + (table(["NER", "F1", "per label", "tag s"], english) if english else PENDING)
            + "\n### Model transfer (zero-shot): the English-trained head applied to other languages\n\n"
            + (table(["corpus", "lang", "F1", "per label", "tag s", "sentences"], transfer) if transfer else PENDING)
            + "\n### Translate-test, CoNLL de / es (given DeepL translations, offline aligner, xner's defaults)\n\n"
            + "Both NER rows project over the same translations and alignments (e5 layer 7, sub-word IterMax).\n\n"
            + (table(["lang", "source NER", "method", "F1", "per label", "proj_ratio"], translate_rows) if translate_rows else PENDING)
            + "\n### Europarl isolated projection with the head as target NER (gold English entities)\n\n"
            + "`ner-span`: only the spans the head finds in the target sentence are candidates; `fused`: n-grams "
            + "plus those spans, scored 0.5 alignment + 0.5 class-agnostic NER score from the head's probabilities.\n\n"
            + (table(["lang", "method", "F1", "per label", "project s"], europarl_rows) if europarl_rows else PENDING)
        )

    english, transfer, translate_rows, europarl_rows = [], [], [], []
    aligner = EmbeddingAligner()
    # each stage publishes what is done so far, so a run cut short still leaves its figures
    # 2. English test
    test = read_conll(SHARED_DATA / "conll/en.test.conll")[:lim]
    for name, tagger in (("spaCy small, OntoNotes mapped", spacy), (f"head ({label})", head)):
        predicted, seconds = timed_tag(tagger, test)
        english.append([name, *f1_row(test, predicted), f"{seconds:.1f}"])
        log(str(english[-1]))

    publish("head-ner", markdown(), write=not args.no_write)

    # 4. translate-test: the head through the pipeline; spaCy on the same translations and alignments
    for lang, gold_file, given in TRANSLATE_TEST:
        gold = read_conll(SHARED_DATA / gold_file)[:lim]
        translator = GivenTranslator.from_file(SHARED_DATA / given)
        translator = translator.subset(range(lim)) if lim else translator
        pipeline = Pipeline(translator, aligner, build_projector("heuristic"), head, direction="test",
                            src_lang="en", tgt_lang=lang)
        results = pipeline.run(gold)
        ok = [r for r in results if not r.error]
        spacy_tags = spacy.tag([r.pair.source_words for r in ok])
        with_spacy = {r.index: dataclasses.replace(r, pair=dataclasses.replace(r.pair, source_entities=t.entities))
                      for r, t in zip(ok, spacy_tags)}
        for method in ("heuristic", "ngram"):
            projector = build_projector(method, **for_language(DEFAULTS, lang))
            for ner, chosen in ((f"head ({label})", results), ("spaCy small mapped", [with_spacy.get(r.index, r) for r in results])):
                projected = [pipeline.reproject(r, projector) if not r.error else r for r in chosen]
                report = evaluate([r.gold for r in projected], [r.entities for r in projected],
                                  [len(r.target_words) for r in projected])
                per_label = "  ".join(f"{k} {100 * v.f1:.1f}" for k, v in sorted(report.per_label.items()))
                translate_rows.append([lang, ner, method, f"{100 * report.overall.f1:.1f}", per_label,
                                       f"{report.proj_ratio:.2f}"])
                log(str(translate_rows[-1]))
        translate_rows.append([lang, "(stage seconds, head run)", "", "",
                               ", ".join(f"{k} {v:.1f}" for k, v in pipeline.timings.items()), ""])

    publish("head-ner", markdown(), write=not args.no_write)

    # 3. model transfer
    for corpus, lang, path in TRANSFER:
        gold = read_conll(SHARED_DATA / path)[:lim]
        predicted, seconds = timed_tag(head, gold)
        transfer.append([corpus, lang, *f1_row(gold, predicted), f"{seconds:.1f}", len(gold)])
        log(str(transfer[-1]))

    publish("head-ner", markdown(), write=not args.no_write)

    # 5. Europarl isolated projection with the head as target NER
    en = read_conll(SHARED_DATA / "europarl/en.europarl.test.conll")[:lim]
    for lang in ("de", "es"):
        tgt = read_conll(SHARED_DATA / f"europarl/{lang}.europarl.test.conll")[:lim]
        alignments = aligner.align([(s.words, t.words) for s, t in zip(en, tgt)])
        pairs = [SentencePair(s.words, t.words, s.entities, alignment=a) for s, t, a in zip(en, tgt, alignments)]
        for method in ("ngram", "ner-span", "fused"):
            params = {"ner-span": {"target_ner": head_spec}, "ngram": for_language(DEFAULTS, lang),
                      "fused": {"target_ner": head_spec, **for_language(DEFAULTS, lang)}}[method]
            projector = build_projector(method, **params)
            start = time.perf_counter()
            if hasattr(projector, "prepare"):
                projector.prepare(pairs)
            projected = [projector.project(p).entities for p in pairs]
            seconds = time.perf_counter() - start
            europarl_rows.append([lang, method, *f1_row(tgt, projected), f"{seconds:.1f}"])
            log(str(europarl_rows[-1]))

    publish("head-ner", markdown(), write=not args.no_write)


if __name__ == "__main__":
    main()
