"""Stage 2: the corpus aligned and projected prefix by prefix (each prefix timed), and the
weakest chosen candidate of each sentence, by which the filtered curves keep sentences."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xner.alignment.base import Aligner
from xner.corpus import align_nonempty, project_aligned
from xner.projection.base import build_projector
from xner.projection.confidence import weakest_choice
from xner.scaling.config import Log, SweepConfig, cache_root
from xner.types import Sentence, SentencePair


def kept_by_score(scores: Sequence[float], threshold: float, n: int | None = None) -> list[int]:
    """Indices (among the first ``n``) whose weakest chosen candidate scores at least ``threshold``."""
    return [k for k, score in enumerate(scores[:n]) if score >= threshold]


@dataclass
class Projected:
    sentences: list[Sentence]
    weakest: list[float]
    project_at: dict[int, float] = field(default_factory=dict)  # N -> cumulative projection seconds


@dataclass
class Projections:
    methods: dict[str, Projected]
    align_at: dict[int, float]  # N -> cumulative alignment seconds
    grid: tuple[int, ...]


def project_prefixes(config: SweepConfig, source: Sequence[Sentence], translations: Sequence[Sequence[str]],
                     aligner: Aligner, log: Log = print) -> Projections:
    """Align and project the corpus prefix by prefix, timing the cumulative cost at each N."""
    top = min(max(config.grid), len(source))
    grid = tuple(sorted({min(n, top) for n in config.grid}))
    from xner.label_sets import parse_label_set

    label_set = parse_label_set(config.labels)
    projectors = {m: build_projector(m, trim_stop_words=config.lang, derived_labels=config.derived_labels)
                  for m in config.methods}
    methods = {m: Projected([], []) for m in config.methods}
    align_total, align_at = 0.0, {}
    project_total = {m: 0.0 for m in config.methods}
    previous = 0
    for n in grid:
        pairs = [(source[k].words, tuple(translations[k])) for k in range(previous, n)]
        alignments, seconds = cached_alignments(pairs, aligner, config.cache)
        align_total += seconds
        align_at[n] = align_total
        chunk = [SentencePair(source[k].words, tuple(translations[k]), source[k].entities, alignment=alignment)
                 for k, alignment in zip(range(previous, n), alignments)]
        for method, projector in projectors.items():
            start = time.perf_counter()
            # the pairs added at this N: what they teach stays with them
            for pair, result in project_aligned(projector, chunk, label_set=label_set):
                methods[method].sentences.append(Sentence(pair.target_words, result.entities))
                methods[method].weakest.append(weakest_choice(result, len(pair.source_entities)))
            project_total[method] += time.perf_counter() - start
            methods[method].project_at[n] = project_total[method]
        log(f"aligned and projected {n} pairs ({align_total:.0f}s aligning)")
        previous = n
    return Projections(methods, align_at, grid)


def cached_alignments(pairs: Sequence[tuple[Sequence[str], Sequence[str]]], aligner: Aligner,
                      cache: Path | None = None) -> tuple[list, float]:
    """Alignments of ``pairs`` and the seconds they took, read back from
    ``CACHE/alignments`` when this aligner (same settings) aligned the same pairs before."""
    import hashlib

    from xner.io.talp import read_talp, write_talp

    root = cache_root(cache) / "alignments"
    digest = hashlib.sha256(repr(aligner).encode())
    for source, target in pairs:
        digest.update("\x1f".join(source).encode() + b"\x1d" + "\x1f".join(target).encode() + b"\x1e")
    path = root / f"{digest.hexdigest()[:24]}.talp"
    record = path.with_suffix(".json")
    if record.exists() and path.exists():
        alignments = read_talp(path)
        if len(alignments) == len(pairs):
            return alignments, float(json.loads(record.read_text())["seconds"])
    start = time.perf_counter()
    alignments = align_nonempty(pairs, aligner)
    seconds = time.perf_counter() - start
    root.mkdir(parents=True, exist_ok=True)
    write_talp(path, alignments)
    record.write_text(json.dumps({"aligner": repr(aligner), "pairs": len(pairs), "seconds": seconds}))
    return alignments, seconds
