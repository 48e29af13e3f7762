import pytest

from xner.errors import InputFormatError, OutputFormatError
from xner.io.conll import format_conll, iter_conll_lines, read_conll, write_conll
from xner.types import Entity, Sentence


def write(tmp_path, text, name="in.conll", raw=False):
    path = tmp_path / name
    path.write_bytes(text if raw else text.encode("utf-8"))
    return path


def test_reads_tabs_spaces_docstart_crlf_and_trailing_space(tmp_path):
    text = (
        "-DOCSTART- -X- O O\r\n\r\n"
        "EU NNP B-NP B-ORG\r\nrejects\tO  \r\nGerman  B-MISC\r\n\r\n\r\n"
        "Peter\tB-PER\nBlackburn\tI-PER\n"
    )
    sentences = read_conll(write(tmp_path, text))
    assert sentences == [
        Sentence(("EU", "rejects", "German"), (Entity(0, 1, "ORG"), Entity(2, 3, "MISC"))),
        Sentence(("Peter", "Blackburn"), (Entity(0, 2, "PER"),)),
    ]


def test_columns_are_split_at_tabs_and_ascii_spaces_only(tmp_path):
    text = "\ufeff-DOCSTART- -X- O O\n\nAngela\u00a0Merkel\tB-PER\n1\u202f000  O\nx\x1cy O\n\nAngela\tB-PER\n"
    sentences = read_conll(write(tmp_path, text))
    assert sentences == [Sentence(("Angela\u00a0Merkel", "1\u202f000", "x\x1cy"), (Entity(0, 1, "PER"),)),
                         Sentence(("Angela",), (Entity(0, 1, "PER"),))]
    write_conll(tmp_path / "out.conll", sentences)
    assert read_conll(tmp_path / "out.conll") == sentences
    assert [lines for _, lines in iter_conll_lines(write(tmp_path, text))] == [(3, 4, 5), (7,)]


def test_a_bom_before_the_first_token_is_dropped(tmp_path):
    assert read_conll(write(tmp_path, "\ufeffAngela\tB-PER\n"))[0].words == ("Angela",)


def test_iob1_and_bioes_inputs_are_normalised(tmp_path):
    iob1 = read_conll(write(tmp_path, "Peter I-PER\nBlackburn I-PER\nin O\nLondon I-LOC\n"))
    bioes = read_conll(write(tmp_path, "Peter B-PER\nBlackburn E-PER\nin O\nLondon S-LOC\n", "b.conll"))
    assert iob1 == bioes == [Sentence(("Peter", "Blackburn", "in", "London"), (Entity(0, 2, "PER"), Entity(3, 4, "LOC")))]


def test_written_files_are_iob2_and_read_back(tmp_path):
    sentences = [Sentence(("a", "b", "c"), (Entity(0, 2, "PER"),)), Sentence(("d",), ())]
    path = tmp_path / "out.conll"
    write_conll(path, sentences)
    assert path.read_text() == "a\tB-PER\nb\tI-PER\nc\tO\n\nd\tO\n\n"
    assert read_conll(path) == sentences
    assert format_conll([(("x",), [Entity(0, 1, "LOC")])]) == "x\tB-LOC\n\n"


def test_malformed_lines_name_file_and_line(tmp_path):
    path = write(tmp_path, "a O\nb\n")
    with pytest.raises(InputFormatError) as info:
        read_conll(path)
    assert info.value.line == 2 and str(path) in str(info.value) and "no tag" in str(info.value)
    with pytest.raises(InputFormatError, match=r"line 3: 'Q-PER' is not a tag"):
        read_conll(write(tmp_path, "a O\n\nb Q-PER\n", "q.conll"))


def test_untagged_target_files_can_be_read_without_tags(tmp_path):
    sentences = read_conll(write(tmp_path, "a\nb\tjunk\n\nc\n"), require_tags=False)
    assert [s.words for s in sentences] == [("a", "b"), ("c",)]
    assert all(not s.entities for s in sentences)


def test_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(InputFormatError, match="no such file"):
        read_conll(tmp_path / "nope.conll")
    with pytest.raises(InputFormatError, match=r"line 3: is not valid UTF-8"):
        read_conll(write(tmp_path, b"a O\n\nb\xff O\n", raw=True))


def test_reads_the_real_europarl_files(shared_data):
    en = read_conll(shared_data / "europarl/en.europarl.test.conll")
    de = read_conll(shared_data / "europarl/de.europarl.test.conll")
    assert len(en) == len(de) == 799
    assert en[1].entities[0] == Entity(7, 9, "ORG")  # "European Parliament"


def test_a_docstart_word_inside_a_sentence_reads_back_as_a_word(tmp_path):
    # issue 22: a target sentence beginning with the word -DOCSTART- vanished when read back
    path = tmp_path / "out.conll"
    sentences = [Sentence(("-DOCSTART-", "Merkel"), (Entity(1, 2, "PER"),)), Sentence(("a", "-DOCSTART-"))]
    write_conll(path, sentences)
    assert read_conll(path) == sentences
    with pytest.raises(OutputFormatError, match="sentence 2 is the single word -DOCSTART-"):
        write_conll(tmp_path / "x.conll", [Sentence(("a",)), Sentence(("-DOCSTART-",))])
    # CoNLL-2003's markers are still markers
    path.write_text("-DOCSTART- -X- -X- O\n\nEU B-ORG\n\n-DOCSTART- -X- -X- O\n-DOCSTART- -X- -X- O\n\nx O\n")
    assert [s.words for s in read_conll(path)] == [("EU",), ("x",)]


def test_lines_ending_cr_cr_lf_are_refused_naming_the_line(tmp_path):
    path = tmp_path / "in.conll"
    path.write_bytes(b"EU\tB-ORG\r\n\r\nx\tO\r\r\n")
    with pytest.raises(InputFormatError, match=r"in.conll, line 3: ends in \\r\\r\\n"):
        read_conll(path)
