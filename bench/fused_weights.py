"""The NER score and weight of fused matching, chosen on development data, against n-gram matching.

Also chosen there: whether a candidate only the NER score supports may be chosen (``ner_alone``;
published: yes).

Fused matching (METHOD §4) scores every candidate ``alignment + w · NER`` (class-agnostic
NER score from the target-language tagger's probabilities; no translation score: no
seq2seq model offline here). The published fusion weighs both 0.5 (w = 1). With the NER
head of this repository as target NER, w is chosen on the **development half** of
Europarl (even-numbered sentences, gold English entities, de and es averaged) and
reported on the held-out half and on CoNLL translate-test (German and Spanish test sets
with their DeepL translations, the head as English NER too); neither of those chose it.

    python -m bench.fused_weights [--no-write] [--limit N]
"""

from __future__ import annotations

import sys

from bench.europarl_projection import SharedTagger, alignments_for, f1_of
from bench.head_ner import TRANSLATE_TEST
from bench.report import (
    DEFAULTS, SHARED_DATA, for_language, head_bench_parser, header, publish, table,
)
from xner.alignment.embedding import EmbeddingAligner
from xner.evaluation.metrics import evaluate
from xner.io.conll import read_conll
from xner.pipeline import Pipeline
from xner.projection.base import build_projector
from xner.translation.given import GivenTranslator
from xner.types import SentencePair

NER_WEIGHTS = (1.0, 0.5, 0.25, 0.1, 0.05)  # w in alignment + w · NER; 1.0 is the published 0.5 / 0.5
LANGUAGES = ("de", "es")
# the NER score: "words" (published, from per-word probabilities), "whole" (exact probability that the
# candidate is one whole entity under the CRF head)
NER_SCORES = ("words", "whole")


def projectors(lang: str, tagger) -> dict[str, object]:
    """n-gram matching and fused matching at every NER score, weight and ``ner_alone``, xner's
    defaults for ``lang`` otherwise."""
    settings = for_language(DEFAULTS, lang)
    built = {"ngram": build_projector("ngram", **settings)}
    for alone in (True, False):
        for score in NER_SCORES:
            for w in NER_WEIGHTS:
                built[row_name(score, w, alone)] = build_projector(
                    "fused", target_ner=tagger, weights=f"alignment=1,ner={w:g}", ner_score=score, ner_alone=alone,
                    **settings)
    return built


def row_name(score: str, w: float, alone: bool = True) -> str:
    name = f"fused w={w:g}" if score == "words" else f"fused {score} w={w:g}"
    return name if alone else f"{name}, aligned only"


def europarl(spec: str, limit: int | None, log) -> dict[tuple[str, str, str], float]:
    """F1 × 100 per (row, lang, half) on Europarl, gold English entities."""
    scores = {}
    en = read_conll(SHARED_DATA / "europarl/en.europarl.test.conll")[:limit]
    for lang in LANGUAGES:
        tgt = read_conll(SHARED_DATA / f"europarl/{lang}.europarl.test.conll")[:limit]
        (alignments, _), = alignments_for(lang, [(s.words, t.words) for s, t in zip(en, tgt)], True).values()
        pairs = [SentencePair(s.words, t.words, s.entities, alignment=a) for s, t, a in zip(en, tgt, alignments)]
        tagger = SharedTagger(spec)
        tagger.tag([p.target_words for p in pairs])  # one batch; every projector reads these tags
        for row, projector in projectors(lang, tagger).items():
            projected = [projector.project(p).entities for p in pairs]
            for half, offset in (("dev", 0), ("held-out", 1)):
                scores[(row, lang, half)] = f1_of(projected[offset::2], tgt[offset::2])
            log(f"europarl {lang} {row}: dev {scores[(row, lang, 'dev')]:.1f}")
    return scores


def translate_test(spec: str, rows: list[str], limit: int | None, log) -> dict[tuple[str, str], float]:
    """F1 × 100 per (row, lang) of translate-test on CoNLL with given translations."""
    scores = {}
    for lang, gold_file, given in TRANSLATE_TEST:
        gold = read_conll(SHARED_DATA / gold_file)[:limit]
        translator = GivenTranslator.from_file(SHARED_DATA / given)
        translator = translator.subset(range(limit)) if limit else translator
        tagger = SharedTagger(spec)
        pipeline = Pipeline(translator, EmbeddingAligner(), build_projector("ngram"), tagger.tagger,
                            direction="test", src_lang="en", tgt_lang=lang)
        results = pipeline.run(gold)
        tagger.tag([r.pair.target_words for r in results if not r.error])
        built = projectors(lang, tagger)
        for row in rows:
            projected = [pipeline.reproject(r, built[row]) if not r.error else r for r in results]
            report = evaluate([r.gold for r in projected], [r.entities for r in projected],
                              [len(r.target_words) for r in projected])
            scores[(row, lang)] = 100 * report.overall.f1
            log(f"translate-test {lang} {row}: {scores[(row, lang)]:.1f}")
    return scores


def main() -> None:
    parser = head_bench_parser(__doc__)
    args = parser.parse_args()
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    spec = f"head:{args.model_dir}"

    parts = europarl(spec, args.limit, log)
    rows = ["ngram"] + [row_name(score, w, alone) for alone in (True, False) for score in NER_SCORES
                        for w in NER_WEIGHTS]
    dev = {row: sum(parts[(row, lang, "dev")] for lang in LANGUAGES) / len(LANGUAGES) for row in rows}
    fused = [row for row in rows if row != "ngram"]
    chosen = max(fused, key=lambda row: dev[row])  # ties: the first, i.e. the heavier NER weight
    tt = translate_test(spec, ["ngram", "fused w=1", chosen], args.limit, log)

    europarl_rows = [[f"**{row}** (chosen)" if row == chosen else row, f"{dev[row]:.1f}"]
                     + [f"{parts[(row, lang, 'held-out')]:.1f}" for lang in LANGUAGES] for row in rows]
    tt_rows = [[f"**{row}** (chosen on Europarl dev)" if row == chosen else row]
               + [f"{tt[(row, lang)]:.1f}" for lang in LANGUAGES] for row in dict.fromkeys(["ngram", "fused w=1", chosen])]
    markdown = (
        header("Fused matching: the NER score, its weight and NER-only candidates chosen on development data")
        + "Candidates: n-grams (≤ 10 words) and the spans the NER head (`" + spec + "`) finds in the target "
        + "sentence; score `alignment + w · NER` (class-agnostic NER score, α = 1.15, floor 0.05; w = 1 is the "
        + "published 0.5 / 0.5; `whole`: the NER score is instead the exact probability, under the head's CRF, "
        + "that the candidate is one whole entity, `--ner-score whole`; `aligned only`: a candidate that only the "
        + "NER score supports, with no word of the source entity aligned to it, is never chosen, `ner_alone=False`); "
        + "xner's span finishing for the target "
        + "language; default aligner (e5 layer 7, sub-word IterMax). F1 × 100, seqeval micro.\n\n"
        + "Europarl, gold English entities: the score and w chosen on the **development half** (even-numbered sentences, mean of "
        + "de and es), reported on the held-out half (odd-numbered):\n\n"
        + table(["method", "dev half F1 (de/es mean)", "held-out de", "held-out es"], europarl_rows)
        + "\nCoNLL translate-test (German / Spanish test, DeepL translations into English, the head as English NER "
        + "and as target NER); nothing here was chosen on these sets:\n\n"
        + table(["method", "de", "es"], tt_rows)
        + f"\nDevelopment data chose **{chosen}**. For reference, the head's own zero-shot F1 on the target side "
        + "is in the NER head section (Europarl and CoNLL model-transfer rows): the NER score can only help as "
        + "far as the target-side tagger is right.\n"
    )
    publish("fused-weights", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
