"""The review, data and adjudicate pages through Streamlit's AppTest: the filter in the URL,
bulk accept as one undo step, comments, keys per user, the minimum time on screen, the
export's annotator and the adjudicated export."""

import html
import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from xner.projection.base import build_projector
from xner.store import Store
from xner.store.comments import comments
from xner.store.user_settings import MIN_VIEW_MS, load_settings, save_settings
from xner.types import Alignment, Entity, SentencePair

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seeded(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'page.db'}"
    monkeypatch.setenv("XNER_DB_URL", url)
    store = Store(url)
    items = []
    for k in range(6):
        links = [(0, 0), (1, 1), (2, 2)] if k % 3 else [(2, 2)]  # items 1 and 4: "Angela Merkel" not projected
        pair = SentencePair(("Angela", "Merkel", f"came{k}"), ("Angela", "Merkel", f"kam{k}"),
                            (Entity(0, 2, "PER"),), alignment=Alignment.of(links), id=str(k))
        items.append((pair, build_projector("ngram", name_weight=0).project(pair)))  # not found by its spelling either
    return store, store.create_dataset("demo", items)


def review(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages/1_Review.py"), default_timeout=60)
    at.query_params.update({"annotator": "ana", **params})
    return at.run()


def heading(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("#### Item"))


def click(at, key):
    time.sleep(MIN_VIEW_MS / 1000 + 0.02)
    return at.button(key=key).click().run()


def test_a_press_sooner_than_the_minimum_time_is_dropped_and_said(seeded):
    store, dataset = seeded
    first = store.item_ids(dataset)[0]
    save_settings(store, "ana", min_view_ms=1500)  # longer than a page run here takes
    at = review()
    at.button(key=f"accept-{first}-0").click().run()  # at once: nobody could have seen the item yet
    assert store.state(first, "ana") is None and "Item 1 of 6" in heading(at)
    assert "key press dropped" in at.info[0].value and "less than your minimum 1500 ms" in at.info[0].value
    at.button(key=f"accept-{first}-0").click().run()
    assert len(at.info) == 0  # said once
    time.sleep(1.5)
    at.button(key=f"accept-{first}-0").click().run()
    assert store.state(first, "ana")[0] == "accept" and "Item 2 of 6" in heading(at)


def test_the_filter_lives_in_the_url_and_bulk_accept_is_one_undo_step(seeded):
    store, dataset = seeded
    ids = store.item_ids(dataset)
    at = review(unprojected="true")
    assert not at.exception and at.checkbox(key="unprojected").value
    assert "Item 1 of 6" in heading(at) and "2 of 6 items match" in at.caption[0].value
    click(at, f"accept-{ids[0]}-0")
    assert "Item 4 of 6" in heading(at)  # the next one the filter finds
    at.checkbox(key="unprojected").uncheck().run()
    at.text_input(key="q").set_value("KAM5").run()
    assert "Item 6 of 6" in heading(at)
    at.text_input(key="q").set_value("").run()
    at.multiselect(key="state").set_value(["unreviewed"]).run()
    assert "5 of 6 items match" in at.caption[0].value
    at.button(key="accept_shown").click().run()
    assert "accepted the projection of 5 items in one step" in at.success[0].value
    assert all(store.state(i, "ana")[0] == "accept" for i in ids)
    undo = next(b for b in at.button if b.key and b.key.startswith("undo-"))
    assert "Undo the 5 decisions made in one step (U)" == undo.label
    undo.click().run()
    assert [store.state(i, "ana") is None for i in ids] == [False] + [True] * 5


def test_comments_are_stored_and_what_was_typed_stays_on_an_error(seeded):
    store, dataset = seeded
    first = store.item_ids(dataset)[0]
    at = review()
    at.button(key="add_comment").click().run()
    assert "needs some text or a flag" in at.error[0].value
    at.text_input(key="comment_text").set_value("Is Merkel a PER here?")
    at.selectbox(key="comment_flag").set_value("guideline question")
    at.button(key="add_comment").click().run()
    assert [(c.annotator, c.flag, c.text) for c in comments(store, [first])[first]] == [
        ("ana", "guideline question", "Is Merkel a PER here?")]
    assert at.text_input(key="comment_text").value == ""
    assert any("Is Merkel a PER here?" in t.value for t in at.text)


def test_keys_are_each_reviewers_own(seeded):
    store, dataset = seeded
    first = store.item_ids(dataset)[0]
    at = review()
    at.text_input(key="key_accept").set_value("j")
    at.text_input(key="key_reject").set_value("j")
    at.button(key="FormSubmitter:keys_form-Save my keys").click().run()
    assert "is given to both" in at.error[0].value and load_settings(store, "ana").keys["accept"] == "A"
    at.text_input(key="key_reject").set_value("k")
    at.number_input(key="min_view_ms").set_value(300)
    at.button(key="FormSubmitter:keys_form-Save my keys").click().run()
    settings = load_settings(store, "ana")
    assert (settings.keys["accept"], settings.keys["reject"], settings.min_view_ms) == ("J", "K", 300)
    assert at.button(key=f"accept-{first}-0").label == "Accept (J)"
    assert load_settings(store, "bob").keys["accept"] == "A"


def test_export_names_the_reviewer_and_adjudication_makes_the_final_version(seeded):
    store, dataset = seeded
    ids = store.item_ids(dataset)
    store.record(ids[1], "ana", "accept", [Entity(0, 2, "PER")])
    store.record(ids[1], "bob", "edit", [Entity(1, 2, "PER")])
    data = AppTest.from_file(str(ROOT / "pages/2_Data.py"), default_timeout=60)
    data.query_params["annotator"] = "bob"
    data.run()
    assert data.selectbox(key="export_annotator").value == "bob"  # not "ana", the first by the alphabet
    data = AppTest.from_file(str(ROOT / "pages/2_Data.py"), default_timeout=60).run()
    assert data.selectbox(key="export_annotator").value is None  # nobody chosen for you

    at = AppTest.from_file(str(ROOT / "pages/6_Adjudicate.py"), default_timeout=60)
    at.query_params["curator"] = "cur"
    at.run()
    assert not at.exception and at.dataframe[0].value["disagreements"].tolist() == [1]  # the agreement table
    assert at.dataframe[1].value["item"].tolist() == [2]
    at.button(key="take-bob").click().run()
    assert "bob's version is final" in html.unescape(at.success[0].value)
    from xner.review.files import export_bytes

    (record,) = [json.loads(line) for line in export_bytes(store, dataset, "ana", "jsonl", True, final=True)
                 .decode().splitlines()]
    assert (record["target_entities"], record["annotator"], record["adjudicated"]) == ([[1, 2, "PER"]], "cur", True)


def test_go_to_item_starts_from_an_empty_box_each_time(seeded):
    at = review()
    at.number_input(key="jump").set_value(5).run()
    assert "Item 5 of 6" in heading(at) and at.number_input(key="jump").value is None
    at.number_input(key="jump").set_value(3).run()  # typed afresh: "3", never "53"
    assert "Item 3 of 6" in heading(at)
