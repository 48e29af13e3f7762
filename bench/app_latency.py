"""The app's responsiveness: cold start, re-projection after a parameter change, and the
round trip of a review decision.

1. Cold start: from launching `streamlit run app.py` to the live page showing its
   inputs in a real browser that is already running (Debian chromium via Playwright,
   started before the timer); models load in the background, and the first
   projection's time is reported too.
2. Re-projection: the live page rerun after a projection parameter changes (Streamlit
   AppTest, slow stages cached), and the projection call alone.
3. Review decision: what the review page does per decision on the embedded SQLite
   store (record the decision, fetch the next item, its record, and the progress).

    python -m bench.app_latency [--no-write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.report import header, publish, table

ROOT = Path(__file__).resolve().parents[1]


def percentiles(values):
    values = sorted(values)
    return statistics.median(values), values[int(0.95 * (len(values) - 1))]


def cold_start() -> tuple[float, float]:
    from playwright.sync_api import expect, sync_playwright

    from tests.test_browser import CHROMIUM, FLAGS, free_port

    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "XNER_DB_URL": f"sqlite:///{tempfile.mkdtemp()}/bench.db"}
    with sync_playwright() as playwright:
        # the browser is started first: its own start-up is not the app's
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                    "--server.headless", "true", "--server.address", "127.0.0.1"],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.05)
            page.goto(f"http://127.0.0.1:{port}")
            expect(page.get_by_role("button", name="Project")).to_be_visible(timeout=60_000)
            usable = time.perf_counter() - start
            clicked = time.perf_counter()
            page.get_by_role("button", name="Project").click()
            expect(page.get_by_text("París LOC")).to_be_visible(timeout=180_000)
            first = time.perf_counter() - clicked
        finally:
            browser.close()
            process.terminate()
            process.wait(timeout=10)
    return usable, first


def reprojection(runs: int = 20) -> tuple[tuple[float, float], tuple[float, float]]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    at.button(key="project").click().run()
    page_times = []
    for k in range(runs):
        start = time.perf_counter()
        at.selectbox(key="method").set_value(["heuristic", "ngram"][k % 2]).run()
        page_times.append(1000 * (time.perf_counter() - start))
    assert not at.exception
    from xner.alignment.embedding import EmbeddingAligner
    from xner.io.conll import read_conll
    from xner.projection.base import build_projector
    from xner.types import SentencePair
    from bench.report import SHARED_DATA

    en = read_conll(SHARED_DATA / "europarl/en.europarl.test.conll")[:200]
    de = read_conll(SHARED_DATA / "europarl/de.europarl.test.conll")[:200]
    alignments = EmbeddingAligner().align([(s.words, t.words) for s, t in zip(en, de)])
    projector = build_projector("ngram")
    call_times = []
    for s, t, a in zip(en, de, alignments):
        pair = SentencePair(s.words, t.words, s.entities, alignment=a)
        start = time.perf_counter()
        projector.project(pair)
        call_times.append(1000 * (time.perf_counter() - start))
    return percentiles(page_times), percentiles(call_times)


def review_round_trip(decisions: int = 200) -> tuple[float, float]:
    from xner.projection.base import build_projector
    from xner.store import Store
    from xner.types import Alignment, Entity, SentencePair

    store = Store(f"sqlite:///{tempfile.mkdtemp()}/review.db")
    pair = SentencePair(("Angela", "Merkel", "kam"), ("Angela", "Merkel", "came"), (Entity(0, 2, "PER"),),
                        alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]))
    dataset = store.create_dataset("bench", [(pair, build_projector("ngram").project(pair))] * decisions)
    times = []
    for _ in range(decisions):
        start = time.perf_counter()
        item = store.next_item(dataset, "ana")
        store.item(item)
        store.record(item, "ana", "accept", [Entity(0, 2, "PER")])
        store.progress(dataset, "ana")
        times.append(1000 * (time.perf_counter() - start))
    return percentiles(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    usable, first = cold_start()
    (page50, page95), (call50, call95) = reprojection()
    review50, review95 = review_round_trip()
    rows = [
        ["cold start → live page usable (server start to inputs shown in a running browser)", f"{usable:.1f} s", "", "≤ 5 s"],
        ["first projection after start (models warming in the background)", f"{first:.1f} s", "", ""],
        ["re-projection after a parameter change (page rerun)", f"{page50:.0f} ms", f"{page95:.0f} ms", "≤ 100 ms"],
        ["re-projection, the projection call alone (n-gram)", f"{call50:.1f} ms", f"{call95:.1f} ms", ""],
        ["review decision round trip (SQLite store)", f"{review50:.1f} ms", f"{review95:.1f} ms", "≤ 200 ms"],
    ]
    markdown = header("Review app latency") + table(["what", "p50 / value", "p95", "goal"], rows)
    publish("app-latency", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
