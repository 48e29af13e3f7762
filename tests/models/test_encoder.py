import numpy as np
import pytest

from tests.tiny_models import build_tiny_bert
from xner.errors import ConfigError, XnerError
from xner.models.encoder import SubwordEncoder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build_tiny_bert(tmp_path_factory.mktemp("tiny-bert"), max_positions=16)


def test_word_vectors_average_their_subwords(tiny):
    encoder = SubwordEncoder(str(tiny), layer=2)
    (encoded,) = encoder.encode([["Angela", "Merkel", "Straßburg"]])
    assert encoded.n_words == 3 and len(encoded.word_of_subword) == encoded.vectors.shape[0]
    words = encoded.word_vectors()
    for w in range(3):
        assert np.allclose(words[w], encoded.vectors[encoded.word_of_subword == w].mean(0), atol=1e-6)


def test_batched_and_sorted_encoding_equals_one_by_one(tiny):
    encoder = SubwordEncoder(str(tiny), layer=3, batch_tokens=40)
    sentences = [s.split() for s in ["Paris", "Angela Merkel besuchte Paris", "The European Parliament met"]]
    together = encoder.encode(sentences)
    for sentence, batched in zip(sentences, together):
        (alone,) = encoder.encode([sentence])
        assert np.allclose(alone.vectors, batched.vectors, atol=1e-5)


def test_long_sentences_are_windowed_not_truncated(tiny):
    encoder = SubwordEncoder(str(tiny), layer=2)
    assert encoder.max_subwords == 14  # 16 positions minus [CLS] and [SEP]
    long = ("Angela Merkel visited Paris with executives from Siemens . " * 6).split()
    (encoded,) = encoder.encode([long])
    assert encoded.n_words == len(long) and encoded.word_vectors().shape[0] == len(long)
    assert set(encoded.word_of_subword.tolist()) == set(range(len(long)))
    assert np.isfinite(encoded.vectors).all()


def test_bad_layer_and_missing_model(tiny, tmp_path):
    with pytest.raises(ConfigError, match="layers 1..3"):
        SubwordEncoder(str(tiny), layer=7)
    with pytest.raises(XnerError, match="could not be loaded"):
        SubwordEncoder(str(tmp_path / "nothing-here"), layer=1)
