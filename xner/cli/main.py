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


# ``xner pipeline``'s own names for two settings: it back-translates with its --translator and
# combines with --combine. Every projection method's setting is named as declared
# (xner.projection.settings), any other by its key with dashes.
PIPELINE_FLAGS = {"backtranslation": "--translator", "combination": "--combine"}


def flag(setting: str) -> str:
    """The command-line flag of a library setting: ``target_ner`` → ``--target-ner``,
    ``trim_stop_words`` → ``--tgt-lang`` (as declared)."""
    if setting in PIPELINE_FLAGS:
        return PIPELINE_FLAGS[setting]
    from xner.projection.settings import declared_settings
    from xner.settings import flag as declared_flag

    return declared_flag(setting, declared_settings())


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
