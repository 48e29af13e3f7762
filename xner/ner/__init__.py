"""Named entity taggers behind one interface: spaCy pipelines and transformers models."""

from xner.ner.base import TaggedSentence, Tagger, build_tagger, taggers

__all__ = ["TaggedSentence", "Tagger", "build_tagger", "taggers"]
