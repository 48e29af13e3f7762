import shutil

import pytest

from tests.tiny_models import build_tiny_seq2seq
from xner.errors import ConfigError, MismatchError, XnerError
from xner.translation.apertium import ApertiumTranslator, installed_pairs
from xner.translation.base import build_translator
from xner.translation.seq2seq import Seq2SeqTranslator


def require_apertium():
    """The project's setup installs Apertium; its absence is a failure, not a skip."""
    assert shutil.which("apertium"), "apertium is not installed: run scripts/setup.sh"


def test_apertium_translates_line_by_line():
    require_apertium()
    translator = build_translator("apertium")
    assert "eng-spa" in installed_pairs()
    out = translator.translate(["Angela Merkel visited Paris with executives from Siemens.", "", "He slept."], "en", "es")
    assert out[0] == "Angela Merkel visitó París con ejecutivos de Siemens."
    assert out[1] == "" and out[2] and len(out) == 3
    assert translator.translate(["La Comisión Europea"], "es", "en")[0]


def test_apertium_unknown_pair_lists_installed_pairs_and_the_package(tmp_path):
    require_apertium()
    with pytest.raises(ConfigError) as info:
        ApertiumTranslator().translate(["Kaixo"], "eu", "en")
    message = str(info.value)
    assert "eng-spa" in message and "apt-get install apertium-eu-en" in message


def test_given_translations_from_a_file(tmp_path):
    path = tmp_path / "mt.txt"
    path.write_text("first\nsecond\n")
    translator = build_translator(f"given:{path}")
    assert translator.translate(["a", "b"], "de", "en") == ["first", "second"]
    with pytest.raises(MismatchError, match="has 3 sentences but .*mt.txt has 2"):
        translator.translate(["a", "b", "c"], "de", "en")
    with pytest.raises(XnerError, match="no such file"):
        build_translator(f"given:{tmp_path / 'missing.txt'}")
    with pytest.raises(ConfigError, match="given:PATH"):
        build_translator("given")


@pytest.fixture(scope="module")
def tiny_seq2seq(tmp_path_factory):
    return build_tiny_seq2seq(tmp_path_factory.mktemp("tiny-mt"))


def test_seq2seq_translates_in_sorted_batches_with_language_codes(tiny_seq2seq):
    translator = build_translator(f"hf:{tiny_seq2seq}", batch_size=2, num_beams=1, max_new_tokens=6)
    texts = ["Angela Merkel visited Paris", "", "The European Parliament met in Strasbourg on Friday", "Paris"]
    batched = translator.translate(texts, "en", "es")
    assert len(batched) == 4 and batched[1] == ""
    one_by_one = [translator.translate([t], "en", "es")[0] for t in texts]
    assert batched == one_by_one
    assert translator.language_token("es") == "spa_Latn"
    with pytest.raises(ConfigError, match="no code for language 'xx'"):
        translator.translate(["Paris"], "en", "xx")


def test_seq2seq_log_probability_is_a_mean_log_probability(tiny_seq2seq):
    translator = build_translator(f"hf:{tiny_seq2seq}")
    scores = translator.log_probability(["Paris", "Angela Merkel"], ["Paris", "Merkel"], "en", "es")
    assert len(scores) == 2 and all(s < 0 for s in scores)


def test_missing_seq2seq_model_is_a_clear_error(tmp_path):
    with pytest.raises(XnerError, match="could not be loaded"):
        build_translator(f"hf:{tmp_path / 'no-model'}").translate(["x"], "en", "es")


@pytest.fixture(scope="module")
def tiny_nllb(tmp_path_factory):
    from tests.translation.tiny_nllb import build_tiny_nllb

    return build_tiny_nllb(tmp_path_factory.mktemp("tiny-nllb"))


def _reference_log_p(directory, source, target, src_code, tgt_code):
    """What transformers itself computes: the tokenizer's own labels for (src_lang, tgt_lang),
    the model's loss over them, the forced language token (labels[0]) left out."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.models.m2m_100.modeling_m2m_100 import shift_tokens_right

    tokenizer = AutoTokenizer.from_pretrained(directory, src_lang=src_code, tgt_lang=tgt_code)
    model = AutoModelForSeq2SeqLM.from_pretrained(directory).eval()
    batch = tokenizer(source, text_target=target, return_tensors="pt")
    labels = batch.pop("labels")
    assert labels[0, 0] == tokenizer.convert_tokens_to_ids(tgt_code)  # NLLB: the language code comes first
    assert batch["input_ids"][0, 0] == tokenizer.convert_tokens_to_ids(src_code)
    decoder_input_ids = shift_tokens_right(labels, model.config.pad_token_id, model.config.decoder_start_token_id)
    forced_out = labels.clone()
    forced_out[:, 0] = -100  # generation forces it (forced_bos_token_id): no probability of its own
    with torch.no_grad():
        loss = model(**batch, decoder_input_ids=decoder_input_ids, labels=forced_out).loss
    return -float(loss)


def test_nllb_log_probability_is_the_models_loss_in_the_right_languages(tiny_nllb):
    translator = build_translator(f"hf:{tiny_nllb}", device="cpu", batch_size=2)
    sources = ["Angela Merkel visited Paris", "Paris", "The European Parliament met in Strasbourg on Friday"]
    targets = ["Angela Merkel visitó Paris", "Paris", "El Parlamento Europeo se reunió en Estrasburgo"]
    ours = translator.log_probability(sources, targets, "en", "es")
    for source, target, value in zip(sources, targets, ours):
        assert value == pytest.approx(_reference_log_p(tiny_nllb, source, target, "eng_Latn", "spa_Latn"), abs=1e-5)
    # the tokenizer's language state does not leak between calls: German, then Spanish again
    german = translator.log_probability(sources[:1], targets[:1], "es", "de")
    assert german[0] == pytest.approx(_reference_log_p(tiny_nllb, sources[0], targets[0], "spa_Latn", "deu_Latn"), abs=1e-5)
    assert german[0] != pytest.approx(ours[0], abs=1e-4)
    assert translator.log_probability(sources, targets, "en", "es") == pytest.approx(ours, abs=1e-6)
    assert translator.translate(["Angela Merkel visited Paris"], "en", "es")[0] is not None


def test_device_is_resolved_and_checked(tiny_nllb, monkeypatch):
    import torch

    from xner.models.device import resolve_device

    assert resolve_device("cpu") == "cpu"
    translator = build_translator(f"hf:{tiny_nllb}", device="cpu")
    assert translator.model.device.type == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu" and resolve_device(None) == "cpu"
    with pytest.raises(ConfigError, match="sees no CUDA GPU.*set device to cpu"):
        build_translator(f"hf:{tiny_nllb}", device="cuda").model
    with pytest.raises(ConfigError, match="unknown device 'gpu0'"):
        resolve_device("gpu0")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert resolve_device("auto") == "cuda"
    with pytest.raises(ConfigError, match="only 1 CUDA device"):
        resolve_device("cuda:3")


@pytest.mark.parametrize("budget", [None, 1])
def test_log_probability_batches_equal_one_pair_at_a_time_and_the_models_loss(tiny_nllb, monkeypatch, budget):
    from xner.translation import seq2seq

    translator = build_translator(f"hf:{tiny_nllb}", device="cpu")
    words = "Angela Merkel visited Paris with executives from Siemens on Friday".split()
    # sources and targets of every length from 1 to 10 words, paired so both sides need padding
    sources = [" ".join(words[: 1 + k]) for k in range(10)]
    targets = [" ".join(words[k % 4 : k % 4 + 1 + (7 * k) % 10]) for k in range(10)]
    if budget is not None:  # a few rows per batch: several batches of mixed lengths
        monkeypatch.setattr(seq2seq, "LOGITS_BUDGET", 3 * translator.model.config.vocab_size * 12)
    calls = []
    real = translator._mean_log_p
    monkeypatch.setattr(Seq2SeqTranslator, "_mean_log_p", lambda self, *a: calls.append(len(a[0])) or real(*a))
    batched = translator.log_probability(sources, targets, "en", "es")
    assert sum(calls) == 10 and (len(calls) == 1 if budget is None else len(calls) > 2)
    for source, target, value in zip(sources, targets, batched):
        assert translator.log_probability([source], [target], "en", "es")[0] == pytest.approx(value, abs=1e-5)
        assert value == pytest.approx(_reference_log_p(tiny_nllb, source, target, "eng_Latn", "spa_Latn"), abs=1e-5)
    assert translator.log_probability([], [], "en", "es") == []
