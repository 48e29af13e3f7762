"""Whole-file operations behind the CLI and the app: align two files, project a corpus.

Each function takes paths and settings, validates the inputs with messages that name
the file, and returns or writes plain project values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import overload

from xner.alignment.base import Aligner
from xner.errors import MismatchError, XnerError, count_mismatch, no_sentences
from xner.io.conll import read_conll, write_conll
from xner.io.files import check_output_file
from xner.io.jsonl import write_jsonl
from xner.io.parallel import read_sentences
from xner.io.talp import read_talp, write_talp
from xner.label_sets import LabelSet, parse_label_set
from xner.projection.base import CorpusProjection, CorpusProjector, Projector, prepare
from xner.text import matching_form, pair_in_matching_form
from xner.types import Alignment, Entity, ProjectionResult, SentencePair, Words

Log = Callable[[str], None]


def _nonempty(sentences: list, path: str | Path) -> list:
    """The sentences read from ``path``; a file without any is an error naming it."""
    if not sentences:
        raise no_sentences(path)
    return sentences


def read_parallel(source: str | Path, target: str | Path, tokenize: str = "no",
                  log: Log | None = None) -> tuple[list[Words], list[Words]]:
    """Words of two parallel files (text or CoNLL), checked to have as many sentences;
    ``tokenize`` applies to each text file (:func:`xner.io.parallel.read_text`)."""
    src = _nonempty(read_sentences(source, tokenize=tokenize, log=log), source)
    tgt = _nonempty(read_sentences(target, tokenize=tokenize, log=log), target)
    if len(src) != len(tgt):
        raise count_mismatch("parallel files", (str(source), len(src)), (str(target), len(tgt)))
    return src, tgt


def align_files(source: str | Path, target: str | Path, aligner: Aligner, output: str | Path,
                tokenize: str = "no", log: Log | None = None) -> list[Alignment]:
    """Align two parallel files and write the links; a pair with an empty side gets no links.
    Words are aligned in their matching form (:func:`xner.text.matching_form`)."""
    check_output_file(output, (source, target))
    src, tgt = read_parallel(source, target, tokenize, log)
    alignments = align_nonempty([(matching_form(s), matching_form(t)) for s, t in zip(src, tgt)], aligner)
    write_talp(output, alignments)
    return alignments


def align_nonempty(pairs: Sequence[tuple[Words, Words]], aligner: Aligner,
                   failures: dict[int, str] | None = None) -> list[Alignment]:
    """Alignments of ``pairs`` in one batch; a pair with an empty side (nothing to link) is
    not handed to the aligner and gets no links. A link outside its pair (an aligner's bug,
    which would shift a projected entity silently) is an error naming the pair, or, given
    ``failures``, that pair's entry there (pair index → why) and no links for it."""
    usable = [k for k, (s, t) in enumerate(pairs) if s and t]
    alignments = [Alignment.of(())] * len(pairs)
    for k, alignment in zip(usable, aligner.align([pairs[k] for k in usable]) if usable else []):
        try:
            alignment.check_bounds(len(pairs[k][0]), len(pairs[k][1]))
        except ValueError as error:
            message = (f"the aligner {aligner.name!r} gave sentence pair {k + 1} a wrong link: {error}; "
                       "please report this")
            if failures is None:
                raise XnerError(message) from None
            failures[k] = message
            continue
        alignments[k] = alignment
    return alignments


def load_pairs(
    source_conll: str | Path, target: str | Path, alignments: str | Path | None = None, tokenize: str = "no",
    log: Log | None = None,
) -> list[SentencePair]:
    """Sentence pairs from a labelled source CoNLL file, a target file (``tokenize``: how a
    text file is read, :func:`xner.io.parallel.read_text`) and optional links."""
    source = _nonempty(read_conll(source_conll), source_conll)
    target_words = _nonempty(read_sentences(target, tokenize=tokenize, log=log), target)
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


def align_pairs(pairs: Sequence[SentencePair], aligner: Aligner | None,
                failures: dict[int, str] | None = None) -> list[SentencePair]:
    """``pairs`` in their matching form (:func:`xner.text.matching_form`), those without an
    alignment aligned, all at once (:func:`align_nonempty`: links checked to lie inside
    their pair; ``failures`` as there)."""
    compared = [pair_in_matching_form(p) for p in pairs]
    missing = [k for k, p in enumerate(compared) if p.alignment is None]
    if missing:
        if aligner is None:
            raise XnerError("some sentence pairs have no alignment: give an aligner or an alignment file")
        wrong: dict[int, str] | None = None if failures is None else {}
        computed = align_nonempty([(compared[k].source_words, compared[k].target_words) for k in missing], aligner,
                                  wrong)
        for k, alignment in zip(missing, computed):
            compared[k] = compared[k].with_alignment(alignment)
        if failures is not None and wrong:
            failures.update((missing[m], why) for m, why in wrong.items())
    return compared


class Projections(Sequence[tuple[SentencePair, ProjectionResult]]):
    """The projection of aligned pairs: ``self[k]`` is pair ``k`` (with the words it came
    with) and its :class:`ProjectionResult` in the target's labels, computed when first read
    (an error in one pair is raised where it is read, never for the others);
    ``entities(k)`` is only its entities, which a projector with a corpus path
    (:class:`~xner.projection.base.CorpusProjector`, the heuristic) computes for the whole
    corpus at once, on arrays, when this is made, without building any pair's candidates."""

    def __init__(self, projector: Projector, compared: Sequence[SentencePair],
                 originals: Sequence[SentencePair] | None = None, label_set: LabelSet | str | None = None) -> None:
        self.projector, self.compared = projector, compared
        self.originals = compared if originals is None else originals
        self.label_set = parse_label_set(label_set)
        self._results: dict[int, tuple[SentencePair, ProjectionResult]] = {}
        # the corpus path's result (None: pair by pair); an error there stays with its pair, read one by one
        self._corpus: CorpusProjection | None = None
        if isinstance(projector, CorpusProjector):
            try:
                self._corpus = projector.project_corpus(compared)
            except Exception:  # noqa: BLE001 - each pair raises its own error when read
                self._corpus = None

    def __len__(self) -> int:
        return len(self.compared)

    def __iter__(self):
        return (self[k] for k in range(len(self)))

    @overload
    def __getitem__(self, k: int) -> tuple[SentencePair, ProjectionResult]: ...

    @overload
    def __getitem__(self, k: slice) -> list[tuple[SentencePair, ProjectionResult]]: ...

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(len(self))[k]]
        if k < 0:
            k += len(self)
        if k not in self._results:
            self._results[k] = project_one(self.projector, self.originals[k], self.compared[k], self.label_set)
        return self._results[k]

    def entities(self, k: int) -> tuple[Entity, ...]:
        """``self[k][1].entities``, from the corpus path where the projector has one."""
        if self._corpus is None or k in self._results:
            return self[k][1].entities
        entities = self._corpus.entities(k)
        return entities if self.label_set is None else self.label_set.entities(entities)


def project_aligned(projector: Projector, compared: Sequence[SentencePair],
                    originals: Sequence[SentencePair] | None = None,
                    label_set: LabelSet | str | None = None) -> Projections:
    """Project aligned pairs in matching form (``compared``; ``originals``: the same pairs
    with the words they came with), in the target's labels when ``label_set`` names them:
    the projector is shown the corpus first (:func:`~xner.projection.base.prepare`)."""
    prepare(projector, compared)
    return Projections(projector, compared, originals, label_set)


def project_pairs(
    pairs: Sequence[SentencePair], projector: Projector, aligner: Aligner | None = None,
    label_set: LabelSet | str | None = None, failures: dict[int, str] | None = None,
) -> Projections:
    """The one align-and-project path: align the pairs that have no alignment yet (all at
    once, links checked, :func:`align_pairs`), then project them (:func:`project_aligned`),
    in the target's labels when ``label_set`` names them. Words are aligned and matched in
    their matching form (:func:`xner.text.matching_form`); the pairs returned keep the
    input's words. ``failures``: as for :func:`align_nonempty` (a pair whose links failed
    is projected without links)."""
    return project_aligned(projector, align_pairs(pairs, aligner, failures), pairs, label_set)


def project_one(projector: Projector, original: SentencePair, compared: SentencePair,
                label_set: LabelSet | str | None = None) -> tuple[SentencePair, ProjectionResult]:
    """Project ``compared`` (``original`` in matching form, aligned) in the labels of
    ``label_set``: every source entity is projected, then the projected labels are mapped
    (:meth:`~xner.label_sets.LabelSet.projection`). Returns the pair with ``original``'s words
    and the projection."""
    label_set = parse_label_set(label_set)
    projection = projector.project(compared)
    if label_set is not None:
        projection = label_set.projection(projection)
    if compared.source_words != original.source_words or compared.target_words != original.target_words:
        compared = replace(compared, source_words=original.source_words, target_words=original.target_words)
    return compared, projection


def write_projections(
    output: str | Path, results: Sequence[tuple[SentencePair, ProjectionResult]], fmt: str = "conll"
) -> list[int]:
    """Write the projected target sentences; returns the (0-based) indices of those left out.

    CoNLL cannot hold a sentence without words, so an empty target sentence is left out of
    CoNLL output (JSONL keeps every sentence in place).
    """
    if fmt == "conll":
        if isinstance(results, Projections):  # the entities alone: no pair's candidates are built
            targets = [p.target_words for p in results.originals]
            write_conll(output, ((words, results.entities(k)) for k, words in enumerate(targets) if words))
            return [k for k, words in enumerate(targets) if not words]
        write_conll(output, ((pair.target_words, result.entities) for pair, result in results if pair.target_words))
        return [k for k, (pair, _) in enumerate(results) if not pair.target_words]
    if fmt == "jsonl":
        write_jsonl(output, results)
        return []
    raise XnerError(f"unknown output format {fmt!r}: use conll or jsonl")
