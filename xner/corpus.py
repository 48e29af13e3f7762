"""Whole-file operations behind the CLI and the app: align two files, project a corpus.

Each function takes paths and settings, validates the inputs with messages that name
the file, and returns or writes plain project values.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xner.alignment.base import Aligner
from xner.errors import MismatchError, XnerError, count_mismatch
from xner.io.conll import read_conll, write_conll
from xner.io.jsonl import write_jsonl
from xner.io.parallel import read_sentences
from xner.io.talp import read_talp, write_talp
from xner.projection.base import Projector
from xner.types import Alignment, ProjectionResult, SentencePair, Words


def read_parallel(source: str | Path, target: str | Path) -> tuple[list[Words], list[Words]]:
    """Words of two parallel files (text or CoNLL), checked to have as many sentences."""
    src, tgt = read_sentences(source), read_sentences(target)
    if len(src) != len(tgt):
        raise count_mismatch("parallel files", (str(source), len(src)), (str(target), len(tgt)))
    return src, tgt


def align_files(source: str | Path, target: str | Path, aligner: Aligner, output: str | Path) -> list[Alignment]:
    src, tgt = read_parallel(source, target)
    alignments = aligner.align(list(zip(src, tgt)))
    write_talp(output, alignments)
    return alignments


def load_pairs(
    source_conll: str | Path, target: str | Path, alignments: str | Path | None = None
) -> list[SentencePair]:
    """Sentence pairs from a labelled source CoNLL file, a target file and optional links."""
    source = read_conll(source_conll)
    target_words = read_sentences(target)
    if len(source) != len(target_words):
        raise count_mismatch("source and target", (str(source_conll), len(source)), (str(target), len(target_words)))
    links: Sequence[Alignment | None] = [None] * len(source)
    if alignments is not None:
        links = read_talp(alignments)
        if len(links) != len(source):
            raise count_mismatch("source and alignments", (str(source_conll), len(source)), (str(alignments), len(links)))
        for number, (s, t, a) in enumerate(zip(source, target_words, links), start=1):
            try:
                a.check_bounds(len(s.words), len(t))
            except ValueError as error:
                raise MismatchError(f"{alignments}, line {number}: {error}") from None
    return [
        SentencePair(s.words, t, s.entities, alignment=a, id=str(k))
        for k, (s, t, a) in enumerate(zip(source, target_words, links))
    ]


def project_pairs(
    pairs: Sequence[SentencePair], projector: Projector, aligner: Aligner | None = None
) -> list[tuple[SentencePair, ProjectionResult]]:
    """Align the pairs that have no alignment yet (all at once), then project each."""
    missing = [k for k, p in enumerate(pairs) if p.alignment is None]
    pairs = list(pairs)
    if missing:
        if aligner is None:
            raise XnerError("some sentence pairs have no alignment: give an aligner or an alignment file")
        computed = aligner.align([(pairs[k].source_words, pairs[k].target_words) for k in missing])
        for k, alignment in zip(missing, computed):
            pairs[k] = pairs[k].with_alignment(alignment)
    return [(pair, projector.project(pair)) for pair in pairs]


def write_projections(
    output: str | Path, results: Sequence[tuple[SentencePair, ProjectionResult]], fmt: str = "conll"
) -> None:
    if fmt == "conll":
        write_conll(output, ((pair.target_words, result.entities) for pair, result in results))
    elif fmt == "jsonl":
        write_jsonl(output, results)
    else:
        raise XnerError(f"unknown output format {fmt!r}: use conll or jsonl")
