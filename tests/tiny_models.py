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


def _word_level_tokenizer(extra_specials: list[str]):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    specials = ["<pad>", "<s>", "</s>", "<unk>", *extra_specials]
    tokenizer.train_from_iterator(SENTENCES, trainers.WordLevelTrainer(special_tokens=specials))
    return tokenizer


def build_tiny_seq2seq(directory: Path, seed: int = 0) -> Path:
    """A tiny BART with NLLB-style language tokens (eng_Latn, spa_Latn, deu_Latn)."""
    import torch
    from tokenizers import processors
    from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast

    torch.manual_seed(seed)
    tokenizer = _word_level_tokenizer(["eng_Latn", "spa_Latn", "deu_Latn"])
    tokenizer.post_processor = processors.TemplateProcessing(
        single="$A </s>", special_tokens=[("</s>", tokenizer.token_to_id("</s>"))])
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="<pad>", bos_token="<s>", eos_token="</s>",
                                   unk_token="<unk>", model_max_length=64)
    config = BartConfig(vocab_size=tokenizer.get_vocab_size(), d_model=32, encoder_layers=1, decoder_layers=1,
                        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
                        decoder_ffn_dim=64, max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                        eos_token_id=2, decoder_start_token_id=2, forced_eos_token_id=2)
    directory.mkdir(parents=True, exist_ok=True)
    BartForConditionalGeneration(config).eval().save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory


def build_tiny_token_classifier(directory: Path, favour: str = "B-PER", seed: int = 0) -> Path:
    """A tiny BERT token classifier whose bias makes it predict ``favour`` for every word."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    bert = build_tiny_bert(directory / "base", seed=seed)
    labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
    config = BertConfig.from_pretrained(bert, num_labels=len(labels), id2label=dict(enumerate(labels)),
                                        label2id={l: i for i, l in enumerate(labels)})
    torch.manual_seed(seed)
    model = BertForTokenClassification(config).eval()
    with torch.no_grad():
        model.classifier.weight.mul_(0.01)
        model.classifier.bias.zero_()
        model.classifier.bias[labels.index(favour)] = 5.0
    model.save_pretrained(directory)
    BertTokenizerFast.from_pretrained(bert).save_pretrained(directory)
    return directory
