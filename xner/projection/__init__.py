"""Projection of source entities onto target words: heuristic (METHOD §3) and candidate
matching (METHOD §4)."""

from xner.projection.base import Projector, build_projector, projectors
from xner.projection.candidates import CandidateExtractor, NgramExtractor
from xner.projection.heuristic import HeuristicProjector
from xner.projection.matching import CandidateMatchingProjector
from xner.projection.scores import AlignmentScorer, CandidateScorer
from xner.projection.solvers import solve_exact, solve_greedy

__all__ = [
    "AlignmentScorer", "CandidateExtractor", "CandidateMatchingProjector", "CandidateScorer",
    "HeuristicProjector", "NgramExtractor", "Projector", "build_projector", "projectors",
    "solve_exact", "solve_greedy",
]
