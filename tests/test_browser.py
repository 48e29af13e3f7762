"""A real browser against `streamlit run`: Debian's chromium driven by Playwright.

Opens the live page and projects a sentence, accepts an item in the review queue with
the keyboard, exports the reviewed data and checks the downloaded file. Screenshots go
to docs/screenshots/ (shown in the README).
"""

from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, FLAGS, let_it_be_seen, streamlit_server
from xner.projection.base import build_projector
from xner.store import Store
from xner.types import Alignment, Entity, SentencePair

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture
def server(tmp_path):
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    store = Store(url)
    items = []
    for k, (en, de) in enumerate([("Angela Merkel came", "Angela Merkel kam"), ("Paris is big", "Paris ist groß")]):
        pair = SentencePair(tuple(en.split()), tuple(de.split()), (Entity(0, 2 - k, "PER" if k == 0 else "LOC"),),
                            alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]), id=str(k))
        items.append((pair, build_projector("ngram").project(pair)))
    store.create_dataset("browser-demo", items, "en", "de")
    with streamlit_server(ROOT / "app.py", {"XNER_DB_URL": url}) as base:
        yield base, store


def test_project_review_with_keyboard_and_export(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base, store = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)

        page.goto(base)
        page.get_by_role("button", name="Project").click()
        expect(page.get_by_text("París LOC")).to_be_visible(timeout=180_000)  # projected onto the Spanish words
        page.wait_for_timeout(3000)  # let the tables paint
        page.screenshot(path=str(SHOTS / "live.png"), full_page=True)

        page.goto(f"{base}/Review?annotator=ana")
        expect(page.get_by_text("Item 1 of 2")).to_be_visible(timeout=30_000)
        expect(page.get_by_role("button", name="Accept (A)")).to_be_enabled()
        let_it_be_seen(page)
        page.keyboard.press("a")
        expect(page.get_by_text("1/2 reviewed")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Item 2 of 2")).to_be_visible()
        page.screenshot(path=str(SHOTS / "review.png"), full_page=True)
        dataset = store.datasets()[0][0]
        first = store.item_ids(dataset)[0]
        assert store.state(first, "ana") == ("accept", (Entity(0, 2, "PER"),))

        page.get_by_role("link", name="Data").click()  # the same session: it knows who reviewed
        # the export names the annotator this session reviewed as
        expect(page.get_by_role("button", name="Download conll")).to_be_enabled(timeout=30_000)
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="Download conll").click()
        path = tmp_path / "reviewed.conll"
        download.value.save_as(str(path))
        page.screenshot(path=str(SHOTS / "data.png"), full_page=True)

        # the evaluate page with real uploads: scores and the error browser
        gold = tmp_path / "gold.conll"
        gold.write_text("Angela\tB-PER\nMerkel\tI-PER\nkam\tO\n\nParis\tB-LOC\nist\tO\n\n")
        page.goto(f"{base}/Evaluate")
        inputs = page.locator("input[type=file]")
        inputs.nth(0).set_input_files(str(gold))
        both = tmp_path / "pred.conll"
        both.write_text("Angela\tB-PER\nMerkel\tO\nkam\tO\n\nParis\tB-LOC\nist\tO\n\n")
        inputs.nth(1).set_input_files([str(both), str(gold)])  # two "methods": one imperfect, one perfect
        expect(page.get_by_text("boundary: 1")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("proj_ratio").first).to_be_visible()
        inputs.nth(1).set_input_files([str(path)])  # one sentence against two: a clear error
        expect(page.get_by_text("has 2 sentences but")).to_be_visible(timeout=30_000)
        # an upload's name is a label, never a path: nothing is written beside the pages,
        # and an error names the user's file, not a server path
        evil = ROOT / "pages" / "evil.py"
        page.goto(f"{base}/Evaluate")
        inputs = page.locator("input[type=file]")
        inputs.nth(0).set_input_files(str(gold))
        inputs.nth(1).set_input_files([{"name": "../../pages/evil.py", "mimeType": "text/plain",
                                        "buffer": b"Angela\nMerkel\tB-PER\n"}])
        expect(page.get_by_text("../../pages/evil.py, line 1")).to_be_visible(timeout=30_000)
        assert not evil.exists() and "xner-upload-" not in page.inner_text("body")
        browser.close()
    head, words = path.read_text().split("Angela", 1)
    assert head.startswith("# id = 0\n# status = accepted\n# annotator = ana\n# time = ")
    assert words == "\tB-PER\nMerkel\tI-PER\nkam\tO\n\n"


@pytest.fixture
def review_server(tmp_path):
    """The review page over a dataset of 8 items (one entity each)."""
    url = f"sqlite:///{tmp_path / 'review.db'}"
    store = Store(url)
    store.create_dataset("queue", review_items(8), "en", "de")
    with streamlit_server(ROOT / "app.py", {"XNER_DB_URL": url}) as base:
        yield base, store, url


def review_items(n, start=0):
    items = []
    for k in range(start, start + n):
        pair = SentencePair(("Angela", "Merkel", f"came{k}"), ("Angela", "Merkel", f"kam{k}"), (Entity(0, 2, "PER"),),
                            alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]), id=str(k))
        items.append((pair, build_projector("ngram").project(pair)))
    return items


# records every "Item N of M" heading the page ever shows, however briefly
WATCH_ITEMS = """
window.__seen = new Set();
const look = () => document.querySelectorAll('h4').forEach(h => {
  const m = h.innerText.match(/Item (\\d+) of/); if (m) window.__seen.add(Number(m[1])); });
new MutationObserver(look).observe(document, {subtree: true, childList: true, characterData: true});
"""


def states(store, annotator="ana"):
    dataset = store.dataset_id("queue")
    return {n + 1: status for _, n, status in store.statuses(dataset, annotator)}


def test_review_decisions_land_on_the_item_shown(review_server):
    """Two tabs of one annotator on one item; fast repeated keys; undo across a reload;
    going back to an earlier item."""
    from playwright.sync_api import expect, sync_playwright

    base, store, _ = review_server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tabs = [browser.new_context(viewport={"width": 1280, "height": 720}).new_page() for _ in range(2)]
        for tab in tabs:
            tab.goto(f"{base}/Review?dataset=queue&annotator=ana&item=2")
            expect(tab.get_by_text("Item 2 of 8")).to_be_visible(timeout=30_000)
        # Accept and Reject are visible without scrolling at 1280×720
        for name in ("Accept (A)", "Reject (X)"):
            box = tabs[0].get_by_role("button", name=name).bounding_box()
            assert box and box["y"] + box["height"] <= 720, name
        let_it_be_seen(tabs[0])
        tabs[0].get_by_role("button", name="Accept (A)").click()
        expect(tabs[0].get_by_text("Item 3 of 8")).to_be_visible(timeout=30_000)
        tabs[1].get_by_role("button", name="Reject (X)").click()  # tab 2 still shows item 2
        expect(tabs[1].get_by_text("changed since it was shown")).to_be_visible(timeout=30_000)
        assert states(store) == {1: None, 2: "accept", 3: None, 4: None, 5: None, 6: None, 7: None, 8: None}
        expect(tabs[1].get_by_text("Item 2 of 8 · accepted")).to_be_visible()  # the screen shows it as it is

        # the same key three times, 150 ms apart: only items that were on screen are decided
        page = tabs[0]
        page.evaluate(WATCH_ITEMS)
        for _ in range(3):
            page.keyboard.press("a")
            page.wait_for_timeout(150)
        page.wait_for_timeout(3000)
        decided = {n for n, status in states(store).items() if status == "accept"} - {2}
        seen = set(page.evaluate("Array.from(window.__seen)")) | {3}
        assert decided and decided <= seen, (decided, seen)
        # keys work on every item after every layout change: five more, one at a time
        while not page.get_by_text("Everything in this dataset is reviewed").count():
            shown = page.locator("h4").filter(has_text="Item").inner_text()
            let_it_be_seen(page)
            page.keyboard.press("x")
            expect(page.get_by_text(shown, exact=True)).to_have_count(0, timeout=30_000)
        assert None not in states(store).values()
        before = [s for s in store.history(store.dataset_id("queue"), "ana", limit=100)]

        # undo, twice, after a reload: ana's own last two decisions, newest first
        page.reload()
        expect(page.get_by_text("8/8 reviewed")).to_be_visible(timeout=30_000)
        for step in range(2):
            label = f"Undo {'rejected' if before[step].action == 'reject' else 'accepted'} on item " \
                    f"{before[step].position + 1}"
            expect(page.get_by_role("button", name=label)).to_be_enabled(timeout=30_000)  # connected
            page.keyboard.press("u")
            expect(page.get_by_text(f"Item {before[step].position + 1} of 8 · not reviewed yet")).to_be_visible(
                timeout=30_000)
        after = store.history(store.dataset_id("queue"), "ana", limit=100)
        assert [d.decision_id for d in after] == [d.decision_id for d in before[2:]]

        # back to an earlier item: previous, then the list
        page.keyboard.press("ArrowLeft")
        expect(page.get_by_text(f"Item {before[1].position} of 8")).to_be_visible(timeout=30_000)
        page.goto(f"{base}/Review?dataset=queue&annotator=ana&item=2")
        expect(page.get_by_text("Item 2 of 8 · accepted")).to_be_visible(timeout=30_000)
        browser.close()


def test_user_text_never_becomes_markdown_or_a_request(tmp_path):
    """Words and names that look like Markdown are shown as written; an image link in a
    token makes no browser fetch anything."""
    import http.server
    import threading

    from playwright.sync_api import expect, sync_playwright

    requests = []

    class Count(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    catcher = http.server.HTTPServer(("127.0.0.1", 0), Count)
    threading.Thread(target=catcher.serve_forever, daemon=True).start()
    image = f"![t](http://127.0.0.1:{catcher.server_port}/x.png)"
    url = f"sqlite:///{tmp_path / 'evil.db'}"
    store = Store(url)
    pair = SentencePair((image, "**bold**", "Paris"), (image, "**fett**", "Paris"), (Entity(2, 3, "LOC"),),
                        alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]), id="0")
    store.create_dataset("**evil** :red[x]", [(pair, build_projector("ngram").project(pair))], "en", "de")
    with streamlit_server(ROOT / "app.py", {"XNER_DB_URL": url}) as base:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.goto(f"{base}/Review?annotator=ana")
            expect(page.get_by_text("Item 1 of 1")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("**fett**").first).to_be_visible()
            assert page.locator("strong", has_text="fett").count() == 0 and page.locator("main img").count() == 0
            page.get_by_text("All items").click()
            page.goto(f"{base}/Data")
            expect(page.get_by_text("Export")).to_be_visible(timeout=30_000)
            page.wait_for_timeout(1500)
            assert page.locator("strong", has_text="evil").count() == 0
            browser.close()
    catcher.shutdown()
    assert requests == []


def test_review_goes_on_while_a_big_import_runs(review_server):
    from playwright.sync_api import expect, sync_playwright

    from xner.app.jobs import start_import

    base, store, url = review_server

    class SlowMonotone:
        """An aligner that takes its time, so the import is still writing while the reviewer works."""

        name = "monotone"

        def align(self, pairs):
            import time

            time.sleep(0.3)
            return [Alignment.of((i, i) for i in range(min(len(s), len(t)))) for s, t in pairs]

    from dataclasses import replace

    pairs = [replace(pair, alignment=None) for pair, _ in review_items(1500, start=100)]  # to be aligned
    job, thread = start_import(Store(url), "big", pairs, SlowMonotone(), build_projector("ngram"),
                               chunk=50)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{base}/Review?dataset=queue&annotator=ana")
        expect(page.get_by_role("button", name="Accept (A)")).to_be_enabled(timeout=30_000)
        for number in range(1, 5):
            expect(page.get_by_text(f"Item {number} of 8")).to_be_visible(timeout=30_000)
            let_it_be_seen(page)
            page.keyboard.press("a")
        expect(page.get_by_text("4/8 reviewed")).to_be_visible(timeout=30_000)
        running_meanwhile = store.job(job)["status"] == "running"
        assert "Traceback" not in page.inner_text("body")
        browser.close()
    thread.join(timeout=300)
    assert running_meanwhile, store.job(job)
    assert [states(store)[n] for n in range(1, 5)] == ["accept"] * 4
    assert store.job(job)["status"] == "done" and ("big" in [n for _, n, _ in store.datasets()])


def test_spans_corrected_in_the_review_editor_with_the_mouse_and_a_key_are_stored(review_server):
    """A boundary (drag the span's edge), a missing entity (click a word, a label key) and a
    spurious one (click it, Delete), each saved with A: the stored decision is the edit."""
    import re

    from playwright.sync_api import expect, sync_playwright

    base, store, _ = review_server
    items = store.item_ids(store.dataset_id("queue"))

    def drag(page, start, end):
        a, b = start.bounding_box(), end.bounding_box()
        page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
        page.mouse.down()
        page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=6)
        page.mouse.up()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/Review?dataset=queue&annotator=ana")
        word = lambda j: page.locator(f'[data-t="{j}"]')  # noqa: E731
        expect(page.get_by_text("Item 1 of 8")).to_be_visible(timeout=30_000)
        expect(word(2).locator(".xe-t")).to_have_text("kam0")

        # a boundary: "Angela Merkel" → "Merkel", by dragging the span's start edge one word right
        drag(page, page.locator('[data-edge="start"][data-k="0"]'), word(1))
        expect(page.get_by_test_id("editor-status")).to_have_text("1 edit")
        expect(page.get_by_role("button", name="Save correction (A)")).to_be_visible(timeout=30_000)
        page.keyboard.press("a")
        expect(page.get_by_text("Item 2 of 8")).to_be_visible(timeout=30_000)
        assert store.state(items[0], "ana") == ("edit", (Entity(1, 2, "PER"),))

        # a missing entity: click "kam1", "m" makes it MISC, and A at once (no wait for the server)
        expect(word(2).locator(".xe-t")).to_have_text("kam1")
        let_it_be_seen(page)
        word(2).click()
        page.keyboard.press("m")
        page.keyboard.press("a")
        expect(page.get_by_text("Item 3 of 8")).to_be_visible(timeout=30_000)
        assert store.state(items[1], "ana") == ("edit", (Entity(0, 2, "PER"), Entity(2, 3, "MISC")))

        # a spurious entity: click into the span, Delete, then A
        expect(word(2).locator(".xe-t")).to_have_text("kam2")
        let_it_be_seen(page)
        word(0).click()
        page.keyboard.press("Delete")
        expect(page.get_by_test_id("editor-status")).to_have_text("1 edit · 1 not projected")
        page.keyboard.press("a")
        expect(page.get_by_text("Item 4 of 8")).to_be_visible(timeout=30_000)
        assert store.state(items[2], "ana") == ("edit", ())
        # the corrections are what the editor shows when the item comes back
        page.goto(f"{base}/Review?dataset=queue&annotator=ana&item=1")
        expect(page.get_by_text("Item 1 of 8 · corrected")).to_be_visible(timeout=30_000)
        expect(page.locator('[data-target-tag="0"]')).to_contain_text("PER")
        expect(word(1)).to_have_class(re.compile(r"(^|\s)xe-first(\s|$)"))
        assert errors == []
        browser.close()
