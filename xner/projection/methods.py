"""Projection methods that need models beside the alignment: NER-span matching, fused
scores, back-translation. Registered by name like the alignment-only methods."""

from __future__ import annotations

from xner.errors import ConfigError
from xner.projection.base import build_projector, projectors
from xner.projection.boundaries import BoundaryTrimmer
from xner.projection.candidates import NgramExtractor
from xner.projection.labels import parse_derived_labels
from xner.projection.matching import CandidateMatchingProjector
from xner.projection.ner_candidates import NerScorer, NerSpanExtractor, TagCache
from xner.projection.scores import AlignmentScorer

PUBLISHED_FUSION = {"alignment": 0.5, "ner": 0.5, "translation": 1.0}


@projectors.register("ner-span")
def _ner_span(target_ner: str | None = None, solver: str = "greedy", **_: object) -> CandidateMatchingProjector:
    """Spans found by a target-language NER model, matched by alignment overlap."""
    from xner.ner.base import build_tagger

    if not target_ner:
        raise ConfigError("the ner-span method needs a target-language NER model: --target-ner spacy:MODEL or hf:MODEL")
    return CandidateMatchingProjector(extractors=(NerSpanExtractor(TagCache(build_tagger(target_ner))),),
                                      solver=solver, name="ner-span")


@projectors.register("fused")
def _fused(
    target_ner: str | None = None, translation_model: str | None = None, src_lang: str = "en",
    tgt_lang: str | None = None, max_ngram: int = 10, solver: str = "greedy", trim_punctuation: bool = True,
    trim_stop_words: str | None = None, weights: dict[str, float] | None = None,
    derived_labels: str | dict[str, str] | None = None, **_: object,
) -> CandidateMatchingProjector:
    """N-gram (+ NER-span) candidates; alignment + class-agnostic NER + translation scores."""
    boundaries = BoundaryTrimmer.from_options(trim_punctuation, trim_stop_words, src_lang)
    extractors: list = [NgramExtractor(max_len=max_ngram, boundaries=boundaries)]
    scorers: list = [AlignmentScorer()]
    if target_ner:
        from xner.ner.base import build_tagger

        tags = TagCache(build_tagger(target_ner))
        extractors.append(NerSpanExtractor(tags))
        scorers.append(NerScorer(tags, class_agnostic=True))
    if translation_model:
        from xner.projection.translation_score import TranslationScorer
        from xner.translation.seq2seq import Seq2SeqTranslator

        if not tgt_lang:
            raise ConfigError("the translation score needs the target language (--tgt-lang)")
        scorers.append(TranslationScorer(Seq2SeqTranslator(translation_model), src_lang, tgt_lang))
    names = {s.name for s in scorers}
    chosen = weights or {k: v for k, v in PUBLISHED_FUSION.items() if k in names}
    if names == {"alignment"} and not weights:
        chosen = {"alignment": 1.0}
    return CandidateMatchingProjector(tuple(extractors), tuple(scorers), chosen, solver, name="fused",
                                      boundaries=boundaries, derived_labels=parse_derived_labels(derived_labels))


@projectors.register("backtranslation")
def _backtranslation(
    translator: str = "apertium", aligner: str = "embedding", inner: str = "heuristic", src_lang: str = "en",
    tgt_lang: str | None = None, **_: object,
):
    """Marker back-translation into the target language, aligned to the original (METHOD §5)."""
    from xner.alignment.base import build_aligner
    from xner.projection.backtranslation import BackTranslationProjector
    from xner.translation.base import build_translator

    if not tgt_lang:
        raise ConfigError("back-translation needs the target language (--tgt-lang)")
    return BackTranslationProjector(build_translator(translator), build_aligner(aligner), build_projector(inner),
                                    src_lang, tgt_lang)
