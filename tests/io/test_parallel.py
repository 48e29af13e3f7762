import pytest

from xner.corpus import read_parallel
from xner.errors import ConfigError, MismatchError
from xner.io.parallel import is_raw_text, read_sentences, read_text, sniff_format, write_text


def test_text_round_trip_keeps_empty_lines(tmp_path):
    path = tmp_path / "a.txt"
    write_text(path, [("a", "b"), (), ("c",)])
    assert read_text(path) == [("a", "b"), (), ("c",)]


def test_crlf_and_extra_whitespace(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"a  b \r\nc\r\n")
    assert read_text(path) == [("a", "b"), ("c",)]


def test_sniffing_without_a_telling_suffix(tmp_path):
    conll = tmp_path / "x.data"
    conll.write_text("Peter B-PER\nran O\n\nHi O\n")
    text = tmp_path / "y.data"
    text.write_text("Peter ran\nHi there\n")
    assert sniff_format(conll) == "conll" and sniff_format(text) == "text"
    assert read_sentences(conll) == [("Peter", "ran"), ("Hi",)]
    assert read_sentences(text) == [("Peter", "ran"), ("Hi", "there")]


def test_mismatched_counts_name_both_files_and_counts(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("x\ny\nz\n")
    b.write_text("x\ny\n")
    with pytest.raises(MismatchError, match=r"a\.txt has 3 sentences but .*b\.txt has 2"):
        read_parallel(a, b)


def test_words_are_split_at_tabs_and_ascii_spaces_only(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("\ufeffAngela\u00a0Merkel \t kam\n \t \nx\x1cy\n", encoding="utf-8")
    assert read_text(path) == [("Angela\u00a0Merkel", "kam"), (), ("x\x1cy",)]


def test_tokenize_setting(tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text("He was arrested in Mozambique.\nNothing, here\n\nShe left.\n", encoding="utf-8")
    tokenized = tmp_path / "tok.txt"
    tokenized.write_text("He was arrested in Mozambique .\nMr. Smith said no\n", encoding="utf-8")
    assert read_text(raw, "yes")[0] == ("He", "was", "arrested", "in", "Mozambique", ".")
    assert read_text(raw, "no")[0][-1] == "Mozambique."
    notes = []
    # auto: raw text is tokenized, tokenized text stays as it is, and the user is told which
    assert read_text(raw, "auto", notes.append) == read_text(raw, "yes")
    assert read_text(tokenized, "auto", notes.append) == read_text(tokenized, "no")
    assert "raw.txt read as raw text and tokenized" in notes[0] and "tok.txt read as tokenized text" in notes[1]
    assert read_text(raw, "auto")[2] == ()  # an empty line stays an empty sentence (alignment needs its place)
    with pytest.raises(ConfigError, match="tokenize 'maybe': use auto, yes or no"):
        read_text(raw, "maybe")


def test_auto_decides_by_the_share_of_raw_lines():
    tokenized = ["a b c .\n"] * 80
    assert not is_raw_text(tokenized + ["a b cd.\n"] * 20)  # a fifth: tokenized text with a few odd lines
    assert is_raw_text(tokenized + ["a b cd.\n"] * 30)
    assert not is_raw_text(["\n", "  \n"])


def test_the_auto_rule_on_the_shared_files(shared_data):
    for raw in ("lafand/en-hau.en.txt", "lafand/en-hau.hau.txt", "lafand/en-yor.yor.txt", "lafand/pcm-test.en.txt"):
        assert is_raw_text((shared_data / raw).open(encoding="utf-8")), raw
    for tokenized in ("mt/en2es.deepl.train.txt", "mt/de2en.deepl.test.txt"):
        assert not is_raw_text((shared_data / tokenized).open(encoding="utf-8")), tokenized


def test_parallel_files_read_with_one_setting(tmp_path):
    raw_en, tokenized_es = tmp_path / "en.txt", tmp_path / "es.txt"
    raw_en.write_text("She left Mozambique.\nHe said, no.\n", encoding="utf-8")
    tokenized_es.write_text("Ella dejó Mozambique .\nDijo , no .\n", encoding="utf-8")
    notes = []
    en, es = read_parallel(raw_en, tokenized_es, "auto", notes.append)  # each file decided on its own
    assert en == [("She", "left", "Mozambique", "."), ("He", "said", ",", "no", ".")]
    assert es == [("Ella", "dejó", "Mozambique", "."), ("Dijo", ",", "no", ".")]
    assert len(notes) == 2
