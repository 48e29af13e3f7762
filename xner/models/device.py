"""Where models run: ``auto`` (a CUDA GPU when torch sees one, else the CPU), or a device
named explicitly (``cpu``, ``cuda``, ``cuda:1``, ``mps``), checked before any model loads.

>>> resolve_device("cpu")
'cpu'
"""

from __future__ import annotations

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
        raise ConfigError(f"unknown device {device!r}; use {DEVICE_HELP}") from None
    if parsed.type == "cuda":
        if not torch.cuda.is_available():
            raise ConfigError(
                f"device {device!r}: torch {torch.__version__} sees no CUDA GPU here (a CPU-only build, or no "
                f"driver/GPU visible); use --device cpu, or --device auto to take a GPU only when there is one"
            )
        count = torch.cuda.device_count()
        if parsed.index is not None and parsed.index >= count:
            raise ConfigError(f"device {device!r}: there {'is' if count == 1 else 'are'} only {count} CUDA "
                              f"device{'s' if count != 1 else ''} (cuda:0..cuda:{count - 1})")
    elif parsed.type == "mps":
        if not torch.backends.mps.is_available():
            raise ConfigError(f"device {device!r}: Apple's MPS backend is not available here; use --device cpu")
    elif parsed.type != "cpu":
        raise ConfigError(f"unsupported device {device!r}; use {DEVICE_HELP}")
    return str(parsed)
