"""Where models run: ``auto`` (a CUDA GPU when torch sees one, else the CPU), or a device
named explicitly (``cpu``, ``cuda``, ``cuda:1``, ``mps``), checked before any model loads.

>>> resolve_device("cpu")
'cpu'
"""

from __future__ import annotations

import contextlib

from xner.errors import ConfigError

DEVICE_HELP = "auto (a CUDA GPU when present, else CPU), cpu, cuda or cuda:N"


def resolve_device(device: str | None = "auto") -> str:
    """The torch device string for ``device``; a clear error when it is not available here."""
    name = (device or "auto").strip().lower()
    if name == "cpu":
        return "cpu"
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        parsed = torch.device(name)
    except (RuntimeError, ValueError):
        raise ConfigError("unknown {device} {given}; use " + DEVICE_HELP, settings=("device",), given=repr(device)) from None
    if parsed.type == "cuda":
        if not torch.cuda.is_available():
            raise ConfigError(
                "{device} {given}: torch {torch} sees no CUDA GPU here (a CPU-only build, or no driver/GPU "
                "visible); set {device} to cpu, or to auto to take a GPU only when there is one",
                settings=("device",), given=repr(device), torch=torch.__version__)
        count = torch.cuda.device_count()
        if parsed.index is not None and parsed.index >= count:
            raise ConfigError("{device} {given}: there " + ("is" if count == 1 else "are") + f" only {count} CUDA "
                              f"device{'s' if count != 1 else ''} (cuda:0..cuda:{count - 1})", settings=("device",),
                              given=repr(device))
    elif parsed.type == "mps":
        if not torch.backends.mps.is_available():
            raise ConfigError("{device} {given}: Apple's MPS backend is not available here; set {device} to cpu",
                              settings=("device",), given=repr(device))
    elif parsed.type != "cpu":
        raise ConfigError("unsupported {device} {given}; use " + DEVICE_HELP, settings=("device",), given=repr(device))
    return str(parsed)


def spacy_gpu(device: str | None = "auto") -> int | None:
    """The GPU a spaCy pipeline runs on for ``device``, or ``None`` for the CPU.

    spaCy computes on a GPU through CuPy (thinc), not torch: ``auto`` takes GPU 0 when
    CuPy sees one; ``cuda``/``cuda:N`` without CuPy or a GPU is a clear error, raised
    before any pipeline loads.

    >>> spacy_gpu("cpu") is None
    True
    """
    name = (device or "auto").strip().lower()
    if name == "cpu":
        return None
    from thinc import util

    if name == "auto":
        return 0 if util.has_cupy_gpu else None
    kind, _, index = name.partition(":")
    if kind not in ("cuda", "gpu") or (index and not index.isdigit()):
        raise ConfigError("{device} {given}: spaCy runs on cpu, cuda or cuda:N; use " + DEVICE_HELP, settings=("device",),
                          given=repr(device))
    if not util.has_cupy:
        reason = "CuPy is not installed (spaCy computes on a GPU through CuPy, e.g. pip install 'spacy[cuda12x]')"
    elif not util.has_cupy_gpu:
        reason = "CuPy sees no CUDA GPU"
    else:
        return int(index or 0)
    raise ConfigError("{device} {given}: spaCy cannot use a GPU here: {reason}; set {device} to cpu, or to auto to "
                      "take a GPU only when there is one", settings=("device",), given=repr(device), reason=reason)


@contextlib.contextmanager
def spacy_ops(gpu: int | None):
    """Build or load spaCy pipelines on ``gpu`` (``None``: the CPU) inside the block.

    A pipeline keeps the ops (thinc's backend) current when it was created, so this is
    needed only while loading or initialising; the ops before the block are restored.
    """
    from thinc.api import get_current_ops, get_ops, require_gpu, set_current_ops

    previous = get_current_ops()
    if gpu is None:
        set_current_ops(get_ops("cpu"))
    else:
        try:
            require_gpu(gpu)
        except Exception as error:  # noqa: BLE001 - thinc/CuPy say it in their own words: say it in ours
            raise ConfigError("{device} cuda:{gpu}: spaCy cannot use this GPU ({error}); set {device} to cpu",
                              settings=("device",), gpu=gpu, error=str(error)) from None
    try:
        yield
    finally:
        set_current_ops(previous)
