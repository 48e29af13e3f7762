import shutil

import pytest

from tests.tiny_models import build_tiny_seq2seq
from xner.errors import ConfigError, MismatchError, XnerError
from xner.translation.apertium import ApertiumTranslator, installed_pairs
from xner.translation.base import build_translator


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
