from hypothesis import given
from hypothesis import strategies as st

from xner.text import detokenize, tokenize


def test_round_trip_on_typical_sentences():
    for sentence in ["Angela Merkel visitó París ( Francia ) , ¿ verdad ?", "Der Präsident sagte : « Nein » ."]:
        assert tokenize(detokenize(sentence.split())) == tuple(sentence.split())


def test_scripts_without_latin_letters():
    assert tokenize("Москва — столица России.") == ("Москва", "—", "столица", "России", ".")
    assert tokenize("ọjọ́ Ajé ni mo lọ sí Èkó") == ("ọjọ́", "Ajé", "ni", "mo", "lọ", "sí", "Èkó")


@given(st.lists(st.from_regex(r"[A-Za-z0-9À-ÖØ-öø-ÿ]{1,8}", fullmatch=True), min_size=1, max_size=12))
def test_words_survive_a_round_trip(words):
    assert tokenize(detokenize(words)) == tuple(words)
