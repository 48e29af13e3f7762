"""A real browser against `streamlit run`: Debian's chromium driven by Playwright.

Opens the live page and projects a sentence, accepts an item in the review queue with
the keyboard, exports the reviewed data and checks the downloaded file. Screenshots go
to docs/screenshots/ (shown in the README).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from xner.projection.base import build_projector
from xner.store import Store
from xner.types import Alignment, Entity, SentencePair

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: scripts/setup.sh test installs it")
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    store = Store(url)
    items = []
    for k, (en, de) in enumerate([("Angela Merkel came", "Angela Merkel kam"), ("Paris is big", "Paris ist groß")]):
        pair = SentencePair(tuple(en.split()), tuple(de.split()), (Entity(0, 2 - k, "PER" if k == 0 else "LOC"),),
                            alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]), id=str(k))
        items.append((pair, build_projector("ngram").project(pair)))
    store.create_dataset("browser-demo", items, "en", "de")
    port = free_port()
    env = {**os.environ, "XNER_DB_URL": url, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.time() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"streamlit did not start: {process.stdout.read().decode()[-2000:]}")
        time.sleep(0.5)
    yield base, store
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


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

        page.goto(f"{base}/Review")
        page.get_by_label("Annotator").fill("ana")
        page.get_by_label("Annotator").press("Enter")
        expect(page.get_by_role("button", name="Accept (A)")).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)  # let the shortcut script attach
        page.locator("h1").click()  # focus out of the text field
        page.keyboard.press("a")
        expect(page.get_by_text("1/2 reviewed")).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "review.png"), full_page=True)
        dataset = store.datasets()[0][0]
        first = store.item_ids(dataset)[0]
        assert store.state(first, "ana") == ("accept", (Entity(0, 2, "PER"),))

        page.goto(f"{base}/Data")
        page.get_by_label("Annotator").fill("ana")
        page.get_by_label("Annotator").press("Enter")
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
        browser.close()
    assert path.read_text() == "Angela\tB-PER\nMerkel\tI-PER\nkam\tO\n\n"
