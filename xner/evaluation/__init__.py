"""Scoring projected or predicted entities against gold (METHOD §6)."""

from xner.evaluation.metrics import EvaluationReport, Scores, evaluate, evaluate_files, proj_ratio

__all__ = ["EvaluationReport", "Scores", "evaluate", "evaluate_files", "proj_ratio"]
