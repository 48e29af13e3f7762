"""Entry point: registers the commands and turns user errors into clean messages."""

from __future__ import annotations

import sys

import typer

from xner.errors import XnerError, worded_error

app = typer.Typer(
    name="xner",
    help="Projection-based cross-lingual NER: align, project, evaluate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts are plain: "[heuristic]", "NAME[/CONFIG]" must print as written
)


def _register() -> None:
    from xner.cli import align, batch, evaluate, models, pipeline, project, silver, tag, train, users

    for module in (align, batch, evaluate, models, pipeline, project, train, users):
        module.register(app)
    for module in (tag, silver):  # issue 26: raw untagged text in
        module.register(app)


_register()


# A setting as the commands name it: its flag, the key with dashes unless listed here
# (``xner pipeline`` back-translates with its --translator and combines with --combine;
# ``xner project`` names the target language, whose function words are trimmed, --tgt-lang).
FLAGS = {"backtranslation": "--translator", "combination": "--combine", "trim_stop_words": "--tgt-lang"}


def flag(setting: str) -> str:
    """The command-line flag of a library setting: ``target_ner`` → ``--target-ner``."""
    return FLAGS.get(setting, "--" + setting.replace("_", "-"))


def main() -> None:
    """Run the CLI; user errors print one line (settings named as flags) and exit with status 2."""
    try:
        app()
    except XnerError as error:
        typer.echo(f"error: {worded_error(error, flag)}", err=True)
        sys.exit(2)
    except OSError as error:
        # the file system refused something the commands did not foresee: still the user's to fix
        where = f"{error.filename}: " if error.filename else ""
        typer.echo(f"error: {where}{error.strerror or error}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
