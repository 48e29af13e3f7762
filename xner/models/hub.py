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


# Tokenizer classes that are their ``tokenizer.json`` and nothing more (special tokens and
# the length limit come from ``tokenizer_config.json``): loaded straight from the file.
# Model-specific ones with state of their own (NLLB's and M2M100's languages) are not.
PLAIN_TOKENIZERS = frozenset({"XLMRobertaTokenizer", "XLMRobertaTokenizerFast", "BertTokenizer", "BertTokenizerFast",
                              "PreTrainedTokenizerFast", "TokenizersBackend"})
SPECIAL_TOKENS = ("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token")


def load_tokenizer(source: str):
    """The tokenizer of ``source`` (a directory or hub id), normalising text as the model's
    own ``tokenizer.json`` does.

    transformers 5 rebuilds some fast tokenizers (XLM-R among them) from their vocabulary
    and drops the normaliser saved with the model, e.g. the NFKC step of
    multilingual-e5, so "º" or "ﬁ" become unknown pieces. A tokenizer of a plain class
    (:data:`PLAIN_TOKENIZERS`) is therefore built from its ``tokenizer.json`` as saved,
    which is also several times faster than the rebuild (the offline e5's has 250,002
    pieces); for any other class ``AutoTokenizer`` loads it and the saved normaliser is
    put back.
    """
    saved = _saved_tokenizer_file(source)
    config = _tokenizer_config(saved)
    if saved is not None and config.get("tokenizer_class") in PLAIN_TOKENIZERS:
        return _plain_tokenizer(source, saved, config)
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source)
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


def _tokenizer_config(saved: Path | None) -> dict:
    """``tokenizer_config.json`` beside ``saved`` (``{}`` when there is none)."""
    if saved is None:
        return {}
    try:
        config = json.loads((saved.parent / "tokenizer_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return config if isinstance(config, dict) else {}


def _plain_tokenizer(source: str, saved: Path, config: dict):
    import transformers

    def content(token):  # a special token is a string, or a saved AddedToken
        return token.get("content") if isinstance(token, dict) else token

    options = {name: content(config[name]) for name in SPECIAL_TOKENS if isinstance(content(config.get(name)), str)}
    for name in ("model_max_length", "padding_side", "truncation_side", "add_prefix_space"):
        if name in config:
            options[name] = config[name]
    # the inputs the named class gives a model (BERT's token_type_ids, none for XLM-R)
    named = getattr(transformers, config["tokenizer_class"], None)
    if getattr(named, "model_input_names", None):
        options["model_input_names"] = list(named.model_input_names)
    return transformers.PreTrainedTokenizerFast(tokenizer_file=str(saved), name_or_path=source, **options)


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
