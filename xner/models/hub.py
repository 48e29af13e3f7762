"""Loading a transformers tokenizer and model by hub id or directory, with one clear error."""

from __future__ import annotations

from xner.errors import MissingDependencyError, XnerError


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
        tokenizer = transformers.AutoTokenizer.from_pretrained(source)
        model = getattr(transformers, auto_model).from_pretrained(source).eval()
    except OSError as error:
        raise XnerError(
            f"{what} {source!r} could not be loaded ({error.__class__.__name__}); with no internet give a "
            f"local model directory, or {fallback}"
        ) from None
    return tokenizer, model
