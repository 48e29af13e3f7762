"""Loading a transformers tokenizer and model by hub id or directory, with one clear error."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from xner.errors import MissingDependencyError, XnerError

log = logging.getLogger(__name__)


def load_pretrained(auto_model: str, source: str, what: str, fallback: str):
    """``(tokenizer, model in eval mode)`` for ``transformers.<auto_model>``.

    ``what`` names the model's role in the message ("NER model"); ``fallback`` says what
    to use instead when it cannot be had offline.
    """
    try:
        import torch  # noqa: F401
        import transformers
    except ImportError:
        raise MissingDependencyError("torch and transformers", "pip install torch==2.13.0 transformers") from None
    try:
        tokenizer = load_tokenizer(source)
        model = getattr(transformers, auto_model).from_pretrained(source).eval()
    except OSError as error:
        raise XnerError(
            f"{what} {source!r} could not be loaded ({error.__class__.__name__}); with no internet give a "
            f"local model directory, or {fallback}"
        ) from None
    return tokenizer, model


def load_tokenizer(source: str):
    """``AutoTokenizer.from_pretrained(source)``, normalising text as the model's own
    ``tokenizer.json`` does.

    transformers 5 rebuilds some fast tokenizers (XLM-R among them) from their vocabulary
    and drops the normaliser saved with the model, e.g. the NFKC step of
    multilingual-e5, so "º" or "ﬁ" become unknown pieces. The saved one is put back.
    """
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source)
    saved = _saved_tokenizer_file(source)
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if saved is None or backend is None:
        return tokenizer
    try:
        normalizer = json.loads(saved.read_text(encoding="utf-8")).get("normalizer")
    except (OSError, ValueError):
        return tokenizer
    current = json.loads(backend.to_str()).get("normalizer")
    if normalizer != current:
        from tokenizers import Tokenizer

        log.debug("%s: restoring the normaliser saved in %s", source, saved)
        backend.normalizer = Tokenizer.from_file(str(saved)).normalizer
    return tokenizer


def _saved_tokenizer_file(source: str) -> Path | None:
    local = Path(source) / "tokenizer.json"
    if local.is_file():
        return local
    try:
        from huggingface_hub import try_to_load_from_cache

        cached = try_to_load_from_cache(source, "tokenizer.json")
    except Exception:  # noqa: BLE001 - not a hub id, or no hub library: nothing saved to compare with
        return None
    return Path(cached) if isinstance(cached, str) else None
