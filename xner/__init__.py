"""xner: projection-based cross-lingual named entity recognition."""

from xner.types import Alignment, Candidate, Entity, ProjectionResult, Sentence, SentencePair, Span

__version__ = "0.1.0"
__all__ = ["Alignment", "Candidate", "Entity", "ProjectionResult", "Sentence", "SentencePair", "Span"]
