"""Pharaoh/talp alignment files: one line per sentence pair, links as ``i-j`` (``ipj`` for
possible links), zero-based source-target indices separated by spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from xner.io.files import atomic_output, open_text
from xner.errors import InputFormatError
from xner.types import Alignment

_LINK = re.compile(r"^(\d+)[-p](\d+)$")
_ASCII_LINKS = re.compile(r"\s*(?:[0-9]+[-p][0-9]+\s+)*(?:[0-9]+[-p][0-9]+)?\s*")  # a whole line of them
_NUMBER = re.compile(r"[0-9]+")


def parse_talp_line(line: str) -> Alignment:
    """Parse one line into an :class:`Alignment` holding its links as arrays; raises
    ``ValueError`` naming the bad link."""
    if _ASCII_LINKS.fullmatch(line):
        import numpy as np

        try:
            numbers = np.array(_NUMBER.findall(line), dtype=np.int64).reshape(-1, 2)
        except OverflowError:  # an index past 64 bits: read as Python ints below
            pass
        else:
            return Alignment.from_arrays(numbers[:, 0], numbers[:, 1])
    links = []
    for item in line.split():
        match = _LINK.match(item)
        if not match:
            raise ValueError(f"{item!r} is not a link; expected source-target indices like 3-4")
        links.append((int(match.group(1)), int(match.group(2))))
    return Alignment.of(links)


def format_talp_line(alignment: Alignment) -> str:
    return " ".join(f"{i}-{j}" for i, j in alignment)  # an Alignment iterates its links sorted


def read_talp(path: str | Path) -> list[Alignment]:
    path = Path(path)
    alignments = []
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            try:
                alignments.append(parse_talp_line(line))
            except ValueError as error:
                raise InputFormatError(path, number, str(error)) from None
    return alignments


def write_talp(path: str | Path, alignments: Iterable[Alignment]) -> None:
    text = "".join(format_talp_line(a) + "\n" for a in alignments)
    with atomic_output(path) as handle:
        handle.write(text)
