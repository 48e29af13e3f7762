import pytest

from xner.corpus import read_parallel
from xner.errors import MismatchError
from xner.io.parallel import read_sentences, read_text, sniff_format, write_text


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
