"""Opening input files and writing outputs, with errors a user can act on.

Outputs are checked before any work (:func:`check_output_file`, :func:`check_output_dir`)
and written through a temporary file renamed over the target (:func:`atomic_output`), so
a failed or interrupted write never leaves half a file behind.
"""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from xner.errors import InputFormatError, OutputError


@contextmanager
def open_text(path: str | Path) -> Iterator[TextIO]:
    """Open a UTF-8 text file for reading, line ends untouched, a leading BOM dropped.

    A missing file, a directory or bytes that are not UTF-8 become an
    :class:`InputFormatError` naming the file (and the line, for bad bytes). A pipe is
    read whole first, so open it once: a second open would wait for a writer, or read on
    from where the first stopped.
    """
    path = Path(path)
    if not path.exists():
        raise InputFormatError(path, None, "no such file", "check the path")
    if path.is_dir():
        raise InputFormatError(path, None, "is a directory, not a file")
    if not path.is_file():
        # a FIFO or process substitution (<(cat de.txt)) can be read only once: read it whole
        data = path.read_bytes()
        _check_line_ends(path, [data])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise InputFormatError(path, line, "is not valid UTF-8 text", "re-save the file as UTF-8") from None
        yield io.StringIO(text, newline="")
        return
    with path.open("rb") as raw:
        _check_line_ends(path, iter(lambda: raw.read(1 << 20), b""))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            yield handle
        except UnicodeDecodeError:
            line = _line_of_first_bad_byte(path)
            raise InputFormatError(path, line, "is not valid UTF-8 text", "re-save the file as UTF-8") from None


DOUBLE_CR = b"\r\r\n"


def _check_line_ends(path: Path, blocks: Iterable[bytes]) -> None:
    """Refuse ``\r\r\n`` line ends (CRLF converted to CRLF once more): read as they are, each
    would end a line and add an empty one, and every count and line number would be off."""
    lines, tail = 0, b""
    for block in blocks:
        data = tail + block
        found = data.find(DOUBLE_CR)
        if found >= 0:
            raise InputFormatError(path, lines + data[:found].count(b"\n") + 1,
                                   "ends in \\r\\r\\n, a carriage return too many (a file converted to "
                                   "Windows line ends twice)", "convert it back, e.g. sed -i 's/\\r\\r$/\\r/' "
                                   + str(path))
        keep = min(len(data), 2)  # a \r\r\n split across two blocks
        lines += data[:len(data) - keep].count(b"\n")
        tail = data[len(data) - keep:]


def _line_of_first_bad_byte(path: Path) -> int:
    # The decoder's offsets are relative to the chunk it was reading, so decode again.
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data[: error.start].count(b"\n") + 1
    return 1


def check_output_dir(directory: str | Path) -> Path:
    """Create ``directory`` (and its parents) if needed and make sure files can be written there."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise OutputError(directory, "is a file, not a directory", "name a new or existing directory")
    blocking = next((p for p in directory.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise OutputError(directory, f"cannot be created: {blocking} is a file")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(directory, f"cannot be created ({error.strerror})", "choose a writable place") from None
    probe = directory / f".xner-probe-{os.getpid()}"
    try:
        probe.open("w").close()
        probe.unlink()
    except OSError as error:
        raise OutputError(directory, f"cannot be written to ({error.strerror})", "choose a writable place") from None
    return directory


def check_output_file(path: str | Path, inputs: Iterable[str | Path | None] = ()) -> Path:
    """Fail now, before any work, if ``path`` could not be written later; creates missing parents.

    ``path`` may not be one of ``inputs`` (the same file under any name: a symlink, ``./``,
    a hard link): writing it would replace what the user wrote with the output.
    """
    path = Path(path)
    for given in inputs:
        if given is not None and _same_file(path, Path(given)):
            raise OutputError(path, f"is the input {given}: writing the output there would replace it",
                              "choose another output path")
    if path.is_dir():
        raise OutputError(path, "is a directory", "name the file to write, e.g. " + str(path / "out.conll"))
    if path.exists() and not path.is_file():
        return path  # a device or pipe (/dev/stdout): written in place
    check_output_dir(path.parent)
    return path


def _same_file(output: Path, given: Path) -> bool:
    if output.exists() and not output.is_file():
        return False  # a device or pipe is written in place: /dev/stdout while /dev/stdin is read is fine
    try:
        if output.exists() and given.exists():
            return os.path.samefile(output, given)  # a symlink, ./, a hard link
    except OSError:
        return False
    return os.path.realpath(output) == os.path.realpath(given)  # two outputs to one new file


@contextmanager
def atomic_output(path: str | Path, hint: str | None = None) -> Iterator[TextIO]:
    """A UTF-8 handle whose text replaces ``path`` only once all of it is written.

    The text goes to a temporary file beside ``path`` that is renamed over it at the end;
    on any error the temporary file is removed and ``path`` is left as it was. A device or
    pipe (``/dev/stdout``) is written directly. Disk errors become an :class:`OutputError`
    (``hint``: what to do then, instead of the generic advice).
    """
    path = check_output_file(path)
    if path.exists() and not path.is_file():
        try:
            with path.open("w", encoding="utf-8") as handle:
                yield handle
        except OSError as error:
            raise _write_error(path, error, hint) from None
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _write_error(path, error, hint) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through :func:`atomic_output`."""
    with atomic_output(path) as handle:
        handle.write(text)


def _write_error(path: Path, error: OSError, hint: str | None = None) -> OutputError:
    if hint is None:
        hint = "free some space and run again" if error.errno == errno.ENOSPC else "check the path and its permissions"
    return OutputError(path, f"could not be written ({error.strerror})", hint)
