"""What the live and teaching pages show: reasons in words, the candidate filter, the
editor's item key and the similarity heatmap."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from xner.app.display import candidate_rows, editor_item, entity_choices, reason_in_words, similarity_chart
from xner.projection.base import build_projector
from xner.reasons import AlreadyMatched, Given, describe
from xner.types import Alignment, Candidate, Entity, SentencePair, Span

ROOT = Path(__file__).resolve().parents[2]
INDEX_PAIR = re.compile(r"\[\d+, \d+\)|source entity \d")

# "Berlin" is also linked to "Merkel": its candidates overlap the one chosen for "Angela Merkel"
PAIR = SentencePair(("Angela", "Merkel", "visited", "Berlin"), ("Merkel", "besuchte", "Berlin"),
                    (Entity(0, 2, "PER"), Entity(3, 4, "LOC")),
                    alignment=Alignment.of([(0, 0), (1, 0), (2, 1), (3, 2), (3, 0)]))


def why(rows, candidate):
    return [row["why"] for row in rows if row["candidate"] == candidate]


def test_ngram_reasons_name_the_words_and_the_score():
    rows = candidate_rows(PAIR, build_projector("ngram", name_weight=0).project(PAIR))  # alignment scores alone
    assert why(rows, "Merkel besuchte") == ["'Berlin' already took this entity, score 1.00"]
    assert why(rows, "Merkel")[1] == "overlaps 'Merkel', already chosen for 'Angela Merkel' (PER)"
    assert not [row["why"] for row in rows if INDEX_PAIR.search(row["why"])]


def test_candidate_words_are_numbered_as_the_editor_numbers_them():
    """First–last word, as the editor's "selected 5–6" (not a half-open "[5, 7)")."""
    rows = candidate_rows(PAIR, build_projector("ngram").project(PAIR))
    row = next(r for r in rows if r["candidate"] == "Merkel besuchte")
    start = PAIR.target_words.index("Merkel")
    assert row["words"] == f"{start}–{start + 1}" and "span" not in row


def test_heuristic_reasons_are_in_words_too():
    rows = candidate_rows(PAIR, build_projector("heuristic").project(PAIR))
    assert why(rows, "Merkel") == ["too short: 0.50 × the entity's length, needs more than 0.8"]
    clash = SentencePair(("Paris", "and", "Lyon"), ("Paris-Lyon",), (Entity(0, 1, "LOC"), Entity(2, 3, "LOC")),
                         alignment=Alignment.of([(0, 0), (2, 0)]))
    rows = candidate_rows(clash, build_projector("heuristic").project(clash))
    assert "overlaps 'Paris-Lyon', already projected from 'Paris' (LOC)" in [row["why"] for row in rows]


def test_a_reason_not_known_or_naming_missing_words_is_shown_as_given():
    odd = Candidate(1, Span(0, 1), "ngram", {}, 0.5, False, AlreadyMatched(7, 9, 1.0))
    assert reason_in_words(PAIR, odd) == "entity already matched to [7, 9) with 1.000"
    new = Candidate(1, Span(0, 1), "ngram", {}, 0.5, False, Given("something new"))
    assert reason_in_words(PAIR, new) == "something new"


def test_reasons_read_back_from_jsonl_are_values_and_shown_in_words(tmp_path):
    """The review page shows stored records: their reasons come back as values, no prose parsed."""
    from xner.io.jsonl import read_jsonl, write_jsonl

    result = build_projector("ngram", name_weight=0).project(PAIR)
    write_jsonl(tmp_path / "r.jsonl", [(PAIR, result)])
    ((pair, back),) = read_jsonl(tmp_path / "r.jsonl")
    assert [c.reason for c in back.candidates] == [c.reason for c in result.candidates]
    assert candidate_rows(pair, back) == candidate_rows(PAIR, result)
    line = json.loads((tmp_path / "r.jsonl").read_text())
    old = json.dumps({**line, "projection": {**line["projection"], "candidates": [
        {k: v for k, v in c.items() if k != "why"} for c in line["projection"]["candidates"]]}})
    (tmp_path / "old.jsonl").write_text(old + "\n")  # written before reasons were values: shown as written
    ((_, written),) = read_jsonl(tmp_path / "old.jsonl")
    assert [c.reason for c in written.candidates] == [Given(describe(c.reason)) for c in result.candidates]


def test_the_table_can_show_one_source_entity_and_the_editor_gets_the_same_words():
    result = build_projector("ngram").project(PAIR)
    assert entity_choices(PAIR) == ["1 Angela Merkel (PER)", "2 Berlin (LOC)"]
    only = candidate_rows(PAIR, result, entity=1)
    assert only and {row["source entity"] for row in only} == {"2 Berlin (LOC)"}
    assert len(only) + len(candidate_rows(PAIR, result, entity=0)) == len(candidate_rows(PAIR, result))


def test_the_editor_item_changes_with_the_projection_and_the_settings():
    ngram, heuristic = build_projector("ngram").project(PAIR), build_projector("heuristic").project(PAIR)
    assert editor_item(PAIR, ngram, "ngram") == editor_item(PAIR, ngram, "ngram")
    assert editor_item(PAIR, ngram, "ngram") != editor_item(PAIR, heuristic, "ngram")
    assert editor_item(PAIR, ngram, "ngram") != editor_item(PAIR, ngram, "ngram", 2)


def test_the_heatmap_marks_every_link_and_focuses_a_source_word_on_click():
    similarity = np.arange(12, dtype=float).reshape(4, 3) / 12
    spec = similarity_chart(similarity, PAIR.source_words, PAIR.target_words, sorted(PAIR.alignment.links)).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 12 and sum(row["link"] == "●" for row in rows) == len(PAIR.alignment.links)
    assert {"source": "3 Berlin", "target": "2 Berlin", "similarity": round(11 / 12, 3), "link": "●"} in rows
    (param,) = spec["params"]
    assert param["select"]["fields"] == ["source"] and param["select"]["on"] == "click"


@pytest.mark.parametrize("page", ["app.py", "pages/5_Teaching.py"])
def test_the_pages_draw_the_editor_and_filter_the_candidates(page):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / page), default_timeout=180).run()
    if page == "app.py":
        at.button(key="project").click().run()
        picker = at.selectbox(key="candidate_entity")
    else:
        at.radio(key="step").set_value(at.radio(key="step").options[-1]).run()
        picker = at.selectbox(key="candidate_entity_ngram")
    assert not at.exception
    (editor,) = at.main.get("bidi_component")  # the alignment is drawn by the editor, no table of dots
    data = json.loads(editor.proto.json)
    assert editor.proto.component_name == "xner_projection_editor" and data["links"] and len(at.dataframe) == 1
    reasons = [c["reason"] for rows in data["candidates"] for c in rows]
    assert reasons and not [r for r in reasons if INDEX_PAIR.search(r)]
    every = at.dataframe[0].value
    assert not [w for w in every["why"] if INDEX_PAIR.search(w)]
    picker.set_value(picker.options[0]).run()
    only = at.dataframe[0].value
    assert 0 < len(only) < len(every) and set(only["source entity"]) == {picker.options[0]}
    if page == "app.py":  # the heatmap is drawn on request only
        assert not at.get("vega_lite_chart")
        at.toggle(key="heatmap").set_value(True).run()
    else:
        at.radio(key="step").set_value(at.radio(key="step").options[2]).run()
    assert not at.exception
    (chart,) = at.get("vega_lite_chart")
    (links,) = chart.proto.datasets  # Arrow, UTF-8 strings: the link marks are in it
    assert '"focus"' in chart.proto.spec and "●".encode() in links.data.data
