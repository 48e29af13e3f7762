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


def source_ner_default() -> str:
    """The installed head tagger when there is one (``xner models install --ner-train``), else spaCy."""
    from xner.ner.base import default_source_ner

    return default_source_ner()
