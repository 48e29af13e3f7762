"""The one align-and-project path (xner.corpus): batched, links checked, the heuristic's
corpus path behind it."""

import pytest

from xner.corpus import Projections, project_pairs, write_projections
from xner.engine.local import ShardWorker
from xner.errors import XnerError
from xner.io.conll import read_conll
from xner.projection.base import build_projector
from xner.projection.heuristic import HeuristicProjector
from xner.types import Alignment, Entity, SentencePair

PAIRS = [SentencePair(("Angela", "Merkel", "came"), ("Angela", "Merkel", "kam"), (Entity(0, 2, "PER"),), id="0"),
         SentencePair(("in", "Paris"), ("in", "Paris"), (Entity(1, 2, "LOC"),), id="1"),
         SentencePair(("Ms", "Merkel", "saw", "Lyon"), ("Merkel", "sah", "Lyon"),
                      (Entity(1, 2, "PER"), Entity(3, 4, "LOC")), id="2")]


class Diagonal:
    """Links word i to word i; once, the second pair gets a link outside it (an aligner's bug)."""

    name = "diagonal"

    def __init__(self, wrong: bool = False) -> None:
        self.wrong, self.calls = wrong, 0

    def align(self, pairs):
        self.calls += 1
        out = [Alignment.of((i, i) for i in range(min(len(s), len(t)))) for s, t in pairs]
        if self.wrong:
            out[1] = Alignment.of([(0, 0), (1, 7)])
        return out


def test_pairs_are_aligned_in_one_batch_and_projected_as_one_by_one():
    aligner = Diagonal()
    results = project_pairs(PAIRS, build_projector("ngram"), aligner)
    assert aligner.calls == 1 and isinstance(results, Projections) and len(results) == 3
    for (pair, result), given in zip(results, PAIRS):
        assert pair.source_words == given.source_words
        assert result == build_projector("ngram").project(pair)
        assert results.entities(int(pair.id)) == result.entities


def test_a_link_outside_its_pair_is_an_error_or_that_pair_alone_fails():
    with pytest.raises(XnerError, match="the aligner 'diagonal' gave sentence pair 2 a wrong link: link 1-7"):
        project_pairs(PAIRS, build_projector("heuristic"), Diagonal(wrong=True))
    failures: dict[int, str] = {}
    results = project_pairs(PAIRS, build_projector("heuristic"), Diagonal(wrong=True), failures=failures)
    assert list(failures) == [1] and results[1][1].entities == () and results[0][1].entities


def test_xner_batch_checks_the_links_too():
    """The engine skipped the bounds check: a wrong link would shift an entity silently."""
    worker = ShardWorker.__new__(ShardWorker)
    worker.aligner, worker.projector, worker.tagger, worker.label_set = Diagonal(wrong=True), \
        build_projector("heuristic"), None, None
    lines, errors = worker.process(list(enumerate(PAIRS)))
    assert len(lines) == 2 and len(errors) == 1 and '"index": 1' in errors[0] and "wrong link" in errors[0]


def test_conll_output_of_the_heuristic_takes_the_corpus_path(tmp_path, monkeypatch):
    """Writing CoNLL reads each pair's entities from the corpus path: no pair is projected
    one by one, and the file is what projecting one by one writes."""
    aligned = [p.with_alignment(a) for p, a in zip(PAIRS, Diagonal().align([(p.source_words, p.target_words)
                                                                              for p in PAIRS]))]
    one_by_one = [(p, HeuristicProjector().project(p)) for p in aligned]
    write_projections(tmp_path / "pairwise.conll", one_by_one, "conll")

    def refuse(self, pair):
        raise AssertionError("projected pair by pair")

    monkeypatch.setattr(HeuristicProjector, "project", refuse)
    results = project_pairs(aligned, HeuristicProjector(), label_set="PER,ORG,LOC")
    write_projections(tmp_path / "corpus.conll", results, "conll")
    assert (tmp_path / "corpus.conll").read_bytes() == (tmp_path / "pairwise.conll").read_bytes()
    assert [s.entities for s in read_conll(tmp_path / "corpus.conll")] == [(Entity(0, 2, "PER"),), (Entity(1, 2, "LOC"),),
                                                                            (Entity(1, 2, "PER"),)]
