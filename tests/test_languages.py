import pytest

from xner.cli.main import flag
from xner.errors import ConfigError
from xner.languages import language_code, language_note
from xner.projection.base import build_projector


@pytest.mark.parametrize("given, code", [("de", "de"), ("DE", "de"), ("deu", "de"), ("ger", "de"), ("De-AT", "de"),
                                         ("deu_Latn", "de"), ("spa", "es"), ("yor", "yo"), ("xx", "xx"),
                                         ("bcl", "bcl"), (" es ", "es"), ("", None), (None, None)])
def test_iso_639_codes_in_any_case_name_one_language(given, code):
    assert language_code(given) == code


@pytest.mark.parametrize("given, hint", [("german", "de or deu for German"), ("Spanish", "es or spa for Spanish"),
                                         ("d", "e.g. de or deu"), ("de1", "e.g. de"), ("klingonese", "e.g. de")])
def test_a_word_that_is_no_code_is_refused_with_the_code_to_use(given, hint):
    with pytest.raises(ConfigError) as caught:
        language_code(given, "trim_stop_words")
    worded = caught.value.worded(flag)
    assert worded.startswith(f"--tgt-lang: {given!r} is not a language code; give an ISO 639-1 or 639-3 code (")
    assert hint in worded


def test_a_code_without_a_word_list_is_used_with_one_line_on_what_applies():
    assert language_note("de") is None and language_note("es") is None
    assert language_note("xx").startswith("xx: no function-word list for this language; projected spans are finished with punctuation and the words this corpus")
    assert language_note("ha").startswith("ha (Hausa): no function-word list")


def test_projectors_take_the_normalised_code():
    # the German rules (function words, derived forms) are keyed "de": "DEU" used to turn them off
    ngram = build_projector("ngram", trim_stop_words="DEU", src_lang="EN")
    assert (ngram.boundaries.lang, ngram.boundaries.source_lang) == ("de", "en")
    assert build_projector("heuristic", trim_stop_words="ger").trim_stop_words == "de"
