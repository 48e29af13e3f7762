
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tiny_models import build_tiny_seq2seq
from xner.errors import ConfigError
from xner.ner.base import TaggedSentence
from xner.projection.backtranslation import BackTranslationProjector, mark_entities, read_marked
from xner.projection.base import build_projector
from xner.projection.matching import CandidateMatchingProjector
from xner.projection.ner_candidates import NerScorer, NerSpanExtractor, TagCache
from xner.projection.translation_score import TranslationScorer
from xner.translation.seq2seq import Seq2SeqTranslator
from xner.reasons import Unsupported
from xner.types import Alignment, Entity, SentencePair, Span


class FixedTagger:
    name = "fixed"

    def __init__(self, entities, probabilities=None):
        self.entities, self.probabilities, self.calls = entities, probabilities, 0

    def tag(self, sentences):
        self.calls += 1
        return [TaggedSentence(self.entities, self.probabilities) for _ in sentences]


PAIR = SentencePair(("Socialist", "Group", "met"), ("Sozialdemokratische", "Fraktion", "tagte"),
                    (Entity(0, 2, "ORG"),), alignment=Alignment.of([(0, 0), (2, 2)]))


def test_ner_spans_recover_what_the_alignment_misses():
    # the alignment links only the first word; the target NER finds the whole name
    tagger = FixedTagger((Entity(0, 2, "ORG"),))
    ngram_only = build_projector("ngram").project(PAIR).entities
    tags = TagCache(tagger)
    with_ner = CandidateMatchingProjector(extractors=(NerSpanExtractor(tags),)).project(PAIR).entities
    assert ngram_only == (Entity(0, 1, "ORG"),) and with_ner == (Entity(0, 2, "ORG"),)
    CandidateMatchingProjector(extractors=(NerSpanExtractor(tags),)).project(PAIR)
    assert tagger.calls == 1  # the sentence was tagged once


def test_ner_score_formula():
    probabilities = ({"B-ORG": 0.9, "I-ORG": 0.05, "O": 0.05}, {"I-ORG": 0.6, "B-PER": 0.3, "O": 0.1},
                     {"O": 0.97, "I-PER": 0.03})
    scorer = NerScorer(TagCache(FixedTagger((), probabilities)))
    scores = scorer.score(PAIR, 0, [Span(0, 2), Span(0, 1), Span(2, 3), Span(1, 2)])
    assert scores[0] == pytest.approx(1.15 * (0.9 + 0.6) / 2)
    assert scores[1] == pytest.approx(0.9)
    assert scores[2] == 0.0  # 0 < 0.05: floored
    assert scores[3] == 0.0  # p(B-ORG | Fraktion) = 0
    agnostic = NerScorer(TagCache(FixedTagger((), probabilities)), class_agnostic=True)
    assert agnostic.score(PAIR, 0, [Span(1, 2)])[0] == pytest.approx(0.3)


def test_fused_weights_and_model_requirements():
    assert build_projector("fused").weights == {"alignment": 1.0}
    assert build_projector("fused", name_weight=0.5).weights == {"alignment": 1.0, "name": 0.5}
    assert build_projector("fused", weights="alignment=1,name=0.5").weights == {"alignment": 1.0, "name": 0.5}
    with pytest.raises(ConfigError, match="target-language NER"):
        build_projector("ner-span")
    with pytest.raises(ConfigError, match="target language"):
        build_projector("backtranslation")


def test_translation_score_is_bounded_and_floored(tmp_path):
    translator = Seq2SeqTranslator(str(build_tiny_seq2seq(tmp_path / "mt")))
    scorer = TranslationScorer(translator, "en", "es")
    pair = SentencePair(("Angela", "Merkel", "visited", "Paris"), ("Angela", "Merkel", "visitó", "Paris"),
                        (Entity(3, 4, "LOC"),), alignment=Alignment())
    scores = scorer.score(pair, 0, [Span(3, 4), Span(0, 2)])
    assert scores.shape == (2,) and np.all(scores >= 0) and all(s == 0 or s >= 0.1 for s in scores)
    # identical texts in the same language score exactly 1
    same = TranslationScorer(translator, "es", "es").score(
        SentencePair(("Paris",), ("Paris",), (Entity(0, 1, "LOC"),)), 0, [Span(0, 1)])
    assert same[0] == pytest.approx(1.0)


def test_marked_translation_is_read_back_with_the_best_matching_label():
    words = ("Angela", "Merkel", "visited", "Paris", ".")
    entities = (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))
    assert mark_entities(words, entities) == "[Angela Merkel] visited [Paris]."
    out_words, out_entities = read_marked("[Angela Merkel] visitó [París].", ["Angela Merkel", "París"], ["PER", "LOC"])
    assert out_words == ("Angela", "Merkel", "visitó", "París", ".")
    assert out_entities == (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))
    # a marked span like no entity translation (ratio <= 0.5) gets no label
    assert read_marked("[xyz] visitó", ["Angela Merkel"], ["PER"])[1] == ()


def test_backtranslation_projects_through_the_labelled_translation():
    class Marker:
        name = "marker"

        def translate(self, texts, src, tgt):
            table = {"[Angela Merkel] visited [Paris].": "[Angela Merkel] visitó [París].",
                     "Angela Merkel": "Angela Merkel", "Paris": "París"}
            return [table[t] for t in texts]

    class Identity:
        name = "identity"

        def align(self, pairs):
            return [Alignment.of((i, i) for i in range(min(len(s), len(t)))) for s, t in pairs]

    source = SentencePair(("Angela", "Merkel", "visited", "Paris", "."), ("Angela", "Merkel", "visitó", "París", "."),
                          (Entity(0, 2, "PER"), Entity(3, 4, "LOC")))
    projector = BackTranslationProjector(Marker(), Identity(), build_projector("heuristic"), "en", "es")
    assert projector.project(source).entities == (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))
    assert projector.project(SentencePair(("x",), ("y",))).entities == ()


def test_translation_score_is_nmtscore_of_known_log_probabilities():
    # ½ [P(a|b) / P(a|a) + P(b|a) / P(b|b)], P = exp(mean log-prob), each in its own languages
    table = {("Paris", "Paris", "en", "en"): -0.5, ("París", "París", "es", "es"): -0.2,
             ("Paris", "París", "en", "es"): -1.0, ("París", "Paris", "es", "en"): -0.9,
             ("visitó", "visitó", "es", "es"): -0.3, ("Paris", "visitó", "en", "es"): -4.0,
             ("visitó", "Paris", "es", "en"): -5.0}

    class KnownLogP:
        def log_probability(self, sources, targets, src, tgt):
            return [table[(s, t, src, tgt)] for s, t in zip(sources, targets)]

    pair = SentencePair(("Merkel", "visited", "Paris"), ("Merkel", "visitó", "París"), (Entity(2, 3, "LOC"),))
    scores = TranslationScorer(KnownLogP(), "en", "es").score(pair, 0, [Span(2, 3), Span(1, 2)])
    assert scores[0] == pytest.approx(0.5 * (np.exp(-0.9 + 0.5) + np.exp(-1.0 + 0.2)))
    # 0.5 * (e^-4.5 + e^-3.7) = 0.018 < 0.1: floored to 0
    assert scores[1] == 0.0


@pytest.mark.parametrize("translation, words, entities", [
    ("Merkel ] visitó [París].", ("Merkel", "visitó", "París", "."), (Entity(2, 3, "LOC"),)),
    ("[[Angela Merkel] visitó [París].", ("Angela", "Merkel", "visitó", "París", "."),
     (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))),
    ("[Angela [Merkel]] visitó París [.", ("Angela", "Merkel", "visitó", "París", "."), (Entity(1, 2, "PER"),)),
])
def test_stray_and_nested_markers_do_not_shift_the_entities(translation, words, entities):
    out_words, out_entities = read_marked(translation, ["Angela Merkel", "París"], ["PER", "LOC"])
    assert out_words == words and out_entities == entities


def test_ner_span_finishes_spans_like_the_other_methods(monkeypatch):
    import xner.ner.base

    # the target NER proposes "in Deutschland"; German function words come off the edge
    monkeypatch.setattr(xner.ner.base, "build_tagger", lambda spec, **_: FixedTagger((Entity(0, 2, "LOC"),)))
    pair = SentencePair(("Germany", "."), ("in", "Deutschland", "."), (Entity(0, 1, "LOC"),),
                        alignment=Alignment.of([(0, 1), (1, 2)]))
    assert build_projector("ner-span", target_ner="x").project(pair).entities == (Entity(0, 2, "LOC"),)
    finished = build_projector("ner-span", target_ner="x", trim_stop_words="de").project(pair)
    assert finished.entities == (Entity(1, 2, "LOC"),)
    assert next(c.reason for c in finished.candidates if c.chosen).trimmed == ("in",)


def test_unknown_options_are_errors_not_ignored():
    from xner.alignment.base import build_aligner
    from xner.translation.base import build_translator

    with pytest.raises(ConfigError, match="projection method 'ner-span' has no option 'trim_stopwords'"):
        build_projector("ner-span", target_ner="spacy:x", trim_stopwords="de")
    with pytest.raises(ConfigError, match="'ngram' has no option 'weights'"):
        build_projector("ngram", weights={"alignment": 1.0})
    with pytest.raises(ConfigError, match="aligner 'embedding' has no option 'layr'; it takes: .*layer"):
        build_aligner("embedding", layr=7)
    with pytest.raises(ConfigError, match="aligner 'embedding-match' has no option 'layr'"):
        build_aligner("embedding-match", layr=7)
    with pytest.raises(ConfigError, match="translator 'hf' has no option 'beams'"):
        build_translator("hf:some/model", beams=2)
    assert build_aligner("embedding-match", layer=3).method == "match"


def test_fusion_weights_from_a_string_and_a_checked_scorer_set():
    from xner.projection.methods import parse_weights

    assert parse_weights("alignment=0.5,ner=0.5,translation=1") == PUBLISHED
    assert build_projector("fused", weights="alignment=2").weights == {"alignment": 2.0}
    with pytest.raises(ConfigError, match="SCORER=NUMBER"):
        parse_weights("alignment:0.5")
    for bad in ("alignment=-1", "alignment=0.5,ner=nan", "ner=inf", {"alignment": -0.5}):
        with pytest.raises(ConfigError, match="at least 0"):
            parse_weights(bad)
    with pytest.raises(ConfigError, match="above 0"):
        parse_weights("alignment=0,ner=0")
    assert parse_weights("alignment=1,ner=0") == {"alignment": 1.0, "ner": 0.0}
    with pytest.raises(ConfigError, match="not configured: translation"):
        build_projector("fused", weights="alignment=0.5,translation=1")
    with pytest.raises(ConfigError, match="need the target language"):
        build_projector("fused", translation_model="some/model")


def test_fused_with_a_translation_model_and_back_translation_candidates(tmp_path, monkeypatch):
    import xner.projection.methods as methods
    from xner.projection.backtranslation import BackTranslationExtractor

    projector = build_projector("fused", translation_model=str(build_tiny_seq2seq(tmp_path / "mt")), tgt_lang="es",
                                weights="alignment=0.5,translation=1", device="cpu")
    assert [s.name for s in projector.scorers] == ["alignment", "translation"]
    assert projector.scorers[1].translator.device == "cpu"
    pair = SentencePair(("Angela", "Merkel", "visited", "Paris"), ("Angela", "Merkel", "visitó", "Paris"),
                        (Entity(3, 4, "LOC"),), alignment=Alignment.of([(0, 0), (1, 1), (2, 2), (3, 3)]))
    result = projector.project(pair)
    chosen = next(c for c in result.candidates if c.chosen)
    assert chosen.total == pytest.approx(0.5 * chosen.scores["alignment"] + chosen.scores["translation"])
    assert result.entities == (Entity(3, 4, "LOC"),)

    # back-translation proposes candidates the n-grams cannot (a span beyond max_ngram here)
    class Marker:
        name = "marker"

        def translate(self, texts, src, tgt):
            table = {"[Angela Merkel] visited Paris": "[Angela Merkel] visitó Paris", "Angela Merkel": "Angela Merkel"}
            return [table[t] for t in texts]

    monkeypatch.setattr("xner.translation.base.build_translator", lambda spec, **_: Marker())
    monkeypatch.setattr("xner.alignment.base.build_aligner", lambda name, **_: IDENTITY)
    fused = methods._fused(backtranslation="marker", tgt_lang="es", max_ngram=1)
    assert any(isinstance(e, BackTranslationExtractor) for e in fused.extractors)
    person = SentencePair(pair.source_words, pair.target_words, (Entity(0, 2, "PER"),), alignment=pair.alignment)
    found = fused.project(person)
    assert found.entities == (Entity(0, 2, "PER"),)
    assert "backtranslation" in next(c for c in found.candidates if c.chosen).origin


class _Identity:
    name = "identity"

    def align(self, pairs):
        return [Alignment.of((i, i) for i in range(min(len(s), len(t)))) for s, t in pairs]


IDENTITY = _Identity()
PUBLISHED = {"alignment": 0.5, "ner": 0.5, "translation": 1.0}


def test_backtranslation_translates_and_aligns_a_dataset_in_one_call_each():
    class Counting:
        name = "counting"
        calls = 0

        def translate(self, texts, src, tgt):
            Counting.calls += 1
            return [t.replace("visited", "visitó") for t in texts]

    class CountingAligner(_Identity):
        calls = 0

        def align(self, pairs):
            CountingAligner.calls += 1
            return super().align(pairs)

    pairs = [SentencePair(("Angela", "Merkel", "visited", word), ("Angela", "Merkel", "visitó", word),
                          (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))) for word in ("Paris", "Rome", "Oslo")]
    projector = BackTranslationProjector(Counting(), CountingAligner(), build_projector("heuristic"), "en", "es")
    projector.prepare(pairs)
    results = [projector.project(p).entities for p in pairs]
    assert Counting.calls == 1 and CountingAligner.calls == 1
    assert results == [(Entity(0, 2, "PER"), Entity(3, 4, "LOC"))] * 3


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["O", "B-ORG", "I-ORG", "B-PER", "I-PER"]),
                                st.floats(0, 1), min_size=1), min_size=1, max_size=8),
       st.booleans())
def test_ner_score_matches_the_formula_word_by_word(probabilities, agnostic):
    words = tuple(f"w{i}" for i in range(len(probabilities)))
    pair = SentencePair(("Socialist", "Group"), words, (Entity(0, 2, "ORG"),))
    spans = [Span(a, b) for a in range(len(words)) for b in range(a + 1, len(words) + 1)]
    scorer = NerScorer(TagCache(FixedTagger((), tuple(probabilities))), class_agnostic=agnostic)

    def p(k, prefix):
        if agnostic:
            return sum(v for tag, v in probabilities[k].items() if tag.startswith(prefix + "-"))
        return probabilities[k].get(f"{prefix}-ORG", 0.0)

    for span, value in zip(spans, scorer.score(pair, 0, spans)):
        n = len(span)
        expected = 1.15 ** (n - 1) * (p(span.start, "B") + sum(p(k, "I") for k in range(span.start + 1, span.end))) / n
        if abs(expected - 0.05) > 1e-9:  # exactly at the floor, rounding may fall either way
            assert value == pytest.approx(expected if expected >= 0.05 else 0.0, abs=1e-9)


class SimilarityTranslator:
    """log P(target | source) from how alike the two strings are; counts what it is asked."""

    def __init__(self):
        self.calls, self.pairs = 0, 0

    def log_probability(self, sources, targets, src, tgt):
        from difflib import SequenceMatcher

        self.calls += 1
        self.pairs += len(sources)
        return [-0.1 - 2.0 * (1 - SequenceMatcher(None, s.lower(), t.lower()).ratio()) for s, t in zip(sources, targets)]


def _fused(translator, prefilter):
    from xner.projection.candidates import NgramExtractor
    from xner.projection.scores import AlignmentScorer

    return CandidateMatchingProjector((NgramExtractor(max_len=4),),
                                      (AlignmentScorer(), TranslationScorer(translator, "en", "es", prefilter=prefilter)),
                                      {"alignment": 0.5, "translation": 1.0}, name="fused")


def test_translation_score_batches_a_whole_sentence_pair_once_per_direction():
    words = ("Angela", "Merkel", "visited", "Paris", "and", "Siemens", "in", "Munich")
    pair = SentencePair(words, words, (Entity(0, 2, "PER"), Entity(3, 4, "LOC"), Entity(5, 6, "ORG")))
    spans = [[Span(i, j) for i in range(8) for j in range(i + 1, min(8, i + 3) + 1)]] * 3
    translator = SimilarityTranslator()
    scorer = TranslationScorer(translator, "en", "es")
    together = scorer.score_many(pair, spans)
    assert translator.calls == 4  # a|a, a|b, b|a, b|b: one batched call each, for 3 entities × 21 candidates
    one_by_one = TranslationScorer(SimilarityTranslator(), "en", "es")
    for k in range(3):
        np.testing.assert_allclose(together[k], one_by_one.score(pair, k, spans[k]), rtol=0, atol=1e-12)
    scorer.score_many(pair, spans)
    assert translator.calls == 4  # every text pair is remembered
    assert [len(s) for s in scorer.score_many(pair, [[], [Span(3, 4)], []])] == [0, 1, 0]


EUROPARL_LIKE = [  # aligned word for word; the entity's own words are the best translation
    (("Mr", "Barroso", "spoke", "in", "Strasbourg"), ("Herr", "Barroso", "sprach", "in", "Straßburg"),
     (Entity(1, 2, "PER"), Entity(4, 5, "LOC"))),
    (("the", "European", "Commission", "agrees"), ("la", "Comisión", "Europea", "está", "de", "acuerdo"),
     (Entity(1, 3, "ORG"),)),
    (("Greece", "and", "Portugal", "voted"), ("Grecia", "y", "Portugal", "votaron"),
     (Entity(0, 1, "LOC"), Entity(2, 3, "LOC"))),
]
LINKS = [[(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)], [(0, 0), (1, 2), (2, 1), (3, 3), (3, 4), (3, 5)],
         [(0, 0), (1, 1), (2, 2), (3, 3)]]


def test_translation_prefilter_keeps_every_choice_where_translation_alone_never_wins():
    pairs = [SentencePair(s, t, e, alignment=Alignment.of(links)) for (s, t, e), links in zip(EUROPARL_LIKE, LINKS)]
    full_translator, filtered_translator = SimilarityTranslator(), SimilarityTranslator()
    full = [_fused(full_translator, prefilter=False).project(p) for p in pairs]
    filtered = [_fused(filtered_translator, prefilter=True).project(p) for p in pairs]
    # the premise: no choice without the prefilter rests on the translation score alone
    assert all(c.scores["alignment"] > 0 for r in full for c in r.candidates if c.chosen)
    assert any(c.scores["alignment"] == 0 and c.total > 0 for r in full for c in r.candidates)  # there were some
    assert [r.entities for r in filtered] == [r.entities for r in full]
    for a, b in zip(full, filtered):
        kept = {(c.entity_index, c.span): c for c in b.candidates}
        # the prefilter drops exactly the translation-only candidates; every other keeps its scores
        assert {(c.entity_index, c.span) for c in a.candidates if c.scores["alignment"] > 0} == set(kept)
        for c in a.candidates:
            if (c.entity_index, c.span) in kept:
                assert kept[(c.entity_index, c.span)].scores == c.scores
    assert filtered_translator.pairs < full_translator.pairs


def test_translation_prefilter_drops_what_the_translation_score_alone_would_find():
    # the aligner missed "Paris" entirely: only the translation score sees "París"
    pair = SentencePair(("Merkel", "visited", "Paris"), ("Merkel", "visitó", "París"),
                        (Entity(0, 1, "PER"), Entity(2, 3, "LOC")), alignment=Alignment.of([(0, 0), (1, 1)]))
    without = _fused(SimilarityTranslator(), prefilter=False).project(pair)
    assert without.entities == (Entity(0, 1, "PER"), Entity(2, 3, "LOC"))
    assert next(c for c in without.candidates if c.chosen and c.entity_index == 1).scores["alignment"] == 0
    assert _fused(SimilarityTranslator(), prefilter=True).project(pair).entities == (Entity(0, 1, "PER"),)
    assert build_projector("fused", translation_model="m", tgt_lang="es").scorers[1].prefilter
    assert not build_projector("fused", translation_model="m", tgt_lang="es",
                               translation_prefilter=False).scorers[1].prefilter


def test_translation_prefilter_stands_aside_when_translation_alone_is_weighed():
    from xner.projection.candidates import NgramExtractor
    from xner.projection.scores import AlignmentScorer

    # no links at all, and only the translation score weighs: the prefilter would keep nothing
    pair = SentencePair(("Angela", "Merkel"), ("la", "Merkel"), (Entity(0, 2, "PER"),), alignment=Alignment.of([]))
    results = [CandidateMatchingProjector((NgramExtractor(max_len=2, window=False),),
                                          (AlignmentScorer(), TranslationScorer(SimilarityTranslator(), "en", "es",
                                                                                prefilter=prefilter)),
                                          {"alignment": 0.0, "translation": 1.0}, name="fused").project(pair)
               for prefilter in (False, True)]
    assert results[0].entities == results[1].entities != ()


def test_bounded_caches_keep_the_last_sentences_and_change_no_result():
    from dataclasses import replace

    from xner.projection.backtranslation import BackTranslationExtractor
    from xner.projection.methods import LRUCache, bound_caches

    class Copying:  # a back-translation that copies: markers and all
        name = "copying"

        def translate(self, texts, src, tgt):
            return list(texts)

    def build(tagger):
        tags = TagCache(tagger)
        base = _fused(SimilarityTranslator(), prefilter=False)
        back = BackTranslationExtractor(BackTranslationProjector(Copying(), IDENTITY, build_projector("heuristic"),
                                                                 "en", "es"))
        return replace(base, extractors=(*base.extractors, NerSpanExtractor(tags), back),
                       scorers=(*base.scorers, NerScorer(tags, class_agnostic=True)), weights=PUBLISHED)

    names = ["Paris", "Rome", "Oslo", "Lima", "Bern", "Kyiv", "Riga", "Baku", "Doha", "Male"]
    pairs = [SentencePair(("Angela", "Merkel", "visited", name), ("Angela", "Merkel", "visitó", name),
                          (Entity(0, 2, "PER"), Entity(3, 4, "LOC")), alignment=Alignment.of((i, i) for i in range(4)))
             for name in names]
    probabilities = ({"B-PER": 0.9, "O": 0.1}, {"I-PER": 0.8, "O": 0.2}, {"O": 1.0}, {"B-LOC": 0.7, "O": 0.3})
    tagger = FixedTagger((Entity(0, 2, "PER"),), probabilities)
    bounded, unbounded = bound_caches(build(tagger), sentences=3), build(FixedTagger((Entity(0, 2, "PER"),),
                                                                                     probabilities))
    tags, translation = bounded.extractors[1].tags, bounded.scorers[1]
    back = bounded.extractors[2].projector
    caches = [tags.cache, translation._cache, back._cache, back._alignments]
    assert all(isinstance(c, LRUCache) for c in caches)
    assert [c.maxsize for c in caches] == [3, 3 * 400, 3, 3]

    def seen(result):
        return result.entities, [(c.entity_index, c.span, dict(c.scores), c.total, c.chosen) for c in result.candidates]

    for pair in [*pairs, pairs[0]]:  # the first again, long after it was dropped
        assert seen(bounded.project(pair)) == seen(unbounded.project(pair))
        assert len(tags.cache) <= 3 and len(back._cache) <= 3 and len(back._alignments) <= 3
    assert tagger.calls == len(pairs) + 1  # tagged again: its tags were dropped
    assert list(tags.cache) == [p.target_words for p in (pairs[-2], pairs[-1], pairs[0])]
    assert bound_caches(bounded, sentences=3).extractors[1].tags.cache is tags.cache  # bounding twice changes nothing


def test_lru_cache_keeps_what_one_update_adds():
    from xner.projection.methods import LRUCache

    cache = LRUCache(2, {"a": 1, "b": 2})
    assert "a" in cache  # a use: "b" is now the oldest
    cache["c"] = 3
    assert list(cache) == ["a", "c"]
    cache.update({k: k for k in "wxyz"})  # more than fits at once: its caller reads them next
    assert list(cache) == list("wxyz") and [cache[k] for k in "wxyz"] == list("wxyz")
    cache["q"] = 0
    assert list(cache) == ["z", "q"]


class NameTagger:
    """Tags every capitalised word a PER, sure of it: a class-agnostic NER score near 1 there."""

    name = "names"

    def tag(self, sentences):
        tags = ("O", "B-PER", "I-PER")
        return [TaggedSentence(tuple(Entity(k, k + 1, "PER") for k, w in enumerate(s) if w[:1].isupper()),
                               tuple({t: (0.98 if (t == "B-PER") == w[:1].isupper() and t != "I-PER" else 0.01)
                                      for t in tags} for w in s)) for s in sentences]


def test_fused_can_refuse_candidates_only_the_ner_score_supports():
    # "Lopez" is aligned to nothing; the only name left in the target is "Maria", taken by nobody
    pair = SentencePair(("Smith", "met", "Lopez"), ("Smith", "traf", "Maria"), (Entity(0, 1, "PER"), Entity(2, 3, "PER")),
                        alignment=Alignment.of([(0, 0), (1, 1)]))
    published = build_projector("fused", target_ner=NameTagger()).project(pair)
    assert published.entities == (Entity(0, 1, "PER"), Entity(2, 3, "PER"))  # any name will do for "Lopez"
    aligned = build_projector("fused", target_ner=NameTagger(), ner_alone=False).project(pair)
    assert aligned.entities == (Entity(0, 1, "PER"),)
    (refused,) = [c for c in aligned.candidates_for(1) if c.span == Span(2, 3)]
    assert not refused.chosen and refused.reason == Unsupported(("alignment",))
    assert refused.scores["ner"] > 0.5 and refused.scores["alignment"] == 0  # shown with its scores
    # every candidate with alignment support scores and competes as before
    supported = [c for c in published.candidates if c.scores["alignment"] > 0]
    assert [(c.span, c.total, c.chosen) for c in supported] == \
        [(c.span, c.total, c.chosen) for c in aligned.candidates if c.scores["alignment"] > 0]
