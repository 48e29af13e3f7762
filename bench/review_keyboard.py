"""The review page at keyboard speed, in a real browser against the real server.

Debian's chromium (Playwright) drives `streamlit run app.py` over a fresh SQLite store
holding Europarl English–German pairs (aligned by the default aligner, projected by
n-gram matching). Every figure is checked against the store, not the screen.

1. Key press → next item drawn: the time from the key's ``keydown`` in the page to the
   first animation frame in which the heading names the next item *and* the editor
   shows that item's target words (both clocks are the page's). The next key is pressed
   as soon as the item drawn may be decided (it has been on screen the reviewer's minimum
   time, 150 ms: a faster press is dropped by the page), as a fast reviewer would.
2. Keyboard-only review: A, X and Space in turn on every item, a U (undo) after
   every tenth decision and the item decided again, → and ← now and then; a press took
   effect when the store holds the decision it asks for (or, for undo, no longer holds
   the one undone; for ←/→, the screen moved).
3. Corrections in the review page's editor, each by mouse + key and then A: a boundary
   (drag a span's edge), a label (click the span, a label key), a missing entity (drag
   across words, a label key), a spurious entity (click it, Delete). Actions are counted
   (a drag is one action) and the stored decision is compared with the expected one.
4. Idle cost: the server process's CPU time (user + system, from /proc) over a quiet
   interval with one browser tab open on the review page, then on the data page, and
   with no tab; the browser's own processes are reported beside it.

    python -m bench.review_keyboard [--items 60] [--idle 30] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.report import SHARED_DATA, header, publish, table
from xner.store.user_settings import MIN_VIEW_MS

ROOT = Path(__file__).resolve().parents[1]
ANNOTATOR = "ana"
DATASET = "bench-keyboard"

# In the page: when the last key went down, and a watcher that notes the first animation
# frame in which the heading and the editor both show the item expected.
PAGE_TOOLS = """
(() => {
  if (window.__xb) return;
  const editorWords = () => {
    for (const host of document.querySelectorAll('[data-testid="stBidiComponentIsolated"], .stBidiComponent')) {
      const root = host.shadowRoot || host;
      const words = root.querySelectorAll('[data-testid="projection-editor"] [data-t] .xe-t');
      if (words.length) return Array.from(words, (w) => w.textContent).join(' ');
    }
    return null;
  };
  const heading = () => {
    for (const h of document.querySelectorAll('h4')) {
      const m = h.innerText.match(/Item (\\d+) of/);
      if (m) return Number(m[1]);
    }
    return null;
  };
  window.__xb = {pressed: null, drawn: null, titled: null, editorWords, heading,
    watch(number, words) {
      this.drawn = null;
      this.titled = null;
      const look = () => {
        const titled = heading() === number;
        if (titled && this.titled === null) this.titled = performance.now();
        if (titled && editorWords() === words) { this.drawn = performance.now(); return; }
        requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    }};
  window.addEventListener('keydown', () => { window.__xb.pressed = performance.now(); }, true);
})()
"""


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


# --- data --------------------------------------------------------------------------


def bench_items(n: int):
    """``n`` Europarl en→de pairs with at least one entity and at most 40 words, projected."""
    from xner.alignment.embedding import EmbeddingAligner
    from xner.io.conll import read_conll
    from xner.projection.base import build_projector
    from xner.types import SentencePair

    en = read_conll(SHARED_DATA / "europarl/en.europarl.test.conll")
    de = read_conll(SHARED_DATA / "europarl/de.europarl.test.conll")
    chosen = [(s, t) for s, t in zip(en, de) if s.entities and len(s.words) <= 40 and len(t.words) <= 40][:n]
    alignments = EmbeddingAligner().align([(s.words, t.words) for s, t in chosen])
    projector = build_projector("ngram", trim_stop_words="de")
    items = []
    for k, ((s, t), links) in enumerate(zip(chosen, alignments)):
        pair = SentencePair(s.words, t.words, s.entities, alignment=links, id=str(k))
        items.append((pair, projector.project(pair)))
    return items


# --- server and processes ----------------------------------------------------------


@contextmanager
def server(db_url: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run app.py` on a free port, as the browser tests start it; yields (base URL,
    process) once it answers its health check."""
    from tests.browser_support import streamlit_process

    with streamlit_process(ROOT / "app.py", {"XNER_DB_URL": db_url}, timeout=120) as started:
        yield started


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (processes gone are skipped)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def descendants(root: int) -> list[int]:
    """Every process below ``root`` (from /proc: the browser started by Playwright)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


# --- the page ----------------------------------------------------------------------


class ReviewPage:
    def __init__(self, page, base: str, store, dataset: int):
        self.page, self.base, self.store, self.dataset = page, base, store, dataset
        self.ids = store.item_ids(dataset)
        self.titled: list[float] = []
        self.trace: list[str] = []  # every press: key, item shown before → after, the store after
        self.words = {n + 1: " ".join(store.item(i)[0].target_words) for n, i in enumerate(self.ids)}

    def open(self, number: int | None = None) -> None:
        item = f"&item={number}" if number else ""
        self.page.goto(f"{self.base}/Review?dataset={DATASET}&annotator={ANNOTATOR}{item}")
        self.page.evaluate(PAGE_TOOLS)

    def shown(self) -> int | None:
        return self.page.evaluate("window.__xb.heading()")

    def wait_drawn(self, number: int, timeout: float = 30.0) -> None:
        """Until item ``number`` is on screen, in its heading and in the editor."""
        self.page.wait_for_function(
            "([n, words]) => window.__xb && window.__xb.heading() === n && window.__xb.editorWords() === words",
            arg=[number, self.words[number]], timeout=timeout * 1000, polling="raf")

    def press(self, key: str, expect: int | None) -> float | None:
        """Press ``key``; when ``expect`` is an item number, wait until it is drawn and
        return the milliseconds from keydown to that frame (None if it did not come within
        5 s); the
        time to the heading alone is kept in ``self.titled``."""
        shown = self.shown()
        self.page.wait_for_timeout(MIN_VIEW_MS + 20)  # sooner, the page drops the press (and should)
        if expect is not None:
            self.page.evaluate("([n, words]) => window.__xb.watch(n, words)", [expect, self.words[expect]])
        self.page.keyboard.press(key)
        ms = None
        if expect is not None:
            try:
                self.page.wait_for_function("window.__xb.drawn !== null", timeout=5_000, polling="raf")
                self.titled.append(self.page.evaluate("window.__xb.titled - window.__xb.pressed"))
                ms = self.page.evaluate("window.__xb.drawn - window.__xb.pressed")
            except Exception:  # noqa: BLE001 - a key that did nothing is a result, not a crash
                pass
        # decision buttons of an earlier run still on the page (Streamlit keeps an element
        # marked stale until the run that replaces it ends): their shortcuts may still fire
        stale = self.page.evaluate("""() => Array.from(document.querySelectorAll('[data-stale="true"] button'))
            .filter((b) => /Accept|Save correction|Reject|Skip/.test(b.innerText)).length""")
        self.trace.append(f"{key} on {shown} → {self.shown()} ({'%.0f ms' % ms if ms is not None else 'not drawn'}),"
                          f" {stale} stale decision buttons then, store {self.statuses()}")
        return ms

    def statuses(self) -> str:
        """One letter per item: . not reviewed, a accepted, x rejected, s skipped, e corrected."""
        letters = {None: ".", "accept": "a", "reject": "x", "skip": "s", "edit": "e"}
        return "".join(letters.get(s, "?") for _, _, s in self.store.statuses(self.dataset, ANNOTATOR))

    def state(self, number: int):
        return self.store.state(self.ids[number - 1], ANNOTATOR)

    def next_open(self, after: int) -> int | None:
        """What the page shows once item ``after`` is decided: as Store.next_item, the next
        item without a decision (wrapping round), then the skipped ones."""
        statuses = {n + 1: s for _, n, s in self.store.statuses(self.dataset, ANNOTATOR)}
        order = [n for n in sorted(statuses) if n > after] + [n for n in sorted(statuses) if n < after]
        fresh = [n for n in order if statuses[n] is None]
        skipped = [n for n in order if statuses[n] == "skip"]
        return (fresh or skipped or [None])[0]


# --- 1 and 2: keys -----------------------------------------------------------------

DECISIONS = [("a", "accept"), ("x", "reject"), ("Space", "skip")]


def keyboard_review(review: ReviewPage, decisions: int) -> dict:
    """Decide ``decisions`` items by key, with undo and navigation presses mixed in.

    A press took effect when the store changed exactly as it asks (its item decided as
    asked, or the undone item back to undecided) and nowhere else; for ← / →, when the
    item asked for was drawn. After each press the review goes on from the item shown.
    """
    latencies, other, presses, effective, misses = [], [], 0, 0, []
    titled, heading_times = review.titled, []
    review.open(1)
    review.wait_drawn(1)

    def decide(key: str, action: str | None, number: int, expect: int | None, latency: list) -> None:
        nonlocal presses, effective
        before = review.statuses()
        presses += 1
        ms = review.press(key, expect)
        after = review.statuses()
        changed = {n + 1 for n, (a, b) in enumerate(zip(before, after)) if a != b}
        stored = review.state(number)
        took = changed == {number} and (stored is None if action is None else stored and stored[0] == action)
        effective += bool(took)
        if not took:
            misses.append(f"{key} on item {number} changed items {sorted(changed)}; the press before: "
                          f"{review.trace[-2]}; this press: {review.trace[-1]}")
        if ms is not None:
            latency.append(ms)
            if latency is latencies:
                heading_times.append(titled[-1])

    for k in range(decisions):
        number = review.shown()
        if number is None:
            break
        key, action = DECISIONS[k % len(DECISIONS)]
        expect = review.next_open(number)
        decide(key, action, number, expect, latencies)
        if k % 10 == 9:  # undo it (the screen returns to the item), then decide it again
            decide("u", None, number, number, other)
            decide(key, action, number, review.next_open(number), latencies)
        if expect is None:
            break
        if k % 10 == 4 and review.shown() and review.shown() > 1:  # ← to the item before, → back
            here = review.shown()
            for arrow, to in (("ArrowLeft", here - 1), ("ArrowRight", here)):
                presses += 1
                ms = review.press(arrow, to)
                if ms is not None:
                    other.append(ms)
                    effective += 1
                else:
                    misses.append(f"{arrow} on item {to + (1 if arrow == 'ArrowLeft' else -1)}: item {to} not drawn "
                                  f"({review.trace[-1]})")
    return {"latencies": latencies, "headings": heading_times, "other": other,
            "presses": presses, "effective": effective, "misses": misses}


# --- 3: corrections ------------------------------------------------------------------


def drag(page, start, end) -> None:
    # one row per sentence, scrolled sideways: bring both ends into view first, as a reviewer would
    end.scroll_into_view_if_needed()
    start.scroll_into_view_if_needed()
    a, b = start.bounding_box(), end.bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=6)
    page.mouse.up()


def corrections(review: ReviewPage) -> list[list[object]]:
    """Each correction on its own item, made by mouse + key, saved with A, checked in the store."""
    from playwright.sync_api import expect

    from xner.types import Entity

    page = review.page
    word = lambda j: page.locator(f'[data-t="{j}"]')  # noqa: E731
    edits = page.get_by_test_id("editor-status")
    rows = []

    def item_with(test) -> tuple[int, tuple[Entity, ...], int]:
        for number, item_id in enumerate(review.ids, start=1):
            pair, projection = review.store.item(item_id)
            if review.state(number) is None and projection is not None and test(pair, projection.entities):
                return number, projection.entities, len(pair.target_words)
        raise SystemExit("no item fits this correction")

    def run(what: str, test, act, expected) -> None:
        number, entities, n = item_with(test)
        review.open(number)
        review.wait_drawn(number)
        actions = act(entities, n)
        expect(edits).to_have_text(re.compile(rf"^{actions[1]} edits?\b"))  # drawn at once, in the browser
        after = review.next_open(number)
        review.press("a", after)
        stored = review.state(number)
        want = ("edit", tuple(sorted(expected(entities, n))))
        rows.append([what, actions[0], actions[0] + 1, "yes" if stored == want else f"no: {stored}"])

    # a boundary: the first span's end moves one word to the right (drag its right edge)
    def boundary(entities, n):
        e = entities[0]
        drag(page, page.locator('[data-edge="end"][data-k="0"]'), word(e.end))
        return 1, 1

    # a label: click inside the first span, then the key of another label
    def label(entities, n):
        word(entities[0].start).click()
        page.keyboard.press("m" if entities[0].label != "MISC" else "o")
        return 2, 1

    # a missing entity: drag across two words outside every span, then "l"
    def free_pair(entities, n):
        taken = {j for e in entities for j in range(e.start, e.end)}
        return next((j for j in range(n - 1) if j not in taken and j + 1 not in taken), None)

    def missing(entities, n):
        j = free_pair(entities, n)
        drag(page, word(j), word(j + 1))
        page.keyboard.press("l")
        return 2, 1

    # a spurious entity: click the first span, Delete
    def spurious(entities, n):
        word(entities[0].start).click()
        page.keyboard.press("Delete")
        return 2, 1

    def grown(entities, n):
        e = entities[0]
        return [Entity(e.start, e.end + 1, e.label), *entities[1:]]

    def relabelled(entities, n):
        e = entities[0]
        return [Entity(e.start, e.end, "MISC" if e.label != "MISC" else "ORG"), *entities[1:]]

    def added(entities, n):
        j = free_pair(entities, n)
        return [*entities, Entity(j, j + 2, "LOC")]

    can_grow = lambda pair, ents: ents and ents[0].end < len(pair.target_words) and (  # noqa: E731
        len(ents) == 1 or ents[1].start > ents[0].end)
    run("boundary (drag a span's edge)", can_grow, boundary, grown)
    run("label (click the span, a label key)", lambda pair, ents: bool(ents), label, relabelled)
    run("missing entity (drag across words, a label key)",
        lambda pair, ents: free_pair(ents, len(pair.target_words)) is not None, missing, added)
    run("spurious entity (click it, Delete)", lambda pair, ents: bool(ents), spurious, lambda ents, n: ents[1:])
    return rows


# --- 4: idle -----------------------------------------------------------------------


def idle(page, base: str, process: subprocess.Popen, seconds: float) -> list[list[object]]:
    rows = []

    def measure(what: str) -> None:
        page.wait_for_timeout(5000)  # let the page settle first
        pids = sorted(set(descendants(os.getpid())) - {process.pid, *descendants(process.pid)})
        server0, browser0, start = cpu_seconds([process.pid]), cpu_seconds(pids), time.perf_counter()
        time.sleep(seconds)
        wall = time.perf_counter() - start
        server = 100 * (cpu_seconds([process.pid]) - server0) / wall
        other = 100 * (cpu_seconds(pids) - browser0) / wall
        rows.append([what, f"{server:.1f} %", f"{other:.1f} %", f"{wall:.0f} s"])

    page.goto(f"{base}/Review?dataset={DATASET}&annotator={ANNOTATOR}")
    page.get_by_role("button", name=re.compile("^Undo")).wait_for(timeout=30_000)
    measure("one tab on the review page")
    page.goto(f"{base}/Data")
    page.get_by_text("Export").first.wait_for(timeout=30_000)
    measure("one tab on the data page")
    page.goto("about:blank")
    measure("no tab on the app")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=60, help="items in the dataset (≥ decisions + 10)")
    parser.add_argument("--decisions", type=int, default=50)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of each idle measurement")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, FLAGS
    from xner.store import Store

    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    store = Store(url)
    dataset = store.create_dataset(DATASET, bench_items(args.items), "en", "de")
    load_before = Path("/proc/loadavg").read_text().split()[0]
    with server(url) as (base, process), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        review = ReviewPage(page, base, store, dataset)
        keys = keyboard_review(review, args.decisions)
        fixes = corrections(review)
        quiet = idle(page, base, process, args.idle)
        browser.close()
    load_after = Path("/proc/loadavg").read_text().split()[0]

    lat = keys["latencies"]
    rows = [
        ["key press → next item drawn (heading and editor), p50", f"{statistics.median(lat):.0f} ms", "", ""],
        ["key press → next item drawn, p95", f"{percentile(lat, 0.95):.0f} ms", "", "≤ 200 ms"],
        ["key press → next item drawn, max", f"{max(lat):.0f} ms", f"over {len(lat)} items", ""],
        ["key press → next item's heading only, p50 / p95", f"{statistics.median(keys['headings']):.0f} ms",
         f"{percentile(keys['headings'], 0.95):.0f} ms", ""],
        ["U (undo) or ← / → → that item drawn, p50 / max",
         f"{statistics.median(keys['other']):.0f} ms" if keys["other"] else "–",
         f"{max(keys['other']):.0f} ms over {len(keys['other'])} presses" if keys["other"] else "", ""],
        ["keyboard-only review: key presses that took effect (checked in the store)",
         f"{keys['effective']} of {keys['presses']}", f"{args.decisions} items decided", "all"],
    ]
    markdown = header("Review at keyboard speed") + (
        f"Real chromium (Playwright) against `streamlit run app.py`, 1280×720, a SQLite store of "
        f"{args.items} Europarl en→de pairs (default aligner, n-gram projection). A key is pressed as soon as "
        f"the item before may be decided (drawn and on screen the minimum {MIN_VIEW_MS} ms: a faster press is "
        "dropped by the page); the time runs from its keydown to the first frame in which the heading and "
        "the editor show the next item. The review mixes A, X, Space, an undo (U) after every tenth "
        "decision, and ← / →. The machine is shared: its load average (1 min) was "
        f"{load_before} when the browser started and {load_after} at the end.\n\n")
    markdown += table(["what", "value", "", "goal"], rows)
    if keys["misses"]:
        markdown += ("\nPresses without the effect asked for (store: one letter per item, . not reviewed, "
                     "a accepted, x rejected, s skipped):\n\n" + "\n".join(f"- {m}" for m in keys["misses"]) + "\n")
    markdown += "\nCorrections in the review page's editor, saved with A, each compared with the stored decision:\n\n"
    markdown += table(["correction", "actions (mouse + key)", "with the save key", "stored as expected"], fixes)
    markdown += (f"\nIdle: CPU time of the server process (and of the browser's processes) over {args.idle:.0f} s "
                 "with nothing done, in % of one core (goal for the server: < 5 %):\n\n")
    markdown += table(["open", "server", "browser", "interval"], quiet)
    publish("review-keyboard", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
