"""Loading models in the background so that a page is usable before they are ready."""

from __future__ import annotations

import threading

_started: set[tuple] = set()
_guard = threading.Lock()


def warm_up(ner_spec: str | None = None, delay: float = 1.0, **aligner: object) -> threading.Thread | None:
    """Start loading the default aligner's encoder and the source NER model (once per process)."""
    if ner_spec is None:
        from xner.ner.base import default_source_ner

        ner_spec = default_source_ner()
    key = (ner_spec, tuple(sorted(aligner.items())))
    with _guard:
        if key in _started:
            return None
        _started.add(key)

    def load() -> None:
        try:
            from xner.alignment.embedding import EmbeddingAligner
            from xner.ner.base import build_tagger

            EmbeddingAligner(**aligner).encoder  # noqa: B018 - loads and caches the model
            tagger = build_tagger(ner_spec)
            tagger.tag([("warm",)])
        except Exception:  # noqa: BLE001 - a failed warm-up is reported when the model is really used
            pass

    # A short delay lets the page that asked for the warm-up reach the browser first:
    # importing torch holds the interpreter lock for seconds.
    thread = threading.Timer(delay, load)
    thread.name, thread.daemon = "xner-warmup", True
    thread.start()
    return thread
