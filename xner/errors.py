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


class OutputError(XnerError):
    """An output path that cannot be written (a directory, a read-only or full disk)."""

    def __init__(self, path: str | Path, problem: str, hint: str = "") -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {problem}" + (f" ({hint})" if hint else ""))


class EmptyInputError(InputFormatError):
    """An input file without a single sentence."""

    def __init__(self, path: str | Path) -> None:
        XnerError.__init__(self, f"no sentences in {path} (the file is empty or holds only -DOCSTART- lines; "
                                 "check that it is the right file)")
        self.path, self.line, self.problem = str(path), None, "no sentences"


def no_sentences(path: str | Path) -> EmptyInputError:
    return EmptyInputError(path)


def words_mismatch(sentence: int, word: int, left: tuple[str, int, str], right: tuple[str, int, str]) -> MismatchError:
    (lname, lline, lword), (rname, rline, rword) = left, right
    return MismatchError(
        f"sentence {sentence}, word {word} differs: {lword!r} in {lname}, line {lline} but {rword!r} in "
        f"{rname}, line {rline}; both files must hold the same words in the same order"
    )


def resume_mismatch(manifest: str | Path, what: str, earlier: object, now: object) -> ConfigError:
    return ConfigError(
        f"{manifest}: cannot resume, {what} differs: the earlier run had {earlier}, this one has {now}; "
        "resume with the same input and settings, or write to a new output directory"
    )


def count_mismatch(kind: str, left: tuple[str, int], right: tuple[str, int]) -> MismatchError:
    (lname, lcount), (rname, rcount) = left, right
    return MismatchError(
        f"{kind} do not line up: {lname} has {lcount} sentences but {rname} has {rcount}; "
        "every sentence needs exactly one counterpart, in the same order"
    )


class StaleDecisionError(XnerError):
    """A decision made on a view of an item that is no longer its current state."""


class StoreBusyError(XnerError):
    """The store stayed locked through every retry (a long write elsewhere)."""
