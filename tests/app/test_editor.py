"""The projection editor's input and returned value, without a browser."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xner.app.editor import editor_input, link_sources, read_value
from xner.projection import build_projector
from xner.reasons import Chosen, Given
from xner.types import Alignment, Candidate, Entity, ProjectionResult, SentencePair, Span

MERKEL = SentencePair(("Angela", "Merkel", "visited", "the", "Netherlands"),
                      ("Angela", "Merkel", "besuchte", "die", "Niederlande"),
                      (Entity(0, 2, "PER"), Entity(4, 5, "LOC")),
                      alignment=Alignment.of([(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]), id="m1")


def test_input_carries_words_links_entities_and_candidates_of_a_real_projection():
    result = build_projector("ngram", name_weight=0).project(MERKEL)  # the alignment score alone: a 0-1 badge
    data = editor_input(MERKEL, result)
    json.dumps(data)  # what the component receives must be JSON
    assert data["item"] == "m1" and data["revision"] == 0
    assert data["source_words"] == list(MERKEL.source_words)
    assert data["target_words"] == list(MERKEL.target_words)
    assert data["links"] == [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]
    assert data["source_entities"] == [{"start": 0, "end": 2, "label": "PER", "text": "Angela Merkel"},
                                       {"start": 4, "end": 5, "label": "LOC", "text": "Netherlands"}]
    # each target span is linked to the source entity it was projected from, with its score
    assert [row[:4] for row in data["target_entities"]] == [[0, 2, "PER", 0], [4, 5, "LOC", 1]]
    assert all(row[4] == pytest.approx(1.0) for row in data["target_entities"])
    for i in range(2):
        expected = result.candidates_for(i)
        rows = data["candidates"][i]
        assert [(r["start"], r["end"]) for r in rows] == [(c.span.start, c.span.end) for c in expected][:9]
        assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
        assert sum(r["chosen"] for r in rows) == 1
    assert data["candidates"][0][0]["text"] == "Angela Merkel"


def test_a_trimmed_span_still_belongs_to_the_entity_whose_candidate_it_came_from():
    # the chosen candidate [3, 5) was trimmed to [4, 5); the alignment alone points elsewhere
    pair = SentencePair(("in", "Germany", "and", "Paris"), ("x", "y", "z", "der", "Deutschland"),
                        (Entity(1, 2, "LOC"), Entity(3, 4, "LOC")), alignment=Alignment.of([(3, 4)]))
    result = ProjectionResult((Entity(4, 5, "LOC"),),
                              (Candidate(0, Span(3, 5), "ngram", {}, 0.8, True, Chosen()),
                               Candidate(1, Span(4, 5), "ngram", {}, 0.5, False, Given("overlaps a chosen span"))))
    assert link_sources(pair, result, result.entities) == [0]
    data = editor_input(pair, result)
    assert data["target_entities"] == [[4, 5, "LOC", 0, 0.8, ""]]
    assert data["candidates"][1] == [{"start": 4, "end": 5, "label": "LOC", "score": 0.5, "total": 0.5, "detail": "",
                                      "chosen": False, "reason": "overlaps a chosen span", "origin": "ngram",
                                      "text": "Deutschland"}]


def test_a_fused_score_is_shown_as_a_0_to_1_score_with_its_parts():
    """A fused total (0.5 alignment + 0.5 NER + 1 translation) runs up to 2: the editor shows
    it divided by the weights' sum, and the total with its parts on hover."""
    published = {"alignment": 0.5, "ner": 0.5, "translation": 1.0}
    parts = [(0.84, 0.4, 0.45), (0.5, 0.9, 0.2), (1.0, 0.0, 0.1), (0.3, 0.3, 0.9)]
    candidates = tuple(Candidate(k // 2, Span(k, k + 1) if k < 2 else Span(k + 1, k + 2), "ngram",
                                 dict(zip(published, p)), sum(w * v for w, v in zip(published.values(), p)),
                                 chosen=k in (0, 2))
                       for k, p in enumerate(parts))
    result = ProjectionResult((Entity(0, 1, "PER"), Entity(3, 4, "LOC")), candidates, "fused")
    assert candidates[0].total == pytest.approx(1.07)
    for weights in (published, None):  # given, or read back from the candidates (the review page)
        data = editor_input(MERKEL, result, weights=weights)
        badge = data["target_entities"][0]
        assert badge[4] == pytest.approx(0.535) and 0 <= data["target_entities"][1][4] <= 1
        assert badge[5] == ("fused score 1.07 = 0.5 × alignment 0.84 + 0.5 × ner 0.40 + 1 × translation 0.45, "
                            "shown ÷ 2 (the sum of the weights of the scores above 0)")
        first = data["candidates"][0][0]
        assert (first["score"], first["total"], first["detail"]) == (badge[4], 1.07, badge[5])
        assert all(0 <= row["score"] <= 1 for rows in data["candidates"] for row in rows)
    # a longer name's NER bonus can take the weighted mean past 1 (the live page's 1.07 for
    # "Angela Merkel" with 0.5 alignment + 0.5 NER): shown as 1, the total on hover
    merkel = Candidate(0, Span(0, 2), "ngram", {"alignment": 1.0, "ner": 1.15}, 1.075, True)
    data = editor_input(MERKEL, ProjectionResult((Entity(0, 2, "PER"),), (merkel,)),
                        weights={"alignment": 0.5, "ner": 0.5})
    assert data["target_entities"][0][4] == 1.0 and data["candidates"][0][0]["total"] == 1.075
    assert data["target_entities"][0][5].startswith("fused score 1.07 = 0.5 × alignment 1.00 + 0.5 × ner 1.15, "
                                                    "shown as 1.00 (the NER score's bonus for a longer name")
    # one score, weight 1 (ngram without the name score, heuristic): shown as it is
    ngram = build_projector("ngram", name_weight=0).project(MERKEL)
    for weights in ({"alignment": 1.0}, None):
        rows = editor_input(MERKEL, ngram, weights=weights)["candidates"][0]
        assert all(row["score"] == row["total"] for row in rows)
    # ngram with the name score: a name both aligned and spelt alike reads 1, not 2
    named = build_projector("ngram").project(MERKEL)
    for weights in ({"alignment": 1.0, "name": 1.0}, None):
        badges = editor_input(MERKEL, named, weights=weights)["target_entities"]
        assert [badge[4] for badge in badges] == [1.0, 1.0], badges


def test_without_candidates_the_alignment_decides_and_each_source_entity_is_used_once():
    pair = SentencePair(("A", "B", "c", "D"), ("a", "b", "d", "e"),
                        (Entity(0, 2, "PER"), Entity(3, 4, "LOC")),
                        alignment=Alignment.of([(0, 0), (1, 0), (3, 2), (3, 3)]))
    entities = [Entity(0, 1, "PER"), Entity(2, 3, "LOC"), Entity(3, 4, "LOC")]
    # [0,1) has two links from PER; [2,3) and [3,4) one each from LOC, the first one wins it
    assert link_sources(pair, None, entities) == [0, 1, None]
    assert link_sources(pair.with_alignment(Alignment()), None, entities) == [None, None, None]


def test_given_entities_replace_the_projection_and_unknown_labels_join_the_label_set():
    data = editor_input(MERKEL, build_projector("ngram").project(MERKEL),
                        entities=[Entity(2, 3, "EVENT")], item="x", revision=3)
    assert data["item"] == "x" and data["revision"] == 3
    assert data["labels"] == ["PER", "LOC", "ORG", "MISC", "EVENT"]
    assert data["target_entities"] == [[2, 3, "EVENT", None, None, ""]]
    with pytest.raises(ValueError, match="outside the 5-word target"):
        editor_input(MERKEL, None, entities=[Entity(4, 6, "LOC")])


def test_a_pair_without_id_is_keyed_by_its_words():
    pair = SentencePair(("a",), ("b",))
    other = SentencePair(("a",), ("c",))
    assert editor_input(pair)["item"] != editor_input(other)["item"]


def test_read_value_takes_the_edits_for_this_item_and_revision_only():
    data = editor_input(MERKEL, build_projector("ngram").project(MERKEL), revision=2)
    edited = {"item": "m1", "revision": 2, "entities": [[4, 5, "ORG"], [0, 1, "PER"]], "sources": [1, None],
              "edits": 2, "action": "label"}
    value = read_value(edited, data)
    assert value.entities == (Entity(0, 1, "PER"), Entity(4, 5, "ORG"))  # sorted, sources follow
    assert value.sources == (None, 1)
    assert (value.edits, value.action, value.changed) == (2, "label", True)

    untouched = read_value(None, data)
    assert untouched.entities == (Entity(0, 2, "PER"), Entity(4, 5, "LOC"))
    assert (untouched.sources, untouched.edits, untouched.changed) == ((0, 1), 0, False)
    assert read_value({**edited, "item": "other"}, data) == untouched
    assert read_value({**edited, "revision": 1}, data) == untouched
    # a visit (render_editor counts them) is one stay on the item: coming back starts afresh
    assert read_value({**edited, "visit": 3}, {**data, "visit": 3}) == value
    assert read_value({**edited, "visit": 3}, {**data, "visit": 4}) == untouched
    assert read_value(edited, {**data, "visit": 0}) == untouched


@pytest.mark.parametrize("entities, sources, message", [
    ([[0, 2, "PER"], [1, 3, "LOC"]], [None, None], "overlapping"),
    ([[4, 6, "LOC"]], [None], "outside"),
    ([[0, 1, "PER"]], [5], "does not exist"),
    ([[0, 1, "PER"]], [None, None], "source links"),
    ([[1, 1, "PER"]], [None], "start < end"),
])
def test_read_value_refuses_what_no_edit_can_produce(entities, sources, message):
    data = editor_input(MERKEL)
    with pytest.raises(ValueError, match=message):
        read_value({"item": "m1", "revision": 0, "entities": entities, "sources": sources, "edits": 1}, data)


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(1, 3)), max_size=4))
def test_every_target_entity_is_linked_at_most_once_and_only_to_an_entity_aligned_to_it(spans):
    pair = SentencePair(tuple("abcdefgh"), tuple("ABCDEFGH"), (Entity(0, 2, "PER"), Entity(3, 5, "LOC"), Entity(6, 8, "ORG")),
                        alignment=Alignment.of([(i, 7 - i) for i in range(8)]))
    entities, end = [], 0
    for start, length in sorted(spans):
        if start >= end and start + length <= 8:
            entities.append(Entity(start, start + length, "LOC"))
            end = start + length
    sources = link_sources(pair, None, entities)
    linked = [s for s in sources if s is not None]
    assert len(linked) == len(set(linked))
    for entity, source in zip(entities, sources):
        aligned = pair.alignment.targets_of(pair.source_entities[source].span.indices()) if source is not None else set()
        assert source is None or aligned & set(entity.span.indices())
