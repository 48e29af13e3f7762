"""Projection methods that need models beside the alignment: NER-span matching, fused
scores, back-translation. Registered by name like the alignment-only methods."""

from __future__ import annotations

import dataclasses
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from xner.errors import ConfigError
from xner.projection.base import build_projector, projectors
from xner.projection.boundaries import BoundaryTrimmer
from xner.projection.candidates import NgramExtractor
from xner.projection.labels import parse_compound_labels, parse_derived_labels
from xner.projection.matching import CandidateMatchingProjector, with_names
from xner.projection.ner_candidates import NerScorer, NerSpanExtractor, TagCache
from xner.projection.scores import AlignmentScorer
from xner.projection.settings import BacktranslationSettings, FusedSettings, NerSpanSettings

if TYPE_CHECKING:
    from xner.ner.base import Tagger

PUBLISHED_FUSION = {"alignment": 0.5, "ner": 0.5, "translation": 1.0}


def parse_weights(weights: str | Mapping[str, float] | None) -> dict[str, float] | None:
    """``alignment=0.5,ner=0.5,translation=1`` (or a mapping) as ``{scorer: weight}``.

    >>> parse_weights("alignment=0.5, ner=0.5,translation=1")
    {'alignment': 0.5, 'ner': 0.5, 'translation': 1.0}
    """
    if weights is None:
        return None
    if isinstance(weights, Mapping):
        return _checked_weights(dict(weights), weights)
    parsed: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in weights.split(","))):
        name, sep, value = item.partition("=")
        try:
            parsed[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise ConfigError("{weights} {given!r}: write SCORER=NUMBER pairs separated by commas, "
                              "e.g. alignment=0.5,ner=0.5,translation=1", settings=("weights",), given=weights)
    return _checked_weights(parsed, weights)


def _checked_weights(parsed: dict[str, float], given) -> dict[str, float]:
    """Weights are finite and not negative, and one is positive: only a candidate scoring
    above 0 is ever chosen, so a negative weight would silently project nothing."""
    bad = [name for name, value in parsed.items() if not math.isfinite(value) or value < 0]
    if bad:
        raise ConfigError("{weights} {given!r}: {bad} must be a number of at least 0 "
                          "(e.g. alignment=0.5,ner=0.5,translation=1)", settings=("weights",), given=given,
                          bad=", ".join(bad))
    if parsed and not any(parsed.values()):
        raise ConfigError("{weights} {given!r}: give at least one scorer a weight above 0, or nothing is projected",
                          settings=("weights",), given=given)
    return parsed


def _tagger(target_ner: str | Tagger, device: str = "auto") -> Tagger:
    """A tagger from its spec (``spacy:MODEL``, ``hf:MODEL``, ``head:DIR``) on ``device``, or one
    already built (so several projectors can share one model and its tags)."""
    if isinstance(target_ner, str):
        from xner.ner.base import build_tagger

        return build_tagger(target_ner, device=device)
    return target_ner


@projectors.register("ner-span", settings=NerSpanSettings)
def _ner_span(
    target_ner: str | Tagger | None = None, solver: str = "greedy", trim_punctuation: bool = True,
    trim_stop_words: str | None = None, src_lang: str = "en", derived_labels: str | Mapping[str, str] | None = None,
    device: str = "auto", compound_labels: str | Mapping[str, str] | None = None, learn_edges: bool = True,
) -> CandidateMatchingProjector:
    """Spans found by a target-language NER model, matched by alignment overlap (the model runs on ``device``)."""
    if not target_ner:
        raise ConfigError("the ner-span method needs a target-language NER model: set {target_ner} to head:DIR, "
                          "spacy:MODEL or hf:MODEL", settings=("target_ner",))
    boundaries = BoundaryTrimmer.from_options(trim_punctuation, trim_stop_words, src_lang, learn_edges)
    return CandidateMatchingProjector(extractors=(NerSpanExtractor(TagCache(_tagger(target_ner, device))),),
                                      solver=solver, name="ner-span", boundaries=boundaries,
                                      derived_labels=parse_derived_labels(derived_labels),
                                      compound_labels=parse_compound_labels(compound_labels))


NER_SCORES = ("words", "whole")


@projectors.register("fused", settings=FusedSettings)
def _fused(
    target_ner: str | Tagger | None = None, translation_model: str | None = None, src_lang: str = "en",
    tgt_lang: str | None = None, max_ngram: int = 10, solver: str = "greedy", trim_punctuation: bool = True,
    trim_stop_words: str | None = None, weights: str | Mapping[str, float] | None = None,
    derived_labels: str | Mapping[str, str] | None = None, backtranslation: str | None = None,
    aligner: str = "embedding", device: str = "auto", translation_prefilter: bool = True, ner_score: str = "words",
    compound_labels: str | Mapping[str, str] | None = None, ner_alone: bool = True,
    name_weight: float = 0.0, learn_edges: bool = True,
) -> CandidateMatchingProjector:
    """N-gram (+ NER-span, + back-translation) candidates; alignment + class-agnostic NER + translation scores.

    ``translation_model``: a seq2seq model (hub id or directory) for the NMTScore-style
    translation score; ``backtranslation``: a translator spec (``apertium``, ``hf:MODEL``)
    whose marker back-translation proposes candidates (METHOD §5), aligned with ``aligner``;
    ``weights``: ``alignment=0.5,ner=0.5,translation=1`` (default: the published fusion of
    the scores configured); ``translation_prefilter``: ask the translation model only about
    candidates the alignment or NER score already supports (a candidate only the
    translation score supports is then never chosen; all others score as without it);
    ``device``: where every model of the method runs; ``ner_score``: ``words`` (the published
    score from per-word probabilities) or ``whole`` (the exact probability that a candidate
    is one whole entity, from a CRF head as ``target_ner``); ``ner_alone``: whether a
    candidate that only the NER score supports (no word of the source entity aligned to it,
    no translation score) can be chosen, as published; the class-agnostic NER score says
    that a span is a name, not which source entity's, so ``False`` leaves such an entity
    unprojected rather than give it whatever name is left in the sentence; ``name_weight``
    (the name score's weight beside the default fusion: off by default, as published and as
    the fusion weights were chosen; given ``weights`` say ``name=W`` themselves) and
    ``learn_edges`` as for ``ngram``.
    """
    if ner_score not in NER_SCORES:
        raise ConfigError("{ner_score} {given!r}: choose one of " + ", ".join(NER_SCORES), settings=("ner_score",),
                          given=ner_score)
    boundaries = BoundaryTrimmer.from_options(trim_punctuation, trim_stop_words, src_lang, learn_edges)
    extractors: list = [NgramExtractor(max_len=max_ngram, boundaries=boundaries)]
    scorers: list = [AlignmentScorer()]
    if target_ner:
        tags = TagCache(_tagger(target_ner, device))
        extractors.append(NerSpanExtractor(tags))
        scorers.append(NerScorer(tags, class_agnostic=True, whole=ner_score == "whole"))
    if (translation_model or backtranslation) and not tgt_lang:
        raise ConfigError("the translation score and back-translation candidates need the target language "
                          "({tgt_lang})", settings=("tgt_lang",))
    if translation_model:
        from xner.projection.translation_score import TranslationScorer
        from xner.translation.seq2seq import Seq2SeqTranslator

        scorers.append(TranslationScorer(Seq2SeqTranslator(translation_model, device=device), src_lang, tgt_lang,
                                         prefilter=translation_prefilter))
    if backtranslation:
        from xner.projection.backtranslation import BackTranslationExtractor

        extractors.append(BackTranslationExtractor(
            _backtranslation(backtranslation, aligner, "heuristic", src_lang, tgt_lang, trim_stop_words, device)))
    names = {s.name for s in scorers}
    chosen = parse_weights(weights) or {k: v for k, v in PUBLISHED_FUSION.items() if k in names}
    if names == {"alignment"} and not weights:
        chosen = {"alignment": 1.0}
    # the name score joins the default fusion with name_weight; weights given name it themselves (or leave it out)
    extractors, scorers, chosen = with_names(tuple(extractors), tuple(scorers), chosen,
                                             chosen.pop("name", 0.0) if weights else name_weight)
    names = {s.name for s in scorers}
    return CandidateMatchingProjector(tuple(extractors), tuple(scorers), chosen, solver, name="fused",
                                      boundaries=boundaries, derived_labels=parse_derived_labels(derived_labels),
                                      compound_labels=parse_compound_labels(compound_labels),
                                      support=() if ner_alone else tuple(sorted(names - {"ner"})))


@projectors.register("backtranslation", settings=BacktranslationSettings)
def _backtranslation(
    translator: str = "apertium", aligner: str = "embedding", inner: str = "heuristic", src_lang: str = "en",
    tgt_lang: str | None = None, trim_stop_words: str | None = None, device: str = "auto",
    trim_punctuation: bool = True, derived_labels: str | Mapping[str, str] | None = None,
    compound_labels: str | Mapping[str, str] | None = None, learn_edges: bool = True,
):
    """Marker back-translation into the target language, aligned to the original (METHOD §5).

    The span-finishing options go to the inner projection (from the back-translation onto
    the original, both in the target language): ``trim_stop_words`` names that language.
    """
    from xner.alignment.base import build_aligner
    from xner.projection.backtranslation import BackTranslationProjector
    from xner.translation.base import build_translator

    if not tgt_lang:
        raise ConfigError("back-translation needs the target language ({tgt_lang})", settings=("tgt_lang",))
    translator_options = {"device": device} if translator.startswith("hf:") else {}
    aligner_options = {"device": device} if aligner.startswith("embedding") else {}
    return BackTranslationProjector(
        build_translator(translator, **translator_options), build_aligner(aligner, **aligner_options),
        build_projector(inner, trim_stop_words=trim_stop_words, src_lang=tgt_lang, trim_punctuation=trim_punctuation,
                        derived_labels=derived_labels, compound_labels=compound_labels, learn_edges=learn_edges),
        src_lang, tgt_lang)


def available_methods() -> list[tuple[str, str]]:
    """Every registered projection method with its one-line description (what a dropdown offers)."""
    from xner.projection import heuristic  # noqa: F401  (registers it)

    return [(name, projectors.describe(name)) for name in projectors.names()]


# The settings that bring in models and the methods that use each.
_MODEL_SETTINGS = {
    "target_ner": ("ner-span", "fused"),
    "translation_model": ("fused",),
    "weights": ("fused",),
    "backtranslation": ("fused", "backtranslation"),
}


def projector_from_settings(
    method: str, src_lang: str, tgt_lang: str, *, target_ner: str | Tagger | None = None,
    translation_model: str | None = None, weights: str | Mapping[str, float] | None = None,
    backtranslation: str | None = None, device: str | None = None, **options,
):
    """The projector of a pipeline run (``xner pipeline``, the live page) from its settings.

    The target words are in ``tgt_lang``, so every method trims their unaligned function
    words off span edges (``trim_stop_words=None`` among ``options`` turns that off).
    ``backtranslation`` is a translator spec (``apertium``, ``hf:MODEL``): the
    backtranslation method's own (default apertium), or for fused a source of extra
    candidates. ``device`` reaches the models of every method whose factory takes one.
    ``options`` are the method's own (``max_ngram``, ``solver``, ``inner`` …), checked by
    the registry. A model setting the method does not use is an error naming it (by its
    key: :class:`~xner.errors.ConfigError` lets the CLI and the page word it).

    >>> projector_from_settings("ngram", "en", "de", max_ngram=4).name
    'ngram'
    >>> projector_from_settings("ngram", "en", "de", weights="alignment=1")
    Traceback (most recent call last):
    ...
    xner.errors.ConfigError: weights does not apply to the ngram method (only to fused)
    """
    from xner.projection import heuristic  # noqa: F401  (registers it)

    if method not in projectors:
        return build_projector(method)  # the error that names the methods there are
    models = {"target_ner": target_ner, "translation_model": translation_model, "weights": weights,
              "backtranslation": backtranslation}
    for setting, value in models.items():
        if value and method not in _MODEL_SETTINGS[setting]:
            raise _does_not_apply(setting, method, _MODEL_SETTINGS[setting])
    if backtranslation and backtranslation.startswith("given:"):
        raise ConfigError("back-translation translates new text: its translator ({backtranslation}) must be "
                          "apertium or hf:MODEL, not {given}", settings=("backtranslation",), given=backtranslation)
    if method == "backtranslation":  # whose own translator it is
        models = {"translator": models.pop("backtranslation"), **models}
    takes = projectors.options(method) or frozenset()
    shared = {k: v for k, v in {"tgt_lang": tgt_lang, "device": device}.items() if k in takes}
    return build_projector(method, **{"trim_stop_words": tgt_lang, "src_lang": src_lang, **models, **shared, **options})


def with_weights(projector, weights: str | Mapping[str, float] | None):
    """``projector`` with its scores fused by other ``weights`` (empty: as built).

    The candidates and scorers are shared, and with them what their models computed (tags,
    translation scores): only the fusion and the selection run again.

    >>> fused = build_projector("fused")
    >>> with_weights(fused, "alignment=2").weights, with_weights(fused, "").weights
    ({'alignment': 2.0}, {'alignment': 1.0})
    """
    parsed = parse_weights(weights)
    if not parsed:
        return projector
    if not isinstance(projector, CandidateMatchingProjector):
        raise _does_not_apply("weights", projector.name, _MODEL_SETTINGS["weights"])
    return replace(projector, weights=parsed)


def _does_not_apply(setting: str, method: str, methods: tuple[str, ...]) -> ConfigError:
    return ConfigError("{%s} does not apply to the {method} method (only to {methods})" % setting,
                       settings=(setting,), method=method, methods=" and ".join(methods))


class LRUCache(OrderedDict):
    """A dict that keeps its ``maxsize`` most recently used entries (thread-safe).

    A drop-in for the plain dicts in which a projector's parts keep what their models
    computed: ``in``, ``[]`` and ``update`` count as a use. One ``update`` keeps all it
    adds even beyond ``maxsize`` (its caller reads them next), dropping older entries.

    >>> cache = LRUCache(2, {"a": 1, "b": 2})
    >>> "a" in cache; cache["c"] = 3; sorted(cache)
    True
    ['a', 'c']
    """

    def __init__(self, maxsize: int, items: Mapping | None = None) -> None:
        self.maxsize = maxsize
        self._lock = threading.RLock()
        super().__init__()
        self.update(items or {})

    def __contains__(self, key) -> bool:
        with self._lock:
            found = super().__contains__(key)
            if found:
                self.move_to_end(key)
            return found

    def __getitem__(self, key):
        with self._lock:
            value = super().__getitem__(key)
            self.move_to_end(key)
            return value

    def __setitem__(self, key, value) -> None:
        self.update({key: value})

    def update(self, other=(), /, **more) -> None:
        with self._lock:
            added = dict(other, **more)
            for key, value in added.items():
                super().__setitem__(key, value)
                self.move_to_end(key)
            while len(self) > max(self.maxsize, len(added)):
                self.popitem(last=False)

    def __reduce__(self):
        return type(self), (self.maxsize, dict(self))


# The dicts in which projector parts keep model outputs, and how many entries each keeps
# per sentence: the target NER's tags and a back-translation are one entry a sentence,
# the translation score one per candidate text (a few hundred for a long sentence).
_CACHE_FIELDS = ("cache", "_cache", "_alignments")
_ENTRIES_PER_SENTENCE = {"TranslationScorer": 400}


def bound_caches(projector, sentences: int = 256):
    """``projector`` with every cache of its parts an :class:`LRUCache` for about the last
    ``sentences`` sentences (a long-lived projector, as the live page keeps one, would
    otherwise keep the tags and scores of every sentence it ever projected).

    Returns ``projector`` (changed in place); what was cached stays."""
    seen: set[int] = set()

    def visit(part) -> None:
        if id(part) in seen:
            return
        seen.add(id(part))
        if isinstance(part, (tuple, list)):
            for item in part:
                visit(item)
            return
        if not dataclasses.is_dataclass(part) or isinstance(part, type):
            return
        for field in dataclasses.fields(part):
            value = getattr(part, field.name)
            if field.name in _CACHE_FIELDS and isinstance(value, dict):
                if not isinstance(value, LRUCache):
                    size = sentences * _ENTRIES_PER_SENTENCE.get(type(part).__name__, 1)
                    object.__setattr__(part, field.name, LRUCache(size, value))
            else:
                visit(value)

    visit(projector)
    return projector
