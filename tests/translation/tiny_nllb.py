"""A tiny NLLB built locally: an ``NllbTokenizer`` with FLORES language codes (BPE trained
on a few sentences) and a random ``M2M100ForConditionalGeneration``, the architecture of
``facebook/nllb-200-*``. Its tokenizer keeps ``src_lang``/``tgt_lang`` as state and puts
the language code first, as the real one does."""

from __future__ import annotations

import json
from pathlib import Path

from tests.tiny_models import SENTENCES

CODES = ["eng_Latn", "spa_Latn", "deu_Latn"]


def build_tiny_nllb(directory: Path, seed: int = 0, *, sentences=SENTENCES, vocab_size: int = 200, d_model: int = 32,
                    layers: int = 1) -> Path:
    """Random weights; the tokenizer is trained on ``sentences`` (a bench passes a corpus and
    a wider, deeper network, still far smaller than any real NLLB)."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    trained = Tokenizer(models.BPE(unk_token="<unk>"))
    trained.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    trained.train_from_iterator(sentences, trainers.BpeTrainer(vocab_size=vocab_size,
                                                                special_tokens=["<s>", "<pad>", "</s>", "<unk>"]))
    bpe = json.loads(trained.to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split()) for m in bpe["merges"]]
    tokenizer = NllbTokenizer(vocab=bpe["vocab"], merges=merges, extra_special_tokens=CODES, model_max_length=64)
    torch.manual_seed(seed)
    config = M2M100Config(vocab_size=len(tokenizer), d_model=d_model, encoder_layers=layers, decoder_layers=layers,
                          encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=2 * d_model,
                          decoder_ffn_dim=2 * d_model, max_position_embeddings=64, pad_token_id=tokenizer.pad_token_id,
                          bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                          decoder_start_token_id=tokenizer.eos_token_id, scale_embedding=True)
    directory.mkdir(parents=True, exist_ok=True)
    M2M100ForConditionalGeneration(config).eval().save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory
