import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xner.text import detokenize, looks_raw, matching_form, tokenize


def test_round_trip_on_typical_sentences():
    for sentence in ["Angela Merkel visitó París ( Francia ) , ¿ verdad ?", "Der Präsident sagte : « Nein » ."]:
        assert tokenize(detokenize(sentence.split())) == tuple(sentence.split())


def test_scripts_without_latin_letters():
    assert tokenize("Москва — столица России.") == ("Москва", "—", "столица", "России", ".")
    assert tokenize("ọjọ́ Ajé ni mo lọ sí Èkó") == ("ọjọ́", "Ajé", "ni", "mo", "lọ", "sí", "Èkó")


@given(st.lists(st.from_regex(r"[A-Za-z0-9À-ÖØ-öø-ÿ]{1,8}", fullmatch=True), min_size=1, max_size=12))
def test_words_survive_a_round_trip(words):
    assert tokenize(detokenize(words)) == tuple(words)


def test_raw_news_text():
    """Punctuation comes off words; what the target languages write inside a word stays."""
    assert tokenize("in the village of Naunde in Cabo Delgado, Mozambique.") == (
        "in", "the", "village", "of", "Naunde", "in", "Cabo", "Delgado", ",", "Mozambique", ".")
    assert tokenize("Waɗanda suka rasa 'yan'uwansu, a ƙauyen.") == (
        "Waɗanda", "suka", "rasa", "'yan'uwansu", ",", "a", "ƙauyen", ".")
    assert tokenize("U.S. troops paid $1,000.50 on 5.3.2020; he said 'no'.") == (
        "U.S.", "troops", "paid", "$", "1,000.50", "on", "5.3.2020", ";", "he", "said", "'no", "'", ".")
    assert tokenize("l'órílẹ̀-èdè (LGBT):") == ("l'órílẹ̀-èdè", "(", "LGBT", ")", ":")


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_yoruba_combining_marks_stay_in_their_word(form):
    text = unicodedata.normalize(form, "Ilé-iṣẹ́ Agbóhùnsáfẹ́fẹ́ Ìbílẹ̀ fagilé ìfọ̀rọ̀wọ́rọ̀.")
    words = tokenize(text)
    # the words are the input's, byte for byte: only the full stop is split off
    assert words == (*text[:-1].split(" "), ".")
    assert matching_form(words) == tuple(unicodedata.normalize("NFC", w) for w in words)
    assert matching_form(tokenize(unicodedata.normalize("NFD", text))) == matching_form(
        tokenize(unicodedata.normalize("NFC", text)))


def test_raw_lines_are_told_from_tokenized_ones():
    assert looks_raw("in Cabo Delgado, Mozambique".split())
    assert looks_raw("he arrived in Mozambique.".split())
    assert not looks_raw("he arrived in Mozambique .".split())
    assert not looks_raw("the U.S. said no , Mr. Smith said .".split())
    assert not looks_raw(())


def test_english_clitics_are_words_of_their_own_as_in_english_conll():
    assert tokenize("Uganda's army didn't come; we're here.", "en") == (
        "Uganda", "'s", "army", "did", "n't", "come", ";", "we", "'re", "here", ".")
    assert tokenize("Bichisha’s story", "en") == ("Bichisha", "’s", "story")
    # names with an inner apostrophe stay whole, and other languages keep their apostrophes
    assert tokenize("O'Neill met D'Souza", "en") == ("O'Neill", "met", "D'Souza")
    assert tokenize("poliisi y'e South Africa's", "lg") == ("poliisi", "y'e", "South", "Africa's")
    assert tokenize("Uganda's") == ("Uganda's",)
