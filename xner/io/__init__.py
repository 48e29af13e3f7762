"""Readers and writers: CoNLL, parallel text, Pharaoh/talp alignments, JSONL records."""

from xner.io.conll import read_conll, write_conll
from xner.io.jsonl import read_jsonl, write_jsonl
from xner.io.parallel import read_sentences, read_text, write_text
from xner.io.tags import entities_to_tags, tags_to_entities
from xner.io.talp import read_talp, write_talp

__all__ = [
    "entities_to_tags", "read_conll", "read_jsonl", "read_sentences", "read_talp",
    "read_text", "tags_to_entities", "write_conll", "write_jsonl", "write_talp", "write_text",
]
