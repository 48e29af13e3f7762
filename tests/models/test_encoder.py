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


def _forwards(monkeypatch, encoder):
    """Counts the sub-word sequences ``encoder``'s model is run on (one per window)."""
    from collections import Counter

    seen = Counter()
    forward = encoder.model.forward

    def counting(input_ids=None, attention_mask=None, **kwargs):
        for ids, mask in zip(input_ids.tolist(), attention_mask.tolist()):
            seen[tuple(i for i, m in zip(ids, mask) if m)] += 1
        return forward(input_ids=input_ids, attention_mask=attention_mask, **kwargs)

    monkeypatch.setattr(encoder.model, "forward", counting)
    return seen


SHARED = [s.split() for s in ["Angela Merkel besuchte Paris", "The European Parliament met", "Siemens"]]


def test_one_pass_serves_the_aligner_layer_and_the_layer_features(tiny, monkeypatch):
    from xner.models.encoder import EncoderUse, shared_passes

    aligner, features = SubwordEncoder(str(tiny), layer=2), SubwordEncoder(str(tiny), layer=3)
    assert aligner.share_key == features.share_key  # same directory, tokenisation, precision and device
    assert aligner._subwords(SHARED) == features._subwords(SHARED)
    alone_words, alone_vectors = features.encode_words(SHARED, (1, 2, 3)), aligner.encode(SHARED)
    uses = [EncoderUse(aligner, (2,)), EncoderUse(features, (1, 2, 3), words=True)]
    with shared_passes(uses, SHARED[:2]) as share:
        shallow, deep = _forwards(monkeypatch, aligner), _forwards(monkeypatch, features)
        words = features.encode_words(SHARED, (1, 2, 3))  # the shared ones for both, "Siemens" alone
        vectors = aligner.encode(SHARED)
    assert sum(deep.values()) == 3 and sum(shallow.values()) == 1  # only "Siemens" was encoded twice
    assert share.stats == {"encoded once": 2, "handed over": 2, "dropped": 0}
    for mine, alone in zip(words, alone_words):
        np.testing.assert_allclose(mine, alone, atol=1e-5)
    for mine, alone in zip(vectors, alone_vectors):
        np.testing.assert_array_equal(mine.word_of_subword, alone.word_of_subword)
        np.testing.assert_allclose(mine.vectors, alone.vectors, atol=1e-5)
    assert aligner.encode(SHARED[:1])[0].vectors.shape == alone_vectors[0].vectors.shape  # outside: its own pass
    assert sum(shallow.values()) == 2


def test_the_shallow_reader_first_and_a_bounded_store(tiny, monkeypatch):
    from xner.models.encoder import EncoderUse, shared_passes

    aligner, features = SubwordEncoder(str(tiny), layer=2), SubwordEncoder(str(tiny), layer=3)
    alone_words = features.encode_words(SHARED, (1, 3))
    with shared_passes([EncoderUse(aligner, (2,)), EncoderUse(features, (1, 3), words=True)], SHARED,
                       max_sentences=1) as share:
        shallow, deep = _forwards(monkeypatch, aligner), _forwards(monkeypatch, features)
        aligner.encode(SHARED)  # the deeper encoder runs for it, keeping the features' layers
        words = features.encode_words(SHARED, (1, 3))
    assert sum(shallow.values()) == 0 and sum(deep.values()) == 3 + 2  # two were dropped and encoded again
    assert share.stats == {"encoded once": 3, "handed over": 1, "dropped": 2}
    for mine, alone in zip(words, alone_words):
        np.testing.assert_allclose(mine, alone, atol=1e-5)


def test_the_store_is_bounded_by_bytes(tiny, monkeypatch):
    """The aligner reads first, so every sentence's head features wait in the store: by
    bytes, a large set keeps only what fits, and every result is as without sharing."""
    from xner.models.encoder import DEFAULT_SHARED_BYTES, EncoderUse, shared_passes

    words = "Angela Merkel besuchte Paris The European Parliament met Siemens in Berlin".split()
    sentences = [[words[(k + i) % len(words)] for i in range(3 + k % 6)] for k in range(60)]
    aligner, features = SubwordEncoder(str(tiny), layer=2), SubwordEncoder(str(tiny), layer=3)
    alone_words, alone_vectors = features.encode_words(sentences, (1, 3)), aligner.encode(sentences)
    one = alone_words[0].nbytes
    bound = 4 * one
    with shared_passes([EncoderUse(aligner, (2,)), EncoderUse(features, (1, 3), words=True)], sentences,
                       max_bytes=bound) as share:
        vectors = aligner.encode(sentences)
        assert 0 < share.kept_bytes <= bound
        mine = features.encode_words(sentences, (1, 3))
    assert share.peak_bytes <= bound and share.stats["dropped"] >= 40 and share.stats["handed over"] >= 1
    assert share.kept_bytes == 0  # released at the end of the block
    for ours, alone in zip(mine, alone_words):
        np.testing.assert_allclose(ours, alone, atol=1e-5)
    for ours, alone in zip(vectors, alone_vectors):
        np.testing.assert_allclose(ours.vectors, alone.vectors, atol=1e-5)
    assert 64 * 2**20 <= DEFAULT_SHARED_BYTES <= 1 * 2**30  # far below the ~1 GB 2,048 long sentences could take


def test_nothing_is_shared_between_passes_that_differ(tiny, monkeypatch):
    from xner.models import encoder as encoder_module
    from xner.models.encoder import EncoderUse, shared_passes

    float32, prefixed = SubwordEncoder(str(tiny), layer=2), SubwordEncoder(str(tiny), layer=3, prefix="The")
    bfloat16 = SubwordEncoder(str(tiny), layer=3, precision="bfloat16")
    for other in (prefixed, bfloat16):
        with shared_passes([EncoderUse(float32, (2,)), EncoderUse(other, (1, 3), words=True)], SHARED) as share:
            assert share is None
    # another model that claims the same key: the check on a probe sentence refuses it
    other = SubwordEncoder(str(build_tiny_bert(tiny.parent / "other-seed", max_positions=16, seed=1)), layer=3)
    monkeypatch.setattr(encoder_module.SubwordEncoder, "share_key", property(lambda self: "same"))
    with shared_passes([EncoderUse(float32, (2,)), EncoderUse(other, (1, 3), words=True)], SHARED) as share:
        assert share is None
