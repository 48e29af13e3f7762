"""The review page in a real browser (Debian's chromium, Playwright, `streamlit run`):
edits are never dropped, a key decides only an item that was on screen, and the layout
at 1280×720 holds Europarl-length sentences."""

from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, FLAGS, let_it_be_seen, streamlit_process
from xner.projection.base import build_projector
from xner.store import Store
from xner.store.drafts import load_draft
from xner.types import Alignment, Entity, SentencePair

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"


def items(n, words=0):
    """``n`` items "Angela Merkel came{k}", with ``words`` more words on each side."""
    made = []
    for k in range(n):
        tail = tuple(f"w{k}x{j}" for j in range(words))
        pair = SentencePair(("Angela", "Merkel", f"came{k}") + tail, ("Angela", "Merkel", f"kam{k}") + tail,
                            (Entity(0, 2, "PER"),), alignment=Alignment.of([(i, i) for i in range(3 + words)]),
                            id=str(k))
        made.append((pair, build_projector("ngram").project(pair)))
    return made


@pytest.fixture
def seeded(tmp_path):
    url = f"sqlite:///{tmp_path / 'review.db'}"
    store = Store(url)
    store.create_dataset("queue", items(6), "en", "de")
    return url, store


def statuses(store, annotator="ana"):
    return {n + 1: status for _, n, status in store.statuses(store.dataset_id("queue"), annotator)}


def wait_for(check, page, timeout_ms=15_000):
    for _ in range(timeout_ms // 100):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError("timed out")


def test_unsaved_edits_survive_reload_refusal_and_restart_until_saved_or_discarded(seeded):
    from playwright.sync_api import expect, sync_playwright

    url, store = seeded
    first, second = store.item_ids(store.dataset_id("queue"))[:2]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        with streamlit_process(ROOT / "app.py", {"XNER_DB_URL": url}) as (base, _):
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{base}/Review?dataset=queue&annotator=ana&item=1")
            word = lambda j: page.locator(f'[data-t="{j}"]')  # noqa: E731
            expect(word(2).locator(".xe-t")).to_have_text("kam0", timeout=30_000)
            # an edit: "kam0" becomes MISC; it is in the store at once, with item and annotator
            word(2).click()
            page.keyboard.press("m")
            expect(page.get_by_test_id("editor-status")).to_have_text("1 edit")
            # "saving…" until the server has stored it; then the store holds it
            expect(page.get_by_test_id("projection-editor")).to_have_attribute("data-unsaved", "0")
            expect(page.get_by_test_id("editor-saving")).to_be_hidden()
            assert load_draft(store, first, "ana") is not None
            assert load_draft(store, first, "ana").entities == (Entity(0, 2, "PER"), Entity(2, 3, "MISC"))

            # a reload shows the edit again, said to be unsaved
            page.reload()
            expect(page.locator('[data-target-tag="1"]')).to_contain_text("MISC", timeout=30_000)
            expect(page.get_by_text("unsaved edits, kept with the item")).to_be_visible()
            expect(page.get_by_role("button", name="Save correction (A)")).to_be_visible()

        # a restart of the server: still there
        with streamlit_process(ROOT / "app.py", {"XNER_DB_URL": url}) as (base, _):
            page.goto(f"{base}/Review?dataset=queue&annotator=ana&item=1")
            expect(page.locator('[data-target-tag="1"]')).to_contain_text("MISC", timeout=30_000)

            # another tab decides the item meanwhile: Save is refused as stale, the edit stays and it says so
            store.record(first, "ana", "accept", (Entity(0, 2, "PER"),), revision=0)
            let_it_be_seen(page)
            page.keyboard.press("a")
            expect(page.get_by_text("changed since it was shown")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("unsaved edit is kept on screen")).to_be_visible()
            expect(page.locator('[data-target-tag="1"]')).to_contain_text("MISC")
            expect(page.get_by_text("unsaved edits kept from before this item changed")).to_be_visible()
            revision = store.view(first, "ana").revision  # the editor draws the item as it is now
            expect(page.get_by_test_id("projection-editor")).to_have_attribute("data-revision", str(revision))
            assert store.state(first, "ana") == ("accept", (Entity(0, 2, "PER"),))
            assert load_draft(store, first, "ana") is not None
            # saving now stores exactly what is shown, and the draft goes with it
            let_it_be_seen(page)
            page.keyboard.press("a")
            expect(page.get_by_text("Item 2 of 6")).to_be_visible(timeout=30_000)
            assert store.state(first, "ana") == ("edit", (Entity(0, 2, "PER"), Entity(2, 3, "MISC")))
            assert load_draft(store, first, "ana") is None

            # moving away keeps an edit; Discard edits drops it on purpose
            expect(word(2).locator(".xe-t")).to_have_text("kam1")
            word(0).click()
            page.keyboard.press("Delete")
            wait_for(lambda: load_draft(store, second, "ana") is not None, page)
            page.keyboard.press("ArrowRight")
            expect(page.get_by_text("Item 3 of 6")).to_be_visible(timeout=30_000)
            page.keyboard.press("ArrowLeft")
            expect(page.get_by_text("Item 2 of 6")).to_be_visible(timeout=30_000)
            expect(page.get_by_test_id("editor-status")).to_contain_text("1 not projected")
            page.get_by_role("button", name="Discard edits").click()
            expect(page.get_by_text("discarded your unsaved edits of item 2")).to_be_visible(timeout=30_000)
            expect(page.locator('[data-target-tag="0"]')).to_contain_text("PER")
            assert load_draft(store, second, "ana") is None and store.state(second, "ana") is None
        browser.close()


def test_a_burst_of_key_presses_decides_only_the_item_that_was_seen(seeded):
    """Bursts of five presses 30 ms apart and double taps: every item decided was on screen
    (its editor painted) at least the minimum time before the press that decided it, and
    no press is mistaken for another tab's. (The browser may deliver the presses of a burst
    later than they were sent, under load: the check uses the page's own clock.)"""
    from playwright.sync_api import expect, sync_playwright

    from tests.browser_support import PAINTS, seen_too_briefly
    from xner.store.user_settings import MIN_VIEW_MS

    url, store = seeded
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        with streamlit_process(ROOT / "app.py", {"XNER_DB_URL": url}) as (base, _):
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{base}/Review?dataset=queue&annotator=ana&item=1")
            expect(page.get_by_role("button", name="Reject (X)")).to_be_enabled(timeout=30_000)
            page.evaluate(PAINTS)
            for gaps in ([30] * 4, [30] * 4, [100], [200]):
                let_it_be_seen(page)
                page.keyboard.press("x")
                for gap in gaps:
                    page.wait_for_timeout(gap)
                    page.keyboard.press("x")
                page.wait_for_timeout(1500)
            decided = {n: f"kam{n - 1}" for n, status in statuses(store).items() if status == "reject"}
            assert decided and seen_too_briefly(page, decided, MIN_VIEW_MS) == []
            assert len(decided) >= 4  # each burst decided the item it began on
            assert "another tab" not in page.inner_text("body")  # no false alarm
        browser.close()


def test_source_target_and_accept_are_on_screen_together_at_1280x720(tmp_path):
    """A 50-word sentence pair: one row per side, scrolled sideways together; Accept, the
    source and the target words all inside the window; a key reveals the words it is on."""
    from playwright.sync_api import expect, sync_playwright

    url = f"sqlite:///{tmp_path / 'long.db'}"
    store = Store(url)
    store.create_dataset("long", items(2, words=47), "en", "de")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        with streamlit_process(ROOT / "app.py", {"XNER_DB_URL": url}) as (base, _):
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{base}/Review?dataset=long&annotator=ana")
            expect(page.get_by_text("Item 1 of 2")).to_be_visible(timeout=30_000)
            page.wait_for_timeout(1000)
            accept = page.get_by_role("button", name="Accept (A)").bounding_box()
            source = page.locator('[data-s="0"]').bounding_box()
            target = page.locator('[data-t="0"]').bounding_box()
            for box in (accept, source, target):
                assert box and 0 <= box["y"] and box["y"] + box["height"] <= 720, box
            # one row each: every word of a side on one line
            tops = {round(page.locator(f'[data-t="{j}"]').bounding_box()["y"]) for j in (0, 10, 30, 49)}
            assert len(tops) == 1, tops
            page.screenshot(path=str(SHOTS / "review-1280x720.png"))
            # the last target word, selected by a click after scrolling, stays in view
            rows = page.get_by_test_id("editor-rows")
            rows.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
            last = page.locator('[data-t="49"]')
            last.click()
            box = last.bounding_box()
            assert box["x"] + box["width"] <= 1280
            # a redraw (Escape drops the selection) keeps the rows where the reviewer scrolled them
            scrolled = rows.evaluate("r => r.scrollLeft")
            page.keyboard.press("Escape")
            expect(page.get_by_test_id("editor-selection")).to_have_count(0)
            assert scrolled > 0 and rows.evaluate("r => r.scrollLeft") == scrolled
        browser.close()


def test_find_in_the_url_bulk_accept_comments_and_the_same_correction_elsewhere(seeded):
    """The filter survives a reload (it is in the URL); accepting what it finds is one undo
    step; a comment is seen from another annotator's page; a boundary correction is offered
    on the items where the same entity projects the same way, previewed, then made."""
    from playwright.sync_api import expect, sync_playwright

    url, store = seeded
    ids = store.item_ids(store.dataset_id("queue"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        with streamlit_process(ROOT / "app.py", {"XNER_DB_URL": url}) as (base, _):
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{base}/Review?dataset=queue&annotator=ana")
            expect(page.get_by_text("Item 1 of 6")).to_be_visible(timeout=30_000)
            # the same correction elsewhere: "Angela Merkel" → "Merkel", saved, then offered on the rest
            a, b = page.locator('[data-edge="start"][data-k="0"]').bounding_box(), page.locator(
                '[data-t="1"]').bounding_box()
            page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
            page.mouse.down()
            page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=6)
            page.mouse.up()
            expect(page.get_by_role("button", name="Save correction (A)")).to_be_visible(timeout=30_000)
            page.keyboard.press("a")
            expect(page.get_by_text("The same correction on 5 other items")).to_be_visible(timeout=30_000)
            preview = page.get_by_test_id("stDataFrame").filter(has_text="becomes").first
            expect(preview).to_be_visible()
            assert store.state(ids[1], "ana") is None  # a preview decides nothing
            page.get_by_role("button", name="No, thanks").click()
            expect(page.get_by_text("The same correction on 5 other items")).to_have_count(0, timeout=30_000)

            # find: the text box writes the filter into the URL; a reload keeps it
            page.get_by_text("Find").first.click()
            box = page.get_by_label("Text (source, target, comments)")
            box.fill("kam4")
            box.press("Enter")
            expect(page.get_by_text("Item 5 of 6")).to_be_visible(timeout=30_000)
            page.wait_for_timeout(500)
            assert "q=kam4" in page.url, page.url
            page.reload()
            expect(page.get_by_text("Item 5 of 6")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("1 of 6 items match")).to_be_visible()
            # bulk: accept the one item found; Undo (U) takes the batch back in one step
            page.get_by_role("button", name="Accept the projection of the 1 matching items").click()
            expect(page.get_by_text("accepted the projection of 1 items in one step")).to_be_visible(timeout=30_000)
            assert store.state(ids[4], "ana")[0] == "accept"
            expect(page.get_by_role("button", name="Undo the 1 decisions made in one step (U)")).to_be_enabled()
            page.keyboard.press("u")
            wait_for(lambda: store.state(ids[4], "ana") is None, page)

            # a comment, seen by bob
            page.get_by_text("Comments and flags (0)").click()
            page.get_by_label("Comment", exact=True).fill("Is kam4 a verb?")
            page.get_by_role("button", name="Add", exact=True).click()
            expect(page.get_by_text("Comments and flags (1)")).to_be_visible(timeout=30_000)
            other = browser.new_page(viewport={"width": 1280, "height": 720})
            other.goto(f"{base}/Review?dataset=queue&annotator=bob&item=5")
            expect(other.get_by_text("Comments and flags (1)")).to_be_visible(timeout=30_000)
            other.get_by_text("Comments and flags (1)").click()
            expect(other.get_by_text("Is kam4 a verb?")).to_be_visible()
        browser.close()
