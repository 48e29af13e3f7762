"""The ``xner`` command line: a thin Typer layer over the library."""

from xner.cli.main import app, main

__all__ = ["app", "main"]
