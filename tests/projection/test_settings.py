"""Each method's settings are declared once (xner.projection.settings) and everything else is
derived: the flags of `xner project`, which apply to which method, the page's labels."""

import inspect
import typing
from dataclasses import dataclass

import pytest
import typer
from typer.testing import CliRunner

from xner.cli.project import project_cli, with_method_settings
from xner.io.conll import read_conll, write_conll
from xner.io.talp import write_talp
from xner.projection.base import projectors
from xner.projection.heuristic import HeuristicProjector
from xner.projection.settings import SpanFinishing, declared_settings
from xner.settings import FINISHING, setting, settings_of
from xner.types import Alignment, Entity, ProjectionResult


def factory_defaults(method: str) -> dict:
    """What the method's factory (or, past ``**params``, the class it builds) takes by default."""
    factory = projectors._factories[method]
    found = {p.name: p.default for p in inspect.signature(factory).parameters.values()
             if p.default is not inspect.Parameter.empty}
    try:
        returned = typing.get_type_hints(factory).get("return")
    except NameError:  # an annotation imported for type checking only: no class past **params then
        returned = None
    if inspect.isclass(returned):
        found = {**{p.name: p.default for p in inspect.signature(returned).parameters.values()
                    if p.default is not inspect.Parameter.empty}, **found}
    return found


@pytest.mark.parametrize("method", ["heuristic", "ngram", "ner-span", "fused", "backtranslation"])
def test_every_declared_setting_is_an_option_of_its_method_with_the_same_default(method):
    declared_settings()  # registers the built-in methods
    schema = projectors.settings(method)
    assert schema is not None and issubclass(schema, SpanFinishing)
    takes, defaults = projectors.options(method), factory_defaults(method)
    for s in settings_of(schema):
        assert s.name in takes, f"{method} declares {s.name}, which its factory does not take"
        if s.name in defaults and s.name not in ("derived_labels", "compound_labels"):  # parsed from None
            assert defaults[s.name] == s.default, f"{method}.{s.name}: declared {s.default!r}, factory {defaults[s.name]!r}"


def test_name_weight_and_learn_edges_are_declared_with_their_methods_defaults():
    declared_settings()
    ngram = {s.name: s for s in settings_of(projectors.settings("ngram"))}
    fused = {s.name: s for s in settings_of(projectors.settings("fused"))}
    assert ngram["name_weight"].default == 1.0 and fused["name_weight"].default == 0.0
    assert ngram["learn_edges"].scope == FINISHING and ngram["learn_edges"].flag == "--learn-edges"
    assert declared_settings()["trim_stop_words"].flag == "--tgt-lang"


@dataclass(frozen=True)
class EchoSettings(SpanFinishing):
    shout: int = setting(2, "How loud the test method echoes.", label="Loudness", bounds=(0, 10, 1))


@pytest.fixture
def echo_method():
    """A method registered for this test only, with one option of its own."""
    seen = {}

    @projectors.register("echo", settings=EchoSettings)
    def _echo(shout: int = 2, trim_punctuation: bool = True, trim_stop_words: str | None = None,
              src_lang: str = "en", derived_labels=None, compound_labels=None, learn_edges: bool = True):
        seen["shout"] = shout
        return HeuristicProjector(trim_punctuation=trim_punctuation)

    yield seen
    projectors.unregister("echo")


def test_an_option_declared_once_is_a_flag_of_xner_project_for_its_method_only(echo_method, tmp_path):
    app = typer.Typer()
    app.command("project")(with_method_settings(project_cli))
    app.command("other")(lambda: None)  # two commands: "project" is named on the command line
    runner = CliRunner()
    (shout,) = [p for p in typer.main.get_command(app).commands["project"].params if p.name == "shout"]
    assert shout.opts == ["--shout"] and shout.help == "[echo] How loud the test method echoes. (2)"

    source, target, links, out = tmp_path / "en.conll", tmp_path / "de.txt", tmp_path / "l.talp", tmp_path / "o.conll"
    write_conll(source, [(("Angela", "Merkel"), [Entity(0, 2, "PER")])])
    target.write_text("Angela Merkel\n")
    write_talp(links, [Alignment.of([(0, 0), (1, 1)])])
    given = ["project", str(source), str(target), "--alignments", str(links), "-o", str(out)]
    result = runner.invoke(app, [*given, "--method", "echo", "--shout", "5"])
    assert result.exit_code == 0, result.output
    assert echo_method["shout"] == 5 and read_conll(out)[0].entities == (Entity(0, 2, "PER"),)
    refused = runner.invoke(app, [*given, "--method", "ngram", "--shout", "5"])
    assert refused.exit_code == 2 and "--shout does not apply to --method ngram" in refused.output


def test_the_same_option_is_a_widget_of_the_live_page_when_its_method_is_chosen(echo_method):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=180).run()
    assert not [w for w in at.sidebar.number_input if w.key == "shout"]
    at.selectbox(key="method").set_value("echo").run()
    (shout,) = [w for w in at.sidebar.number_input if w.key == "shout"]
    assert shout.label == "Loudness" and shout.value == 2 and not at.exception


def test_the_methods_needing_no_model_are_read_from_their_declarations():
    """What the data page offers for an import (it asks for no model): derived, not listed."""
    from xner.projection.settings import alignment_only_methods

    assert alignment_only_methods() == ["ngram", "heuristic"]
