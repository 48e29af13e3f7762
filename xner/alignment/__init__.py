"""Word aligners behind one interface, and symmetrisation of directional alignments."""

from xner.alignment.base import Aligner, aligners, build_aligner
from xner.alignment.symmetrize import symmetrize

__all__ = ["Aligner", "aligners", "build_aligner", "symmetrize"]
