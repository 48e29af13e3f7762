"""Errors a user can cause, with messages that say where and what to do.

All user-facing errors derive from :class:`XnerError`; the CLI prints their message
without a traceback. Messages live here so that wording stays consistent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    """An unknown name or an out-of-range setting.

    A message about settings names each one by its key in braces, a ``str.format`` field
    listed in ``settings``; ``values`` fill its other fields (user text is inserted as
    given, never read as a field). Each front end words the settings in its own terms with
    :meth:`worded`: the command line as its flags, the live page as its widget labels.
    ``str()`` is the library's wording: the key, as a Python caller passes it.

    >>> error = ConfigError("the ner-span method needs {target_ner}, not {given}", settings=("target_ner",),
    ...                     given="{x}")
    >>> str(error)
    'the ner-span method needs target_ner, not {x}'
    >>> error.settings, error.worded(lambda key: "--" + key.replace("_", "-"))
    (('target_ner',), 'the ner-span method needs --target-ner, not {x}')
    """

    def __init__(self, message: str, *, settings: Sequence[str] = (), **values: object) -> None:
        self.template, self.settings, self.values = message, tuple(settings), values
        super().__init__(self.worded(str))

    def worded(self, name: Callable[[str], str]) -> str:
        """The message with each setting named as ``name(key)`` gives it."""
        if not self.settings and not self.values:
            return self.template
        return self.template.format_map({**self.values, **{key: name(key) for key in self.settings}})


def worded_error(error: Exception, name: Callable[[str], str]) -> str:
    """``error``'s message with the settings it names worded by ``name`` (see :class:`ConfigError`)."""
    return error.worded(name) if isinstance(error, ConfigError) else str(error)


class MissingDependencyError(XnerError):
    """An optional package or system component is not installed."""

    def __init__(self, what: str, install: str) -> None:
        super().__init__(f"{what} is not installed; install it with: {install}")


class OutputError(XnerError):
    """An output path that cannot be written (a directory, a read-only or full disk)."""

    def __init__(self, path: str | Path, problem: str, hint: str = "") -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {problem}" + (f" ({hint})" if hint else ""))


class OutputFormatError(XnerError, ValueError):
    """Data the chosen output format cannot hold as it is (a word with a space, in CoNLL)."""


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
