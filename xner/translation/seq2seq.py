"""Neural MT through transformers: NLLB-200, M2M100, Marian/Opus-MT, by hub id or path.

The paper's MT is ``facebook/nllb-200-3.3B``. Language codes: NLLB models take FLORES
codes (``eng_Latn``), M2M100 ``__en__``-style tokens, Marian models none (one model per
direction). Inputs are sorted by length and translated in batches; the model is loaded
once per process. The same model also gives the sequence log-probabilities that the
NMTScore-style translation score needs, scored in length-sorted batches whose logits
(rows × target tokens × vocabulary) stay within a fixed memory budget.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from xner.errors import ConfigError
from xner.models.device import resolve_device
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
def _load(source: str, device: str):
    tokenizer, model = load_pretrained("AutoModelForSeq2SeqLM", source, "translation model",
                                       "use --translator apertium / given:FILE")
    return tokenizer, model.to(device)


# NLLB and M2M100 tokenizers keep the source language as state (``src_lang``); the
# cached tokenizer is shared by every translator and thread of the process.
_TOKENIZER_LOCK = threading.Lock()

# Scoring materialises the logits of every target token over the whole vocabulary (256k
# for NLLB): a batch holds at most this many of those floats (256 MiB in float32).
LOGITS_BUDGET = 2**26
MAX_SCORE_ROWS = 256


@dataclass(frozen=True)
class Seq2SeqTranslator:
    """``device``: ``auto`` (a CUDA GPU when torch sees one), ``cpu``, ``cuda``, ``cuda:N``."""

    source: str
    batch_size: int = 16
    num_beams: int = 4
    max_new_tokens: int = 256
    device: str = "auto"
    name: str = "hf"

    @property
    def _loaded(self):
        return _load(self.source, resolve_device(self.device))

    @property
    def tokenizer(self):
        return self._loaded[0]

    @property
    def model(self):
        return self._loaded[1]

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
        """Model inputs for ``texts`` in ``src_lang``, with its language token where the model has one."""
        tokenizer = self.tokenizer
        code = self.language_token(src_lang)
        if code is not None and hasattr(tokenizer, "src_lang"):
            with _TOKENIZER_LOCK:
                tokenizer.src_lang = code
                encoded = tokenizer(list(texts), return_tensors="pt", padding=True, truncation=True)
        else:
            encoded = tokenizer(list(texts), return_tensors="pt", padding=True, truncation=True)
            if code is not None:  # a generic tokenizer: put the language token first, as NLLB does
                import torch

                code_id = tokenizer.convert_tokens_to_ids(code)
                ids = encoded["input_ids"]
                encoded["input_ids"] = torch.cat([torch.full((ids.shape[0], 1), code_id), ids], dim=1)
                encoded["attention_mask"] = torch.cat(
                    [torch.ones((ids.shape[0], 1), dtype=encoded["attention_mask"].dtype), encoded["attention_mask"]],
                    dim=1)
        return {k: v.to(self.model.device) for k, v in encoded.items()}

    def _targets(self, texts: Sequence[str], tgt_lang: str) -> tuple[list[list[int]], int]:
        """Label ids as generation produces them (``[language token] words </s>``) and how many
        leading tokens are forced (the language token: ``forced_bos_token_id``), not generated."""
        tokenizer = self.tokenizer
        code = self.language_token(tgt_lang)
        with _TOKENIZER_LOCK:  # text_target switches NLLB/M2M100/Marian tokenizers to target mode
            pieces = tokenizer(text_target=list(texts), add_special_tokens=False, truncation=True)["input_ids"]
        prefix = [tokenizer.convert_tokens_to_ids(code)] if code is not None else []
        suffix = [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []
        return [prefix + list(ids) + suffix for ids in pieces], len(prefix)

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
        """Mean log-probability per generated token of ``target`` given ``source`` (teacher forcing).

        The tokens are those generation produces after the forced target-language token
        (NLLB, M2M100), i.e. the target's sub-words and ``</s>``; the forced token itself
        has no choice in it and is not counted. Pairs are scored in batches of similar
        length (little padding; padding never changes a value), as many rows as keep the
        logits within ``LOGITS_BUDGET`` floats, at most ``MAX_SCORE_ROWS``.
        """
        if len(sources) != len(targets):
            raise ValueError(f"{len(sources)} sources but {len(targets)} targets")
        if not sources:
            return []
        labels, forced = self._targets(targets, tgt_lang)
        with _TOKENIZER_LOCK:  # lengths only: no special tokens, so the language state does not matter
            source_lengths = [len(ids) for ids in self.tokenizer(list(sources), add_special_tokens=False)["input_ids"]]
        order = sorted(range(len(sources)), key=lambda k: (len(labels[k]), source_lengths[k]), reverse=True)
        vocabulary = max(1, int(getattr(self.model.config, "vocab_size", 0) or len(self.tokenizer)))
        result = [0.0] * len(sources)
        position = 0
        while position < len(order):
            longest = len(labels[order[position]])  # the first of a batch is its longest
            rows = max(1, min(MAX_SCORE_ROWS, LOGITS_BUDGET // (vocabulary * longest)))
            batch = order[position : position + rows]
            position += rows
            values = self._mean_log_p([sources[k] for k in batch], [labels[k] for k in batch], forced, src_lang)
            for k, value in zip(batch, values):
                result[k] = value
        return result

    def _mean_log_p(self, sources: list[str], labels: list[list[int]], forced: int, src_lang: str) -> list[float]:
        import torch

        encoded = self._encode(sources, src_lang)
        width = max(map(len, labels))
        label_ids = torch.full((len(labels), width), -100, dtype=torch.long)
        for row, ids in enumerate(labels):
            label_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        config = self.model.config
        start = config.decoder_start_token_id
        pad = config.pad_token_id if config.pad_token_id is not None else self.tokenizer.pad_token_id
        decoder_ids = torch.cat([torch.full((len(labels), 1), start), label_ids[:, :-1]], dim=1)
        decoder_ids = decoder_ids.masked_fill(decoder_ids == -100, pad)
        scored = label_ids != -100
        scored[:, :forced] = False
        device = self.model.device
        scored, targets = scored.to(device), label_ids.clamp(min=0).to(device)
        with torch.inference_mode():
            logits = self.model(**encoded, decoder_input_ids=decoder_ids.to(device)).logits.float()
            # log_softmax at the label only: the logits are the only rows × length × vocabulary tensor
            picked = logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1) - torch.logsumexp(logits, dim=-1)
            means = (picked * scored).sum(1) / scored.sum(1).clamp(min=1)
        return means.cpu().tolist()


@translators.register("hf")
def _seq2seq(source: str, **params) -> Seq2SeqTranslator:
    """A transformers seq2seq model (NLLB, M2M100, Marian) by hub id or directory: hf:MODEL."""
    return Seq2SeqTranslator(source, **params)
