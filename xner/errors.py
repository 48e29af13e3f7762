"""Errors a user can cause, with messages that say where and what to do.

All user-facing errors derive from :class:`XnerError`; the CLI prints their message
without a traceback. Messages live here so that wording stays consistent.
"""

from __future__ import annotations

from pathlib import Path


class XnerError(Exception):
    """Something the user can fix. The message names the file/setting and the fix."""


class InputFormatError(XnerError):
    """A malformed line in an input file."""

    def __init__(self, path: str | Path, line: int | None, problem: str, hint: str = "") -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}, line {line}" if line is not None else self.path
        message = f"{where}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class MismatchError(XnerError):
    """Parallel inputs that do not line up."""


class ConfigError(XnerError):
    """An unknown name or an out-of-range setting."""


class MissingDependencyError(XnerError):
    """An optional package or system component is not installed."""

    def __init__(self, what: str, install: str) -> None:
        super().__init__(f"{what} is not installed; install it with: {install}")


def count_mismatch(kind: str, left: tuple[str, int], right: tuple[str, int]) -> MismatchError:
    (lname, lcount), (rname, rcount) = left, right
    return MismatchError(
        f"{kind} do not line up: {lname} has {lcount} sentences but {rname} has {rcount}; "
        "every sentence needs exactly one counterpart, in the same order"
    )
