"""The review rules (xner.review.rules): what comes next, what a decision means."""

import pytest

from xner.errors import XnerError
from xner.projection.base import build_projector
from xner.review.rules import (ACTIONS, KEPT, REVIEWED, STATUS_WORDS, keep_action, next_open, settles_draft,
                               stale_message, starting_entities, with_candidate)
from xner.types import Alignment, Entity, SentencePair


def test_the_next_item_is_the_first_fresh_one_after_the_current_then_the_skipped_ones():
    rows = [(10, 0, "accept"), (11, 1, "skip"), (12, 2, None), (13, 3, "reject"), (14, 4, None)]
    assert next_open(rows, None) == 12
    assert next_open(rows, 2) == 14
    assert next_open(rows, 4) == 12  # wrapping round
    assert next_open([(10, 0, "accept"), (11, 1, "skip")], 1) == 11  # only skipped ones left
    assert next_open([(10, 0, "accept"), (11, 1, "edit")], 0) is None
    assert next_open([(10, 0, None)], 7) == 10  # from a position the rows do not show


def test_what_each_decision_means():
    assert set(REVIEWED) < set(ACTIONS) and "skip" not in REVIEWED
    assert set(KEPT) < set(REVIEWED) and "reject" not in KEPT
    assert set(STATUS_WORDS) == set(ACTIONS)
    projected = (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))
    assert keep_action(projected, list(reversed(projected))) == "accept"
    assert keep_action(projected, [Entity(0, 2, "PER")]) == "edit"
    assert keep_action((), ()) == "accept"


def test_an_editor_starts_from_the_kept_entities_else_the_projection():
    pair = SentencePair(("Angela", "Merkel"), ("Angela", "Merkel"), (Entity(0, 2, "PER"),),
                        alignment=Alignment.of([(0, 0), (1, 1)]))
    projection = build_projector("ngram").project(pair)
    saved = (Entity(0, 1, "PER"),)
    assert starting_entities("edit", saved, projection) == saved
    assert starting_entities("accept", saved, projection) == saved
    for status in ("reject", "skip", None):
        assert starting_entities(status, saved, projection) == projection.entities
    assert starting_entities(None, None, None) == ()


def test_a_decision_settles_the_draft_it_kept_and_no_other():
    draft = [[0, 1, "PER"]]
    assert settles_draft("edit", [[0, 1, "PER"]], draft) and settles_draft("accept", [[0, 1, "PER"]], draft)
    assert not settles_draft("edit", [[0, 2, "PER"]], draft)
    assert not settles_draft("reject", [], [])
    assert not settles_draft("skip", [[0, 1, "PER"]], draft)


def test_a_late_decision_says_what_the_item_is_now():
    assert "it is now corrected" in stale_message(3, "ana", "edit")
    assert "its decision was undone" in stale_message(3, "ana", None)
    assert stale_message(3, "ana", "edit").startswith("item 3 changed since it was shown")


def test_picking_a_candidate_replaces_the_projection_of_that_entity():
    pair = SentencePair(("in", "the", "Netherlands"), ("in", "den", "Niederlanden"), (Entity(1, 3, "LOC"),),
                        alignment=Alignment.of([(1, 1), (2, 2)]))
    projection = build_projector("ngram").project(pair)
    ranked = projection.candidates_for(0)
    assert ranked[0].span.start == 1  # "den Niederlanden" scores best
    second = with_candidate(projection, 0, 2, "LOC", projection.entities)
    assert second == (Entity(ranked[1].span.start, ranked[1].span.end, "LOC"),)
    with pytest.raises(XnerError, match="candidate 9 does not exist"):
        with_candidate(projection, 0, 9, "LOC", projection.entities)


def test_picking_the_projected_candidate_keeps_its_derived_label():
    pair = SentencePair(("ports", "in", "Finland"), ("finnische", "Häfen"), (Entity(2, 3, "LOC"),),
                        alignment=Alignment.of([(0, 1), (2, 0)]))
    projection = build_projector("ngram", window=False).project(pair)  # every n-gram is a candidate
    assert projection.entities == (Entity(0, 1, "MISC"),)
    rank = next(r for r, c in enumerate(projection.candidates_for(0), 1) if c.chosen)
    assert with_candidate(projection, 0, rank, "LOC", ()) == (Entity(0, 1, "MISC"),)
    other = next(r for r, c in enumerate(projection.candidates_for(0), 1) if not c.chosen)
    assert {e.label for e in with_candidate(projection, 0, other, "LOC", projection.entities)} == {"LOC"}
