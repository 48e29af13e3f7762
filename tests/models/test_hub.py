"""Tokenizers loaded from their saved ``tokenizer.json``, checked against ``AutoTokenizer``."""

import json

import pytest

from tests.tiny_models import build_tiny_bert, build_tiny_seq2seq
from xner.models.hub import load_tokenizer


def auto_tokenizer_as_saved(source):
    """The oracle: ``AutoTokenizer`` with the normaliser of the saved ``tokenizer.json`` put back
    (transformers 5 rebuilds XLM-R's tokenizer without it)."""
    from pathlib import Path

    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source)
    saved = Path(source) / "tokenizer.json"
    if json.loads(saved.read_text())["normalizer"] != json.loads(tokenizer.backend_tokenizer.to_str())["normalizer"]:
        tokenizer.backend_tokenizer.normalizer = Tokenizer.from_file(str(saved)).normalizer
    return tokenizer


def assert_same_encodings(ours, oracle, sentences):
    for first in range(0, len(sentences), 256):
        batch = [list(words) for words in sentences[first : first + 256]]
        a = ours(batch, is_split_into_words=True)
        b = oracle(batch, is_split_into_words=True)
        assert dict(a) == dict(b)
        assert all(a.word_ids(k) == b.word_ids(k) for k in range(len(batch)))
        texts = [" ".join(words) for words in batch]
        assert dict(ours(texts, padding=True, truncation=True)) == dict(oracle(texts, padding=True, truncation=True))


WORDS = [("Angela", "Merkel", "besuchte", "Straßburg", "."), ("el", "3º", "informe", "ﬁnanciación", "½"),
         ("The", "European", "Parliament", "met", "on", "Friday", "17", "December", "1999", ".")]


@pytest.mark.parametrize("build", [build_tiny_bert, build_tiny_seq2seq])
def test_plain_tokenizers_load_from_their_file_and_encode_as_before(tmp_path, build):
    from transformers import PreTrainedTokenizerFast

    directory = build(tmp_path / "model")
    ours = load_tokenizer(str(directory))
    assert type(ours) is PreTrainedTokenizerFast and ours.is_fast
    oracle = auto_tokenizer_as_saved(str(directory))
    assert_same_encodings(ours, oracle, WORDS)
    assert ours.model_input_names == oracle.model_input_names  # BERT keeps its token_type_ids
    assert (ours.pad_token_id, ours.unk_token_id, ours.model_max_length) == (
        oracle.pad_token_id, oracle.unk_token_id, oracle.model_max_length)


def test_tokenizers_with_state_of_their_own_load_through_transformers(tmp_path):
    from tests.translation.tiny_nllb import build_tiny_nllb

    tokenizer = load_tokenizer(str(build_tiny_nllb(tmp_path / "nllb")))
    assert type(tokenizer).__name__ == "NllbTokenizer" and hasattr(tokenizer, "src_lang")


def test_offline_e5_tokenizer_encodes_europarl_as_the_saved_one(shared_data):
    from xner.io.conll import read_conll
    from xner.models.e5_convert import ensure_default_encoder

    path = str(ensure_default_encoder())
    sentences = [s.words for lang in ("en", "de", "es")
                 for s in read_conll(shared_data / f"europarl/{lang}.europarl.test.conll")]
    assert len(sentences) == 3 * 799
    assert_same_encodings(load_tokenizer(path), auto_tokenizer_as_saved(path), sentences + WORDS)
