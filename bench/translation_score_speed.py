"""The translation (NMTScore) score in fused projection: the code before issue 16 beside
the batched scorer, with and without the prefilter, in one run on the same pairs.

Gold English entities of the first N Europarl sentences projected onto Spanish with
``fused`` (n-gram candidates up to 10 words, alignment 0.5 + translation 1.0, greedy), the
links from the offline default aligner, computed once and shared. The seq2seq model is a
small NLLB-shaped network built here with random weights (its BPE tokenizer trained on
these sentences): no real model can be downloaded on this machine, so only the relative
speed of the three paths means anything, not the scores.

- **before**: the scorer as it was: three passes per entity over every candidate
  (plus P(a|a)), in batches of 16 with the full log-softmax (copied below verbatim);
- **batched**: every (entity, candidate) of a sentence pair in one call per direction,
  batches sized by a logits budget (``Seq2SeqTranslator.log_probability``);
- **batched + prefilter** (the default): only candidates the alignment score supports.

    python -m bench.translation_score_speed            # writes docs/BENCHMARKS.md
    python -m bench.translation_score_speed --no-write
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.report import SHARED_DATA, header, publish, table
from xner.projection.translation_score import TranslationScorer

WEIGHTS = {"alignment": 0.5, "translation": 1.0}


class BeforeTranslationScorer:
    """``TranslationScorer`` before issue 16 (per entity, unbatched across entities)."""

    name = "translation"

    def __init__(self, translator, src_lang, tgt_lang, floor=0.1):
        self.translator, self.src_lang, self.tgt_lang, self.floor = translator, src_lang, tgt_lang, floor
        self._cache = {}

    _log_p = TranslationScorer._log_p  # unchanged by issue 16: the memo of text pairs asked

    def score(self, pair, entity_index, spans):
        if not spans:
            return np.zeros(0)
        a = pair.source_entities[entity_index].text(pair.source_words)
        bs = [" ".join(pair.target_words[s.start : s.end]) for s in spans]
        n = len(bs)
        (a_a,) = self._log_p([a], [a], self.src_lang, self.src_lang)
        a_b = self._log_p(bs, [a] * n, self.tgt_lang, self.src_lang)
        b_a = self._log_p([a] * n, bs, self.src_lang, self.tgt_lang)
        b_b = self._log_p(bs, bs, self.tgt_lang, self.tgt_lang)
        scores = np.array([0.5 * (math.exp(x - a_a) + math.exp(y - z)) for x, y, z in zip(a_b, b_a, b_b)])
        return np.where(scores >= self.floor, scores, 0.0)


def before_log_probability(translator, sources, targets, src_lang, tgt_lang, batch_size=16):
    """``Seq2SeqTranslator.log_probability`` before issue 16."""
    import torch

    labels, forced = translator._targets(targets, tgt_lang)
    order = sorted(range(len(sources)), key=lambda k: len(labels[k]) + len(sources[k]), reverse=True)
    result = [0.0] * len(sources)
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        encoded = translator._encode([sources[k] for k in batch], src_lang)
        batch_labels = [labels[k] for k in batch]
        width = max(map(len, batch_labels))
        label_ids = torch.full((len(batch), width), -100, dtype=torch.long)
        for row, ids in enumerate(batch_labels):
            label_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        config = translator.model.config
        pad = config.pad_token_id if config.pad_token_id is not None else translator.tokenizer.pad_token_id
        decoder_ids = torch.cat([torch.full((len(batch), 1), config.decoder_start_token_id), label_ids[:, :-1]], dim=1)
        decoder_ids = decoder_ids.masked_fill(decoder_ids == -100, pad)
        scored = label_ids != -100
        scored[:, :forced] = False
        with torch.inference_mode():
            logits = translator.model(**encoded, decoder_input_ids=decoder_ids).logits
        logp = torch.log_softmax(logits.float(), dim=-1).cpu()
        picked = logp.gather(-1, label_ids.clamp(min=0).unsqueeze(-1)).squeeze(-1) * scored
        for k, value in zip(batch, (picked.sum(1) / scored.sum(1).clamp(min=1)).tolist()):
            result[k] = value
    return result


class Counting:
    """Counts the model calls and the (source, target) pairs a scorer asks for."""

    def __init__(self, translator, log_probability=None):
        self.translator, self.calls, self.pairs = translator, 0, 0
        self._log_probability = log_probability or translator.log_probability

    def log_probability(self, sources, targets, src, tgt):
        self.calls += 1
        self.pairs += len(sources)
        return self._log_probability(sources, targets, src, tgt)

    def __getattr__(self, name):
        return getattr(self.translator, name)


def load_pairs(n: int, lang: str):
    from xner.alignment.embedding import EmbeddingAligner
    from xner.io.conll import read_conll
    from xner.types import SentencePair

    en = read_conll(SHARED_DATA / "europarl/en.europarl.test.conll")
    tgt = read_conll(SHARED_DATA / f"europarl/{lang}.europarl.test.conll")
    chosen = [(s, t) for s, t in zip(en, tgt) if s.entities][:n]
    links = EmbeddingAligner().align([(s.words, t.words) for s, t in chosen])
    return [SentencePair(s.words, t.words, s.entities, alignment=a) for (s, t), a in zip(chosen, links)], en, tgt


def run(label: str, scorer, pairs, max_ngram: int, model):
    """Projections, wall and CPU seconds, and the model's forward passes."""
    from xner.projection.candidates import NgramExtractor
    from xner.projection.matching import CandidateMatchingProjector
    from xner.projection.scores import AlignmentScorer

    projector = CandidateMatchingProjector((NgramExtractor(max_len=max_ngram),), (AlignmentScorer(), scorer),
                                           WEIGHTS, name="fused")
    passes = []
    hook = model.register_forward_hook(lambda *_: passes.append(1))
    start, cpu = time.perf_counter(), time.process_time()
    results = [projector.project(p) for p in pairs]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    hook.remove()
    print(f"{label}: {seconds:.1f}s wall, {cpu:.1f}s CPU, {len(passes)} forward passes", flush=True)
    return results, seconds, cpu, len(passes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=50, help="first N Europarl sentences with an entity")
    parser.add_argument("--lang", default="es")
    parser.add_argument("--max-ngram", type=int, default=10)
    parser.add_argument("--d-model", type=int, default=128)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import torch

    from tests.translation.tiny_nllb import build_tiny_nllb
    from xner.translation.seq2seq import Seq2SeqTranslator

    pairs, en, tgt = load_pairs(args.sentences, args.lang)
    torch.set_num_threads(args.threads)  # after the aligner, which sets its own
    corpus = [" ".join(s.words) for s in (*en, *tgt)]
    with tempfile.TemporaryDirectory() as directory:
        model = build_tiny_nllb(Path(directory), sentences=corpus, vocab_size=8000, d_model=args.d_model,
                                layers=args.layers)
        translator = Seq2SeqTranslator(str(model), device="cpu")
        translator.model  # loaded once, outside every timing
        parameters = sum(p.numel() for p in translator.model.parameters())
        variants = {
            "before (per entity, batches of 16)": Counting(translator, lambda *a: before_log_probability(translator, *a)),
            "batched": Counting(translator),
            "batched + prefilter (default)": Counting(translator),
        }
        scorers = {
            "before (per entity, batches of 16)": BeforeTranslationScorer(variants["before (per entity, batches of 16)"],
                                                                          "en", args.lang),
            "batched": TranslationScorer(variants["batched"], "en", args.lang, prefilter=False),
            "batched + prefilter (default)": TranslationScorer(variants["batched + prefilter (default)"], "en",
                                                               args.lang),
        }
        outcomes = {label: run(label, scorer, pairs, args.max_ngram, translator.model)
                    for label, scorer in scorers.items()}

    before = outcomes["before (per entity, batches of 16)"][0]
    batched = outcomes["batched"][0]
    filtered = outcomes["batched + prefilter (default)"][0]
    worst = max(abs(a.scores["translation"] - b.scores["translation"])
                for x, y in zip(before, batched) for a, b in zip(x.candidates, y.candidates))
    assert all(x.entities == y.entities for x, y in zip(before, batched)), "batching changed a projection"
    changed = sum(x.entities != y.entities for x, y in zip(batched, filtered))
    base = outcomes["before (per entity, batches of 16)"][2]
    rows = []
    for label, (_, seconds, cpu, passes) in outcomes.items():
        counter = variants[label]
        rows.append([label, f"{cpu:.1f}", f"{seconds:.1f}", f"{base / cpu:.1f}×", counter.calls, passes, counter.pairs,
                     f"{1000 * cpu / len(pairs):.0f}"])
    entities = sum(len(p.source_entities) for p in pairs)
    markdown = header("Translation score: batched and prefiltered (fused projection, Europarl en → "
                      f"{args.lang})") + (
        f"{len(pairs)} Europarl sentences with {entities} gold English entities, n-grams up to {args.max_ngram} "
        f"words, alignment 0.5 + translation 1.0, links from the default aligner (computed once, not timed). "
        f"The seq2seq model is NLLB-shaped (M2M100, d_model {args.d_model}, {args.layers}+{args.layers} layers, "
        f"8,000-piece BPE, {parameters / 1e6:.1f} M parameters) with **random weights**, built here because no "
        f"real model can be downloaded: only the relative speed means anything. {args.threads} torch thread(s); "
        f"the machine is shared, so CPU time (the process's own) is the measure, wall time is shown beside it.\n\n"
        + table(["scorer", "CPU s", "wall s", "speed-up (CPU)", "log_probability calls", "forward passes",
                 "text pairs scored", "CPU ms / sentence"], rows)
        + f"\nBatched vs before: the same projections in all {len(pairs)} sentences (largest translation-score "
        f"difference {worst:.1e}), in {outcomes['before (per entity, batches of 16)'][3] / outcomes['batched'][3]:.0f}× "
        f"fewer forward passes; on one CPU thread that saves little time, since the work per text pair (the "
        f"output layer over the whole vocabulary for every target token) is the same in any batch: fewer, larger "
        f"passes are what a GPU needs (none here to measure). The prefilter asks only about candidates the alignment score supports, so a "
        f"candidate supported by the translation score alone can no longer win: {changed} of {len(pairs)} "
        f"sentences project differently here (with random weights the translation score is noise, so this "
        f"count says nothing about accuracy with a real model). `--no-translation-prefilter` turns it off.\n")
    publish("translation-score-speed", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
