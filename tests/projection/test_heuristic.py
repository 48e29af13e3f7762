import pytest
from hypothesis import given, settings

from tests.strategies import sentence_pairs
from xner.errors import ConfigError
from xner.projection.heuristic import HeuristicProjector
from xner.reasons import NotLongest, TooShort, describe
from xner.types import Alignment, Entity, SentencePair, spans_overlap


def pair(n_source, n_target, entities, links, target_words=None):
    return SentencePair(
        tuple(f"s{i}" for i in range(n_source)),
        tuple(target_words or (f"t{j}" for j in range(n_target))),
        tuple(entities), alignment=Alignment.of(links),
    )


def test_two_word_entity_aligned_to_one_word_is_dropped_at_08():
    p = pair(3, 3, [Entity(0, 2, "PER")], [(0, 0), (1, 0)])
    result = HeuristicProjector().project(p)
    assert result.entities == ()
    (candidate,) = result.candidates
    assert not candidate.chosen and candidate.reason == TooShort(0.5, 0.8)
    assert describe(candidate.reason) == "length ratio 0.50 <= 0.8"
    # with a permissive threshold the same range is kept
    assert HeuristicProjector(threshold=0.4).project(p).entities == (Entity(0, 1, "PER"),)


def test_one_word_gap_is_filled_at_distance_one_but_not_zero():
    p = pair(4, 5, [Entity(0, 3, "ORG")], [(0, 0), (1, 2), (2, 2)])
    assert HeuristicProjector().project(p).entities == (Entity(0, 3, "ORG"),)
    # d = 0: ranges [0,1) and [2,3) stay apart, each 1/3 long, both dropped
    assert HeuristicProjector(merge_distance=0).project(p).entities == ()


def test_ratio_threshold_is_strict():
    # 4-word entity onto 4 words passes; at threshold 1.0 even a full-length range fails (strict >)
    p = pair(4, 4, [Entity(0, 4, "MISC")], [(i, i) for i in range(4)])
    assert HeuristicProjector().project(p).entities == (Entity(0, 4, "MISC"),)
    assert HeuristicProjector(threshold=1.0).project(p).entities == ()


def test_top_k_keeps_the_longest_range():
    p = pair(2, 8, [Entity(0, 2, "LOC")], [(0, 0), (1, 1), (0, 4), (1, 7)])
    both = HeuristicProjector(threshold=0.4).project(p)
    assert both.entities == (Entity(0, 2, "LOC"), Entity(4, 5, "LOC"), Entity(7, 8, "LOC"))
    top = HeuristicProjector(threshold=0.4, top_k=1).project(p)
    assert top.entities == (Entity(0, 2, "LOC"),)
    assert NotLongest(1) in [c.reason for c in top.candidates]


def test_punctuation_only_target_words_can_be_dropped():
    p = pair(1, 3, [Entity(0, 1, "ORG")], [(0, 0), (0, 1)], target_words=["Siemens", ",", "und"])
    assert HeuristicProjector(threshold=0.5, trim_punctuation=False).project(p).entities == (Entity(0, 2, "ORG"),)
    assert HeuristicProjector(threshold=0.5, trim_punctuation=False, drop_punctuation=True).project(p).entities == (
        Entity(0, 1, "ORG"),)
    # trimming (the default) keeps the comma off the edge after the length filter
    assert HeuristicProjector(threshold=0.5).project(p).entities == (Entity(0, 1, "ORG"),)


def test_collision_policies():
    # entity 0 (one word) and entity 1 (two words) both reach target words 1..2
    p = pair(4, 4, [Entity(0, 1, "PER"), Entity(2, 4, "ORG")], [(0, 1), (2, 1), (3, 2)])
    assert HeuristicProjector().project(p).entities == (Entity(1, 2, "PER"),)
    assert HeuristicProjector(collision="longer").project(p).entities == (Entity(1, 3, "ORG"),)


@pytest.mark.parametrize("params", [{"merge_distance": -1}, {"top_k": 0}, {"collision": "random"}, {"threshold": -0.1}])
def test_bad_parameters_are_rejected(params):
    with pytest.raises(ConfigError):
        HeuristicProjector(**params)


@settings(max_examples=300)
@given(sentence_pairs())
def test_projection_properties(p):
    projector = HeuristicProjector(threshold=0.5, top_k=None, trim_punctuation=False)
    result = projector.project(p)
    trimmed = HeuristicProjector(threshold=0.5).project(p)
    assert all(p.target_words[e.start] != "," != p.target_words[e.end - 1] for e in trimmed.entities)
    n = len(p.target_words)
    assert all(0 <= e.start < e.end <= n for e in result.entities)
    assert not spans_overlap(result.entities)
    source_labels = {e.label for e in p.source_entities}
    assert {e.label for e in result.entities} <= source_labels
    chosen = [c for c in result.candidates if c.chosen]
    assert len(chosen) == len(result.entities)
    # every projected span starts and ends on a target word aligned to its entity
    for c in chosen:
        entity = p.source_entities[c.entity_index]
        targets = p.alignment.targets_of(entity.span.indices())
        assert c.span.start in targets and c.span.end - 1 in targets
    assert projector.project(p.with_alignment(Alignment())).entities == ()
