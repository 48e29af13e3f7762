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


def test_a_prefix_is_context_for_the_model_not_output(tmp_path):
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    tiny = build_tiny_bert(tmp_path / "bert", max_positions=64)
    words = ["Merkel", "Paris"]
    plain = SubwordEncoder(str(tiny), layer=2)
    prefixed = SubwordEncoder(str(tiny), layer=2, prefix="The Parliament")
    (without,), (with_prefix,) = plain.encode([words]), prefixed.encode([words])
    assert with_prefix.vectors.shape == without.vectors.shape  # one vector per sub-word of the sentence
    assert not np.allclose(with_prefix.vectors, without.vectors, atol=1e-4)  # the prefix changed the context
    assert prefixed.max_subwords == plain.max_subwords - len(prefixed.prefix_ids)
    # oracle: the model run on "[CLS] The Parliament Merkel Paris [SEP]", the prefix rows dropped
    encoded = Tokenizer.from_file(str(tiny / "tokenizer.json")).encode(["The", "Parliament", *words], is_pretokenized=True)
    model = AutoModel.from_pretrained(tiny).eval()
    with torch.no_grad():
        hidden = model(input_ids=torch.tensor([encoded.ids]), output_hidden_states=True).hidden_states[2][0].numpy()
    sentence_rows = [k for k, w in enumerate(encoded.word_ids) if w is not None and w >= 2]
    assert np.allclose(with_prefix.vectors, hidden[sentence_rows], atol=1e-5)


def test_device_is_explicit_or_auto_and_checked(tiny, monkeypatch):
    import torch

    from xner.models.encoder import load_encoder

    encoder = SubwordEncoder(str(tiny), layer=2, device="cpu")
    assert encoder.device == "cpu" and next(encoder.model.parameters()).device.type == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert load_encoder(str(tiny), 2, device="auto") is load_encoder(str(tiny), 2, device="cpu")
    with pytest.raises(ConfigError, match="sees no CUDA GPU"):
        SubwordEncoder(str(tiny), layer=2, device="cuda")
