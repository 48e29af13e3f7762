"""eflomal, a Bayesian IBM-style aligner learnt from the batch of sentence pairs itself.

It needs a corpus: alignments of a handful of pairs are poor, so align a whole file at
once. Both directions are run and symmetrised (``grow-diag-final-and`` by default).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xner.alignment.base import WordPair, aligners
from xner.alignment.symmetrize import METHODS, symmetrize
from xner.errors import ConfigError, MissingDependencyError
from xner.io.talp import read_talp
from xner.types import Alignment


@dataclass(frozen=True)
class EflomalAligner:
    symmetrization: str = "grow-diag-final-and"
    model: int = 3
    n_samplers: int = 3
    name: str = "eflomal"

    def __post_init__(self) -> None:
        if self.symmetrization not in METHODS:
            raise ConfigError(
                f"unknown symmetrisation {self.symmetrization!r}; choose one of: {', '.join(METHODS)}"
            )

    def align(self, pairs: Sequence[WordPair]) -> list[Alignment]:
        forward, reverse = self.align_directions(pairs)
        return [Alignment.of(symmetrize(f.links, r.links, self.symmetrization)) for f, r in zip(forward, reverse)]

    def align_directions(self, pairs: Sequence[WordPair]) -> tuple[list[Alignment], list[Alignment]]:
        """The forward and reverse alignments before symmetrisation, as source-target links."""
        try:
            import eflomal
        except ImportError:
            raise MissingDependencyError("eflomal", "pip install eflomal==2.0.0") from None
        # eflomal cannot take empty sentences; those pairs simply get no links.
        usable = [k for k, (s, t) in enumerate(pairs) if len(s) and len(t)]
        forward = [Alignment() for _ in pairs]
        reverse = [Alignment() for _ in pairs]
        if not usable:
            return forward, reverse
        with tempfile.TemporaryDirectory(prefix="xner-eflomal-") as tmp:
            fwd, rev = Path(tmp, "fwd.talp"), Path(tmp, "rev.talp")
            eflomal.Aligner(model=self.model, n_samplers=self.n_samplers).align(
                [_eflomal_line(pairs[k][0]) for k in usable],
                [_eflomal_line(pairs[k][1]) for k in usable],
                links_filename_fwd=str(fwd), links_filename_rev=str(rev),
            )
            for k, f, r in zip(usable, read_talp(fwd), read_talp(rev)):
                forward[k], reverse[k] = f, r
        return forward, reverse


def _eflomal_line(words: Sequence[str]) -> str:
    # eflomal splits its lines at any whitespace: a no-break space or \x1c inside a word
    # would make two words of one and shift every later link
    return " ".join("".join("_" if ch.isspace() else ch for ch in word) for word in words) + "\n"


_SHORT = {"gdfa": "grow-diag-final-and", "inter": "intersection", "fwd": "forward", "rev": "reverse"}


@aligners.register("eflomal")
def _eflomal(symmetrization: str = "grow-diag-final-and", **params) -> EflomalAligner:
    """eflomal learnt on the input corpus, symmetrised with grow-diag-final-and."""
    return EflomalAligner(symmetrization=_SHORT.get(symmetrization, symmetrization), **params)


def _with_symmetrization(method: str):
    def factory(**params) -> EflomalAligner:
        return EflomalAligner(**{"symmetrization": method, **params})

    return factory


for _suffix, _method in (("inter", "intersection"), ("union", "union"), ("fwd", "forward"), ("rev", "reverse")):
    aligners.register(f"eflomal-{_suffix}", help=f"eflomal learnt on the input corpus, {_method}")(
        _with_symmetrization(_method))
