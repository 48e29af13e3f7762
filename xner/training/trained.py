"""Tagging with any model directory ``xner train`` wrote: a head tagger, a fine-tuned
transformers token classifier, or a spaCy pipeline (recognised by their files)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xner.types import Entity, Words


def predict_trained(path: str | Path, sentences: Sequence[Words], device: str = "auto") -> list[tuple[Entity, ...]]:
    """Entities per sentence from the model in ``path``, run on ``device`` (``auto``, ``cpu``, ``cuda[:N]``)."""
    from xner.ner.head_model import is_head_model

    path = Path(path)
    if is_head_model(path):
        from xner.ner.head_tagger import HeadTagger

        return [t.entities for t in HeadTagger(str(path), device=device).tag(sentences)]
    if (path / "config.json").is_file() and not (path / "config.cfg").is_file():
        from xner.ner.transformers_tagger import TransformersTagger

        return [t.entities for t in TransformersTagger(str(path), device=device).tag(sentences)]
    from xner.training.spacy_trainer import load_trained, predict_spacy

    return predict_spacy(load_trained(path, device), sentences)
