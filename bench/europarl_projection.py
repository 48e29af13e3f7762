"""Isolated projection on Europarl: gold English entities projected onto German and Spanish.

Every aligner configuration × every projection method: F1 per language (seqeval, micro,
PER/ORG/LOC/MISC), alignment time, and the projection step's own throughput with the
alignments given (sentence pairs/s, single-threaded). "published" is the method as
published (no boundary trimming, the source label kept); "default" is xner's defaults
given the target language: punctuation and unaligned function words trimmed off span
edges, derived forms labelled MISC. An ablation adds one mechanism at a time. Embedding aligners: the offline
multilingual-e5-small, layers 6–10, word and sub-word level, IterMax (plus ArgMax and
Match at the default layer); each sentence is encoded once per layer.

    python -m bench.europarl_projection            # writes docs/BENCHMARKS.md
    python -m bench.europarl_projection --no-write # prints only
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from bench.report import (
    DEFAULTS, LANG, PUBLISHED_SETTINGS, SHARED_DATA, for_language, header, publish, table,
)
from xner.alignment.embedding import EmbeddingAligner
from xner.alignment.statistical import EflomalAligner
from xner.alignment.symmetrize import symmetrize
from xner.evaluation.errors import KINDS, classify_errors
from xner.evaluation.metrics import evaluate
from xner.io.conll import read_conll
from xner.models.encoder import resolve_precision
from xner.projection.base import build_projector
from xner.types import Alignment, SentencePair

LANGUAGES = ("de", "es")
METHODS = {  # label -> (method, parameters)
    "heuristic (published)": ("heuristic", PUBLISHED_SETTINGS),
    "heuristic d=0": ("heuristic", {"merge_distance": 0, **PUBLISHED_SETTINGS}),
    "heuristic top-1": ("heuristic", {"top_k": 1, **PUBLISHED_SETTINGS}),
    "heuristic default": ("heuristic", DEFAULTS),
    "ngram (published)": ("ngram", PUBLISHED_SETTINGS),
    "ngram default": ("ngram", DEFAULTS),
    "ngram default, every n-gram": ("ngram", {"window": False, **DEFAULTS}),
    "ngram default, exact": ("ngram", {"solver": "exact", **DEFAULTS}),
}
SETTINGS = {"published": PUBLISHED_SETTINGS, "default": DEFAULTS}
MODEL_METHODS = ("heuristic", "ngram", "ner-span", "fused (alignment + NER)", "backtranslation")
APERTIUM_TARGETS = ("es",)  # Apertium pairs installed here with English as the source
ABLATION = {  # one mechanism added at a time, for the default aligner and eflomal
    "as published": PUBLISHED_SETTINGS,
    "+ punctuation off edges": {"derived_labels": "none"},
    "+ unaligned function words off edges": {"derived_labels": "none", "trim_stop_words": LANG},
    "+ derived forms MISC (default)": DEFAULTS,
}
PUBLISHED = {"heuristic (published)": (81.9, 90.3), "ngram (published)": (92.0, 88.6)}
DEFAULT_LAYER = EmbeddingAligner().layer
ABLATION_ALIGNERS = (f"e5 L{DEFAULT_LAYER} subword itermax", "eflomal grow-diag-final-and")


def embedding_configs():
    for layer in (6, 7, 8, 9, 10):
        for level in ("word", "subword"):
            yield layer, level, "itermax"
    for method in ("argmax", "match"):
        yield DEFAULT_LAYER, "subword", method


def alignments_for(lang, pairs, default_only: bool = False):
    """(aligner label -> (alignments, seconds)) for every aligner configuration."""
    result = {}
    if default_only:
        start = time.perf_counter()
        links = EmbeddingAligner(layer=DEFAULT_LAYER, precision="auto").align(pairs)
        return {ABLATION_ALIGNERS[0]: (links, time.perf_counter() - start)}
    start = time.perf_counter()
    forward, reverse = EflomalAligner().align_directions(pairs)
    seconds = time.perf_counter() - start
    for method in ("grow-diag-final-and", "intersection"):
        result[f"eflomal {method}"] = (
            [Alignment.of(symmetrize(f.links, r.links, method)) for f, r in zip(forward, reverse)], seconds)
    by_layer: dict[int, tuple[dict, float]] = {}
    for layer, level, method in embedding_configs():
        aligner = EmbeddingAligner(layer=layer, level=level, method=method, precision="auto")
        if layer not in by_layer:
            start = time.perf_counter()
            aligner.encoder  # load once per layer
            start = time.perf_counter()
            encoded = aligner.encode([s for pair in pairs for s in pair])
            by_layer[layer] = (encoded, time.perf_counter() - start)
        encoded, encode_seconds = by_layer[layer]
        start = time.perf_counter()
        links = [aligner.links(encoded[tuple(s)], encoded[tuple(t)]) for s, t in pairs]
        result[f"e5 L{layer} {level} {method}"] = (links, encode_seconds + time.perf_counter() - start)
        print(f"{lang} aligned e5 L{layer} {level} {method}", flush=True)
    return result


def project(method: str, params: dict, pairs: list[SentencePair]) -> list:
    projector = build_projector(method, **params)
    return [projector.project(p).entities for p in pairs]


def f1_of(projected, gold) -> float:
    return 100 * evaluate([t.entities for t in gold], projected, [len(t.words) for t in gold]).overall.f1


def score(method: str, params: dict, pairs: list[SentencePair], gold) -> float:
    """F1 × 100 of projecting the pairs' entities with one method and its parameters."""
    return f1_of(project(method, params, pairs), gold)


def timed_projection(method: str, params: dict, pairs: list[SentencePair]) -> tuple[list, float]:
    """The projected entities and the seconds the projection alone took (built projector
    given the pairs; no scoring inside the timer)."""
    projector = build_projector(method, **params)
    projector.project(pairs[0])  # first-use costs (the stop-word list) are not per-pair work
    start = time.perf_counter()
    projected = [projector.project(p).entities for p in pairs]
    return projected, time.perf_counter() - start


def error_counts(pairs: list[SentencePair], gold, lang: str) -> dict[str, Counter]:
    """Error kinds of n-gram matching as published and with the defaults, and what the
    derived-form rule does to the labels it changes (right / wrong / wrong either way)."""
    gold_entities = [t.entities for t in gold]
    published = project("ngram", PUBLISHED_SETTINGS, pairs)
    default = project("ngram", for_language(DEFAULTS, lang), pairs)
    kept = project("ngram", {**for_language(DEFAULTS, lang), "derived_labels": "none"}, pairs)
    counts = {name: Counter(e.kind for e in classify_errors(gold_entities, predicted))
              for name, predicted in (("as published", published), ("default", default))}
    relabelled = Counter()
    for g, with_rule, without in zip(gold_entities, default, kept):
        for entity in set(with_rule) - set(without):
            before = next(e for e in without if e.span == entity.span)
            relabelled["right" if entity in g else "wrong" if before in g else "wrong either way"] += 1
    counts["derived labels"] = relabelled
    return counts


class SharedTagger:
    """One target NER model for every projector of a language: each sentence is tagged once."""

    def __init__(self, spec: str) -> None:
        from xner.ner.base import build_tagger

        self.spec, self.tagger, self.memo = spec, build_tagger(spec), {}
        self.name = self.tagger.name

    def tag(self, sentences):
        missing = list(dict.fromkeys(s for s in map(tuple, sentences) if s not in self.memo))
        if missing:
            self.memo.update(zip(missing, self.tagger.tag(missing)))
        return [self.memo[tuple(s)] for s in sentences]


def model_projector(name: str, settings: dict, lang: str, tagger):
    """The projector for one row of the method table, or None where its model is missing."""
    if name in ("heuristic", "ngram"):
        return build_projector(name, **settings)
    if name == "ner-span":
        return build_projector("ner-span", target_ner=tagger, **settings) if tagger else None
    if name.startswith("fused"):
        return build_projector("fused", target_ner=tagger, **settings) if tagger else None
    if lang not in APERTIUM_TARGETS:
        return None
    return build_projector("backtranslation", translator="apertium", tgt_lang=lang, **settings)


def method_table(default_pairs: dict, golds: dict, taggers: dict) -> tuple[dict, dict]:
    """F1 × 100 per (method, settings, lang, half): the even-numbered sentences are the
    development half that chooses the settings, the odd-numbered ones are reported."""
    scores: dict[tuple[str, str, str, str], float] = {}
    seconds: dict[tuple[str, str, str], float] = {}
    for lang, pairs in default_pairs.items():
        for name in MODEL_METHODS:
            for setting, params in SETTINGS.items():
                projector = model_projector(name, for_language(params, lang), lang, taggers.get(lang))
                if projector is None:
                    continue
                start = time.perf_counter()
                if hasattr(projector, "prepare"):
                    projector.prepare(pairs)  # the models' batched calls (tagging, translation, alignment)
                projected = [projector.project(p).entities for p in pairs]
                seconds[(name, setting, lang)] = time.perf_counter() - start
                for half, offset in (("dev", 0), ("held-out", 1)):
                    scores[(name, setting, lang, half)] = f1_of(projected[offset::2], golds[lang][offset::2])
                print(f"{lang} {name} {setting}: {scores[(name, setting, lang, 'held-out')]:.1f}", flush=True)
    return scores, seconds


def method_section(scores: dict, seconds: dict, taggers: dict) -> str:
    rows, chosen_by = [], {}
    for name in MODEL_METHODS:
        langs = [lang for lang in LANGUAGES if (name, "published", lang, "dev") in scores]
        if not langs:
            rows.append([name] + ["n/a"] * 5)
            continue
        dev = {setting: sum(scores[(name, setting, lang, "dev")] for lang in langs) / len(langs) for setting in SETTINGS}
        chosen = max(SETTINGS, key=lambda setting: (dev[setting], setting == "published"))
        chosen_by[name] = chosen

        def cell(lang: str) -> str:
            if (name, "published", lang, "held-out") not in scores:
                return "n/a"
            return " / ".join(f"**{scores[(name, s, lang, 'held-out')]:.1f}**" if s == chosen
                              else f"{scores[(name, s, lang, 'held-out')]:.1f}" for s in SETTINGS)

        rows.append([name, f"{dev['published']:.1f} / {dev['default']:.1f}", chosen, cell("de"), cell("es"),
                     " / ".join(f"{seconds[(name, 'default', lang)]:.1f}" for lang in langs)])
    models = "; ".join(f"{lang}: `{tagger.spec}`" for lang, tagger in taggers.items()) or "none given"
    return (
        header("Every method on Europarl, settings chosen on one half and reported on the other")
        + "Alignment: the default aligner (multilingual-e5-small, layer 7, sub-word IterMax). The 799 sentences "
        + "of each language are split by position: the even-numbered 400 are the *development half*, which "
        + "chooses between the published settings and xner's defaults for each method (the better average F1 "
        + "over the languages the method runs on; a tie keeps the published settings); the odd-numbered 399 "
        + "are the *held-out half* the table reports, as `published / default`, the chosen one in bold.\n\n"
        + table(["method", "dev half F1 (avg): published / default", "chosen on dev", "held-out de",
                 "held-out es", "seconds (de / es, all 799, default)"], rows)
        + "\n*ner-span* and *fused* use a target-language NER model (" + models + "); *fused* is n-gram and "
        + "NER-span candidates with 0.5 × alignment + 0.5 × class-agnostic NER (no translation score: no "
        + "seq2seq model is available offline here). *backtranslation* marks the English entities, translates "
        + "with Apertium (installed here for en→es only, so German is n/a), aligns the labelled translation "
        + "with the original and projects with the heuristic. Seconds include the models (tagging, "
        + "translation, alignment of the back-translation) but not the English–target alignment.\n\n"
        + "**Which data chose which rule.** The span-finishing rules behind *default* (punctuation and "
        + "unaligned function words off span edges, a derived form labelled MISC) were designed by reading the "
        + "errors of n-gram matching on all 799 sentences of this test set, before this split existed (the notes "
        + "under the Europarl section); the aligner defaults (layer 7, sub-word, IterMax) were also picked as "
        + "the best on all 799. For those choices the held-out half is not clean, and the independent check is "
        + "the translate-test section (CoNLL, other text, other direction). The choice in this table, published "
        + "or default per method, is made on the development half alone; from now on new rules and settings "
        + "are chosen on the development half (or the CoNLL dev sets) and reported on the held-out half. The "
        + "n-gram window default involves no data: it is exact by construction (tested against every n-gram).\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print without updating docs/BENCHMARKS.md")
    parser.add_argument("--target-ner", action="append", default=[], metavar="LANG=SPEC",
                        help="target-language NER for the ner-span and fused rows, e.g. es=head:DIR (repeatable)")
    parser.add_argument("--methods-only", action="store_true",
                        help="only the every-method table (the default aligner only; the other section is kept)")
    args = parser.parse_args()
    taggers = {}
    for item in args.target_ner:
        lang, _, spec = item.partition("=")
        taggers[lang] = SharedTagger(spec)
    default_pairs: dict[str, list[SentencePair]] = {}
    golds: dict[str, list] = {}

    en = read_conll(SHARED_DATA / "europarl/en.europarl.test.conll")
    f1: dict[tuple[str, str, str], float] = {}
    speed: dict[str, list[float]] = {label: [] for label in METHODS}
    align_seconds: dict[tuple[str, str], float] = {}
    ablation: dict[tuple[str, str, str, str], float] = {}
    errors: dict[str, dict[str, Counter]] = {}
    for lang in LANGUAGES:
        tgt = read_conll(SHARED_DATA / f"europarl/{lang}.europarl.test.conll")
        words = [(s.words, t.words) for s, t in zip(en, tgt)]
        for aligner, (alignments, seconds) in alignments_for(lang, words, args.methods_only).items():
            align_seconds[(aligner, lang)] = seconds
            pairs = [SentencePair(s.words, t.words, s.entities, alignment=a) for s, t, a in zip(en, tgt, alignments)]
            if args.methods_only:
                default_pairs[lang], golds[lang] = pairs, tgt
                continue
            for label, (method, params) in METHODS.items():
                projected, seconds = timed_projection(method, for_language(params, lang), pairs)
                f1[(aligner, label, lang)] = f1_of(projected, tgt)
                speed[label].append(len(pairs) / seconds)
            if aligner == ABLATION_ALIGNERS[0]:
                errors[lang] = error_counts(pairs, tgt, lang)
                default_pairs[lang], golds[lang] = pairs, tgt
            if aligner in ABLATION_ALIGNERS:
                for method in ("heuristic", "ngram"):
                    for step, params in ABLATION.items():
                        ablation[(aligner, method, step, lang)] = score(method, for_language(params, lang), pairs, tgt)

    if args.methods_only:
        scores, seconds = method_table(default_pairs, golds, taggers)
        publish("europarl-methods", method_section(scores, seconds, taggers), write=not args.no_write)
        return
    aligners = list(dict.fromkeys(a for a, _, _ in f1))
    rows = []
    for aligner in aligners:
        row = [aligner]
        for label in METHODS:
            de, es = (f1[(aligner, label, lang)] for lang in LANGUAGES)
            row.append(f"{de:.1f} / {es:.1f} ({(de + es) / 2:.1f})")
        row.append(f"{align_seconds[(aligner, 'de')]:.1f} / {align_seconds[(aligner, 'es')]:.1f}")
        rows.append(row)
    rows.append(["**published (mBERT)**"] + [
        f"{PUBLISHED[label][0]} / {PUBLISHED[label][1]}" if label in PUBLISHED else "" for label in METHODS] + [""])
    best = max(((a, m) for a in aligners for m in METHODS),
               key=lambda am: sum(f1[(am[0], am[1], lang)] for lang in LANGUAGES))
    best_de, best_es = (f1[(best[0], best[1], lang)] for lang in LANGUAGES)
    ablation_rows = [
        [aligner, method, step] + [f"{ablation[(aligner, method, step, lang)]:.1f}" for lang in LANGUAGES]
        + [f"{sum(ablation[(aligner, method, step, lang)] for lang in LANGUAGES) / len(LANGUAGES):.1f}"]
        for aligner in ABLATION_ALIGNERS for method in ("heuristic", "ngram") for step in ABLATION
    ]
    error_rows = [[name] + [" / ".join(str(errors[lang][name][kind]) for lang in LANGUAGES) for kind in KINDS]
                  for name in ("as published", "default")]
    relabel_text = "; ".join(
        f"{lang}: {sum(errors[lang]['derived labels'].values())} changed, "
        + ", ".join(f"{errors[lang]['derived labels'][k]} {k}" for k in ("right", "wrong", "wrong either way"))
        for lang in LANGUAGES)
    speed_rows = [[label, f"{min(v):.0f}", f"{sorted(v)[len(v) // 2]:.0f}", f"{max(v):.0f}"] for label, v in speed.items()]
    markdown = (
        header("Isolated projection on Europarl (gold English entities → de, es)")
        + "F1 × 100 as `de / es (average)`, seqeval micro over PER/ORG/LOC/MISC, 799 sentences per language. "
        + f"Embedding aligners use the offline multilingual-e5-small in {resolve_precision('auto')}. "
        + "*published*: the method as published (spans as the alignment gives them, the source label kept); "
        + "*default*: xner's defaults given the target language (`--tgt-lang de|es`): commas and "
        + "full stops kept off span edges, the target language's function words trimmed off the chosen span "
        + "unless a content word of the entity is aligned to them, and a single lower-case word projected "
        + "from a capitalised LOC/ORG name (a derived form: *finnischen*, *comunitarias*) labelled MISC, as "
        + "the CoNLL guidelines label adjectives derived from names. The last column is the "
        + "alignment time in seconds (de / es; eflomal: both directions; e5: encoding once per layer plus extraction).\n\n"
        + table(["aligner"] + list(METHODS) + ["align s"], rows)
        + f"\nBest: **{best[0]}, {best[1]}**: de {best_de:.1f}, es {best_es:.1f}, average {(best_de + best_es) / 2:.1f} "
        + "(published best: de 92.0 n-gram matching, es 90.3 heuristic).\n\n"
        + "Ablation, one mechanism added at a time (F1 × 100):\n\n"
        + table(["aligner", "method", "settings"] + list(LANGUAGES) + ["average"], ablation_rows)
        + f"\nErrors of n-gram matching with {ABLATION_ALIGNERS[0]} (de / es; `xner.evaluation.errors`: a gold "
        + "entity nothing overlaps is missed, a prediction no gold entity overlaps is spurious, an overlapping one "
        + "with other edges a boundary error, the same span with another label a type error):\n\n"
        + table(["settings"] + list(KINDS), error_rows)
        + f"\nLabels the derived-form rule changes (against the default without it): {relabel_text}.\n\n"
        + "Projection step alone, alignments given, single-threaded Python (sentence pairs/s over all aligners "
        + "and languages; the projector is built and the F1 computed outside the timer). *ngram default* proposes "
        + "only n-grams inside the aligned window where that changes no choice (identical F1 to *every n-gram*):\n\n"
        + table(["method", "min", "median", "max"], speed_rows)
    )
    publish("europarl", markdown, write=not args.no_write)
    scores, seconds = method_table(default_pairs, golds, taggers)
    publish("europarl-methods", method_section(scores, seconds, taggers), write=not args.no_write)


if __name__ == "__main__":
    main()
