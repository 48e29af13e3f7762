"""Opening input files with errors a user can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from xner.errors import InputFormatError


@contextmanager
def open_text(path: str | Path) -> Iterator[TextIO]:
    """Open a UTF-8 text file for reading, line ends untouched.

    A missing file, a directory or bytes that are not UTF-8 become an
    :class:`InputFormatError` naming the file (and the line, for bad bytes).
    """
    path = Path(path)
    if not path.exists():
        raise InputFormatError(path, None, "no such file", "check the path")
    if path.is_dir():
        raise InputFormatError(path, None, "is a directory, not a file")
    with path.open(encoding="utf-8", newline="") as handle:
        try:
            yield handle
        except UnicodeDecodeError:
            line = _line_of_first_bad_byte(path)
            raise InputFormatError(path, line, "is not valid UTF-8 text", "re-save the file as UTF-8") from None


def _line_of_first_bad_byte(path: Path) -> int:
    # The decoder's offsets are relative to the chunk it was reading, so decode again.
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data[: error.start].count(b"\n") + 1
    return 1
