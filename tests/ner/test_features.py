import numpy as np
import pytest

from tests.tiny_models import build_tiny_bert
from xner.models.encoder import SubwordEncoder
from xner.ner import features as features_module
from xner.ner.features import extract_features

SENTENCES = [["Angela", "Merkel", "visited", "Paris", "."], [], ["Das", "Europäische", "Parlament", "tagte", "."]]


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory):
    return build_tiny_bert(tmp_path_factory.mktemp("tiny-encoder"), layers=3)


def test_word_features_are_the_mean_of_each_layers_subword_vectors(tiny_encoder):
    found = extract_features(SENTENCES, str(tiny_encoder), (1, 3), cache=False)
    assert found.vectors.shape == (10, 2, 32) and found.vectors.dtype == np.float16
    assert len(found) == 3 and found.sentence(1).shape == (0, 2, 32)
    for column, layer in enumerate((1, 3)):  # the aligner's encoder, truncated at that layer, is the oracle
        oracle = SubwordEncoder(str(tiny_encoder), layer).encode([SENTENCES[0], SENTENCES[2]])
        for k, encoded in zip((0, 2), oracle):
            np.testing.assert_allclose(found.sentence(k)[:, column], encoded.word_vectors(), atol=2e-3, rtol=2e-3)


def test_features_are_cached_and_read_back_without_the_encoder(tiny_encoder, tmp_path, monkeypatch):
    first = extract_features(SENTENCES, str(tiny_encoder), (2, 3), cache=tmp_path)
    assert len(list(tmp_path.glob("*/done.json"))) == 1

    def no_encoder(*_args):
        raise AssertionError("cached features must not load the encoder")

    monkeypatch.setattr(features_module, "load_layer_encoder", no_encoder)
    again = extract_features(SENTENCES, str(tiny_encoder), (3, 2), cache=tmp_path)  # same layer set
    np.testing.assert_array_equal(np.asarray(again.vectors), np.asarray(first.vectors))
    np.testing.assert_array_equal(again.offsets, first.offsets)
    with pytest.raises(AssertionError, match="must not load"):  # other sentences: a new cache entry
        extract_features([["Paris"]], str(tiny_encoder), (2, 3), cache=tmp_path)
