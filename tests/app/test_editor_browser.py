"""The projection editor in a real browser: Debian's chromium driven by Playwright against
``streamlit run tests/app/editor_demo.py``, checking what Python receives after each edit.
"""

import json
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, FLAGS, streamlit_server

DEMO = Path(__file__).with_name("editor_demo.py")


@pytest.fixture
def demo():
    with streamlit_server(DEMO) as base:
        yield base


def test_edits_by_mouse_and_keyboard_reach_python(demo):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(demo)
        word = lambda side, i: page.locator(f'[data-{side}="{i}"]')  # noqa: E731
        returned = page.locator("code")

        def python_value(edits: int, item: str = "a", revision: int = 0) -> dict:
            """What Python got back, once it has seen ``edits`` edits of this item and revision."""
            expect(returned).to_contain_text(f'{{"item": "{item}", "revision": {revision}, "edits": {edits},',
                                             timeout=15_000)
            return json.loads(returned.inner_text())

        def drag(start, end) -> None:
            a, b = start.bounding_box(), end.bounding_box()
            page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
            page.mouse.down()
            page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=6)
            page.mouse.up()

        expect(word("t", 6)).to_be_visible(timeout=30_000)
        assert python_value(0) == {"item": "a", "revision": 0, "edits": 0, "action": "",
                                   "entities": [[0, 2, "PER"], [4, 5, "LOC"]], "sources": [0, 1]}
        # "Paris" was not projected, and says so; the projected spans show their scores
        expect(page.locator('[data-source-tag="2"]')).to_have_text("3 LOC · not projected")
        expect(page.locator('[data-target-tag="0"]')).to_have_text("1 PER 1.00")

        # hovering a source entity highlights its links and the target words aligned to it
        word("s", 0).hover()
        expect(page.locator("line.xe-link-focus")).to_have_count(2)
        expect(word("t", 1)).to_have_class(ItContains("xe-aligned"))
        expect(word("t", 4)).not_to_have_class(ItContains("xe-aligned"))

        # a missing entity: drag across "und Paris", then "l" for LOC
        drag(word("t", 5), word("t", 6))
        expect(page.get_by_test_id("editor-selection")).to_have_text("selected 5–6 “und Paris”")
        page.keyboard.press("l")
        value = python_value(1)
        assert value["entities"] == [[0, 2, "PER"], [4, 5, "LOC"], [5, 7, "LOC"]]
        assert value["sources"] == [0, 1, 2] and value["action"] == "add"  # linked to "Paris" by its alignment
        expect(page.locator('[data-source-tag="2"]')).to_have_text("3 LOC")
        expect(page.locator('[data-target-tag="2"]')).to_have_text("3 LOC 0.40")  # a candidate's span: its score

        # a boundary: drag the span's start edge from "und" onto "Paris"
        drag(page.locator('[data-edge="start"][data-k="2"]'), word("t", 6))
        value = python_value(2)
        assert value["entities"] == [[0, 2, "PER"], [4, 5, "LOC"], [6, 7, "LOC"]] and value["action"] == "move"
        expect(page.locator('[data-target-tag="2"]')).to_have_text("3 LOC · edited")

        # a spurious entity: click a word, "4" labels it MISC, Delete removes it again
        word("t", 2).click()
        page.keyboard.press("4")
        assert python_value(3)["entities"] == [[0, 2, "PER"], [2, 3, "MISC"], [4, 5, "LOC"], [6, 7, "LOC"]]
        page.keyboard.press("Delete")
        value = python_value(4)
        assert value["entities"] == [[0, 2, "PER"], [4, 5, "LOC"], [6, 7, "LOC"]] and value["action"] == "delete"

        # shift+click extends the selection from the word clicked last; Escape drops it, no edit
        word("t", 2).click()
        word("t", 3).click(modifiers=["Shift"])
        expect(page.get_by_test_id("editor-selection")).to_have_text("selected 2–3 “besuchte die”")
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("editor-selection")).to_have_count(0)
        expect(page.get_by_test_id("editor-status")).to_have_text("4 edits")

        # a label: click inside a span selects all of it, "o" makes it ORG
        word("t", 4).click()
        expect(page.get_by_test_id("editor-selection")).to_have_text("span 4–4 “Niederlande” LOC")
        page.keyboard.press("o")
        assert python_value(5)["entities"] == [[0, 2, "PER"], [4, 5, "ORG"], [6, 7, "LOC"]]

        # a candidate: focus "Angela Merkel", preview its second candidate, then take it
        word("s", 1).click()
        candidates = page.get_by_test_id("editor-candidates")
        expect(candidates).to_contain_text("2. Merkel 0.67")
        candidates.locator('[data-candidate="1"]').get_by_role("button", name="Preview").click()
        expect(word("t", 1)).to_have_class(ItContains("xe-preview"))
        expect(word("t", 0)).not_to_have_class(ItContains("xe-preview"))
        assert python_value(5)["entities"][0] == [0, 2, "PER"]  # previewing is not an edit
        candidates.locator('[data-candidate="1"]').get_by_role("button", name="Take").click()
        value = python_value(6)
        assert value["entities"] == [[1, 2, "PER"], [4, 5, "ORG"], [6, 7, "LOC"]]
        assert value["sources"] == [0, 1, 2] and value["action"] == "take"

        # another item starts from its own entities, and so does the first one when it comes back
        editors = page.get_by_test_id("projection-editor")
        page.get_by_role("button", name="Next item").click()
        assert python_value(0, item="b")["entities"] == [[0, 1, "LOC"]]
        expect(editors).to_have_count(1)
        expect(word("t", 0).locator(".xe-t")).to_have_text("Paris")
        page.get_by_role("button", name="Next item").click()
        expect(editors).to_have_count(1)
        expect(word("t", 0).locator(".xe-t")).to_have_text("Angela")
        assert python_value(0) == {"item": "a", "revision": 0, "edits": 0, "action": "",
                                   "entities": [[0, 2, "PER"], [4, 5, "LOC"]], "sources": [0, 1]}

        # a new revision drops the edits made to the last one
        word("t", 0).click()
        page.keyboard.press("Delete")
        assert python_value(1)["entities"] == [[4, 5, "LOC"]]
        # ... a layout change does not: the editor mounted in a column resumes them, keys work
        page.get_by_text("Narrow").click()
        expect(page.get_by_test_id("stColumn").get_by_test_id("projection-editor")).to_have_count(1)
        expect(editors).to_have_count(1)
        expect(page.locator('[data-target-tag="0"]')).to_have_text("2 LOC 1.00")
        expect(page.get_by_test_id("editor-status")).to_have_text("1 edit · 2 not projected")
        word("t", 4).click()
        page.keyboard.press("m")
        assert python_value(2)["entities"] == [[4, 5, "MISC"]]
        page.get_by_role("button", name="Reset").click()
        assert python_value(0, revision=1)["entities"] == [[0, 2, "PER"], [4, 5, "LOC"]]
        expect(page.get_by_test_id("editor-status")).to_have_text("0 edits · 1 not projected")

        # with a selection the editor keeps its keys from the page's shortcuts; without, they pass
        presses = page.get_by_text("page shortcut pressed")
        expect(presses).to_have_text("page shortcut pressed 0 times")
        word("t", 5).click()
        page.keyboard.press("l")
        assert python_value(1, revision=1)["entities"] == [[0, 2, "PER"], [4, 5, "LOC"], [5, 6, "LOC"]]
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("editor-selection")).to_have_count(0)
        page.keyboard.press("l")
        expect(presses).to_have_text("page shortcut pressed 1 times")
        assert python_value(1, revision=1)["entities"][-1] == [5, 6, "LOC"]
        assert errors == []
        browser.close()


class ItContains:
    """A class name pattern for ``to_have_class``: the element has this class among others."""

    def __new__(cls, name: str):
        import re

        return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")
