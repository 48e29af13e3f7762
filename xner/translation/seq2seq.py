"""Neural MT through transformers: NLLB-200, M2M100, Marian/Opus-MT, by hub id or path.

The paper's MT is ``facebook/nllb-200-3.3B``. Language codes: NLLB models take FLORES
codes (``eng_Latn``), M2M100 ``__en__``-style tokens, Marian models none (one model per
direction). Inputs are sorted by length and translated in batches; the model is loaded
once per process. The same model also gives the sequence log-probabilities that the
NMTScore-style translation score needs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from xner.errors import ConfigError
from xner.models.hub import load_pretrained
from xner.translation.base import translators

NLLB_CODES = {
    "en": "eng_Latn", "es": "spa_Latn", "de": "deu_Latn", "fr": "fra_Latn", "it": "ita_Latn",
    "pt": "por_Latn", "nl": "nld_Latn", "ca": "cat_Latn", "eu": "eus_Latn", "gl": "glg_Latn",
    "is": "isl_Latn", "fi": "fin_Latn", "et": "est_Latn", "ru": "rus_Cyrl", "uk": "ukr_Cyrl",
    "ar": "arb_Arab", "fa": "pes_Arab", "hi": "hin_Deva", "bn": "ben_Beng", "zh": "zho_Hans",
    "ja": "jpn_Jpan", "ko": "kor_Hang", "th": "tha_Thai", "vi": "vie_Latn", "id": "ind_Latn",
    "tr": "tur_Latn", "he": "heb_Hebr", "el": "ell_Grek", "ka": "kat_Geor", "hy": "hye_Armn",
    "yo": "yor_Latn", "ha": "hau_Latn", "ig": "ibo_Latn", "sw": "swh_Latn", "zu": "zul_Latn",
    "xh": "xho_Latn", "am": "amh_Ethi", "rw": "kin_Latn", "lg": "lug_Latn", "luo": "luo_Latn",
    "wo": "wol_Latn", "tn": "tsn_Latn", "ts": "tso_Latn", "ny": "nya_Latn", "sn": "sna_Latn",
    "tw": "twi_Latn", "ee": "ewe_Latn", "fon": "fon_Latn", "bm": "bam_Latn", "mos": "mos_Latn",
    "ta": "tam_Taml", "te": "tel_Telu", "ur": "urd_Arab", "my": "mya_Mymr", "km": "khm_Khmr",
}


@functools.lru_cache(maxsize=2)
def _load(source: str):
    return load_pretrained("AutoModelForSeq2SeqLM", source, "translation model",
                           "use --translator apertium / given:FILE")


@dataclass(frozen=True)
class Seq2SeqTranslator:
    source: str
    batch_size: int = 16
    num_beams: int = 4
    max_new_tokens: int = 256
    name: str = "hf"

    @property
    def tokenizer(self):
        return _load(self.source)[0]

    @property
    def model(self):
        return _load(self.source)[1]

    def language_token(self, lang: str) -> str | None:
        """The token that names ``lang`` for this model, or ``None`` for models without one."""
        vocab = self.tokenizer.get_vocab()
        for candidate in (NLLB_CODES.get(lang, lang), f"__{lang}__", lang if "_" in lang else None):
            if candidate and candidate in vocab:
                return candidate
        if any(code in vocab for code in ("eng_Latn", "__en__")):
            raise ConfigError(
                f"the translation model {self.source!r} has no code for language {lang!r}; use an ISO 639-1 "
                f"code it knows (e.g. {', '.join(sorted(NLLB_CODES)[:8])}, ...) or its own code like yor_Latn"
            )
        return None

    def _encode(self, texts: Sequence[str], src_lang: str):
        tokenizer = self.tokenizer
        code = self.language_token(src_lang)
        if code is not None and hasattr(tokenizer, "src_lang"):
            tokenizer.src_lang = code
            return tokenizer(list(texts), return_tensors="pt", padding=True, truncation=True)
        encoded = tokenizer(list(texts), return_tensors="pt", padding=True, truncation=True)
        if code is not None:  # a generic tokenizer: put the language token first, as NLLB does
            import torch

            code_id = tokenizer.convert_tokens_to_ids(code)
            ids = encoded["input_ids"]
            encoded["input_ids"] = torch.cat([torch.full((ids.shape[0], 1), code_id), ids], dim=1)
            encoded["attention_mask"] = torch.cat([torch.ones((ids.shape[0], 1), dtype=encoded["attention_mask"].dtype),
                                                   encoded["attention_mask"]], dim=1)
        return encoded

    def translate(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[str]:
        import torch

        target_code = self.language_token(tgt_lang)
        order = sorted(range(len(texts)), key=lambda k: len(texts[k]), reverse=True)
        result = [""] * len(texts)
        for start in range(0, len(order), self.batch_size):
            batch = [k for k in order[start : start + self.batch_size] if texts[k].strip()]
            if not batch:
                continue
            encoded = self._encode([texts[k] for k in batch], src_lang)
            options = {"num_beams": self.num_beams, "max_new_tokens": self.max_new_tokens}
            if target_code is not None:
                options["forced_bos_token_id"] = self.tokenizer.convert_tokens_to_ids(target_code)
            with torch.inference_mode():
                generated = self.model.generate(**encoded, **options)
            for k, text in zip(batch, self.tokenizer.batch_decode(generated, skip_special_tokens=True)):
                result[k] = text.strip()
        return result

    def log_probability(self, sources: Sequence[str], targets: Sequence[str], src_lang: str, tgt_lang: str) -> list[float]:
        """Mean per-token log P(target | source) under the model (teacher forcing)."""
        import torch

        if not sources:
            return []
        encoded = self._encode(sources, src_lang)
        labels = self.tokenizer(text_target=list(targets), return_tensors="pt", padding=True, truncation=True)["input_ids"]
        target_code = self.language_token(tgt_lang)
        if target_code is not None and labels.shape[1] and labels[0, 0] != self.tokenizer.convert_tokens_to_ids(target_code):
            code_id = self.tokenizer.convert_tokens_to_ids(target_code)
            labels = torch.cat([torch.full((labels.shape[0], 1), code_id), labels], dim=1)
        pad = self.tokenizer.pad_token_id
        labels = labels.masked_fill(labels == pad, -100)
        with torch.inference_mode():
            logits = self.model(**encoded, labels=labels).logits
        logp = torch.log_softmax(logits.float(), dim=-1)
        mask = labels != -100
        picked = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1) * mask
        return (picked.sum(1) / mask.sum(1).clamp(min=1)).tolist()


@translators.register("hf")
def _seq2seq(source: str, **params) -> Seq2SeqTranslator:
    """A transformers seq2seq model (NLLB, M2M100, Marian) by hub id or directory: hf:MODEL."""
    return Seq2SeqTranslator(source, **params)
