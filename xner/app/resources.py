"""Resources the app's pages share, created once per server process (Streamlit caches)."""

from __future__ import annotations

import streamlit as st

from xner.store import Store, default_url


@st.cache_resource
def _open_store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The review store named by ``XNER_DB_URL`` (default: the embedded SQLite file)."""
    return _open_store(default_url())


@st.cache_resource(show_spinner="loading the aligner …")
def aligner(model: str = "", layer: int = 7, method: str = "itermax", level: str = "subword", device: str = "auto"):
    """The embedding aligner; ``device``: auto (CUDA when present), cpu, cuda, cuda:N."""
    from xner.alignment.embedding import EmbeddingAligner

    return EmbeddingAligner(model=model or None, layer=layer, method=method, level=level, device=device)


@st.cache_resource(show_spinner="loading the NER model …")
def tagger(spec: str, device: str = "auto"):
    """An NER model (``head:DIR``, ``spacy:MODEL``, ``hf:MODEL``) on ``device``."""
    from xner.ner.base import build_tagger

    return build_tagger(spec, device=device)


# Each cached projector keeps the model outputs (tags, translation scores) of about this
# many recent sentences: changing the weights or going back to a sentence re-projects
# without the models, while a server running for weeks does not grow with every sentence.
LIVE_CACHE_SENTENCES = 256


@st.cache_resource(max_entries=16, show_spinner=False)
def projector(method: str, src_lang: str, tgt_lang: str, device: str = "auto", target_ner: str = "",
              translation_model: str = "", backtranslation: str = "", options: tuple = ()):
    """The projector for the live page's settings (see
    :func:`~xner.projection.methods.projector_from_settings`; ``options``: the method's own,
    as sorted ``(name, value)`` pairs). Kept with what its models computed (tags, translation
    scores) for the last :data:`LIVE_CACHE_SENTENCES` sentences, so other weights
    (:func:`~xner.projection.methods.with_weights`) re-project without tagging again; the
    target NER model is :func:`tagger`'s, shared."""
    from xner.projection.methods import bound_caches, projector_from_settings

    built = projector_from_settings(method, src_lang, tgt_lang,
                                    target_ner=tagger(target_ner, device) if target_ner else None,
                                    translation_model=translation_model or None,
                                    backtranslation=backtranslation or None, device=device, **dict(options))
    return bound_caches(built, LIVE_CACHE_SENTENCES)


def source_ner_default() -> str:
    """The installed head tagger when there is one (``xner models install --ner-train``), else spaCy."""
    from xner.ner.base import default_source_ner

    return default_source_ner()
