"""``xner users add FILE NAME [--admin]``: the user list of a team server (XNER_USERS)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

users_app = typer.Typer(help="Users of the review app on a team server (the file XNER_USERS names).",
                        no_args_is_help=True)


@users_app.command("add")
def add_user_cli(
    file: Annotated[Path, typer.Argument(help="The user list (TOML); created if missing.")],
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ + -).")],
    admin: Annotated[bool, typer.Option(help="May import, export and delete data, and start sweeps.")] = False,
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input (scripts).")] = False,
) -> None:
    """Add a user (or set a user's new password); the password is stored as a scrypt hash."""
    from xner.app.auth import add_user, read_users
    from xner.errors import ConfigError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True)
    add_user(file, name, password, admin)
    typer.echo(f"{'admin' if admin else 'user'} {name} saved in {file}", err=True)
    try:
        read_users(file)
    except ConfigError as error:  # e.g. no admin yet: the app would refuse the list as it is
        typer.echo(f"note: the app cannot use this list yet: {error}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
