"""Tiny transformers models built locally (random weights, a tokenizer trained on a few
sentences), saved to a directory and loaded through the same code a user with a real
hub model would use."""

from __future__ import annotations

from pathlib import Path

SENTENCES = [
    "Angela Merkel visited Paris with executives from Siemens .",
    "Angela Merkel besuchte Paris mit Managern von Siemens .",
    "The European Parliament met in Strasbourg on Friday .",
    "Das Europäische Parlament tagte am Freitag in Straßburg .",
    "El Parlamento Europeo se reunió en Estrasburgo el viernes .",
]


def build_tiny_bert(directory: Path, max_positions: int = 64, layers: int = 3, seed: int = 0) -> Path:
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertModel, BertTokenizerFast

    torch.manual_seed(seed)
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer.train_from_iterator(SENTENCES, trainers.WordPieceTrainer(vocab_size=120, special_tokens=specials))
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", tokenizer.token_to_id("[CLS]")), ("[SEP]", tokenizer.token_to_id("[SEP]"))],
    )
    fast = BertTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                             sep_token="[SEP]", mask_token="[MASK]", model_max_length=max_positions)
    config = BertConfig(vocab_size=tokenizer.get_vocab_size(), hidden_size=32, num_hidden_layers=layers,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=max_positions)
    directory.mkdir(parents=True, exist_ok=True)
    BertModel(config).eval().save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory
