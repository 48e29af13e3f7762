"""Shared by the browser tests: a real `streamlit run` server and Debian's chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# without the background-networking flags chromium keeps trying to reach Google (no network here)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


# the review page is drawn for one item: its decision buttons and its editor name the same
# item and revision (between the two, the editor's gate drops a decision key)
DRAWN = """() => {
  let editor = null;
  for (const host of document.querySelectorAll('[data-testid="stBidiComponentIsolated"], .stBidiComponent')) {
    editor = (host.shadowRoot || host).querySelector('[data-testid="projection-editor"]') || editor;
  }
  if (!editor) return false;
  const buttons = Array.from(document.querySelectorAll('[class*="st-key-accept-"]'));
  const mark = `st-key-accept-${editor.dataset.item}-${editor.dataset.revision}`;
  return buttons.length > 0 && buttons.every((b) => b.classList.contains(mark));
}"""


# When each item's editor was first painted (keyed by the text of target word 2, which the
# caller makes unique per item), and when each key press got past the editor's gate (a
# listener on document, capturing: it runs after the gate's on window).
PAINTS = """(() => {
  window.__painted = {};
  const look = () => {
    for (const host of document.querySelectorAll('[data-testid="stBidiComponentIsolated"], .stBidiComponent')) {
      const word = (host.shadowRoot || host).querySelector('[data-testid="projection-editor"] [data-t="2"] .xe-t');
      if (word && !(word.textContent in window.__painted)) window.__painted[word.textContent] = performance.now();
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
  window.__presses = [];
  document.addEventListener('keydown', () => window.__presses.push(performance.now()), true);
})()"""


def seen_too_briefly(page, decided: dict[int, str], min_ms: float) -> list[int]:
    """The decided items (number → the word that tells them apart) that no press let through
    while they were on screen at least ``min_ms``: from their editor's first paint on, and
    before the next item's (``decided`` in the order the items came)."""
    painted, presses = page.evaluate("window.__painted"), page.evaluate("window.__presses")
    order = sorted(decided)
    unseen = []
    for k, number in enumerate(order):
        start = painted.get(decided[number])
        later = [painted[decided[n]] for n in order[k + 1:] if decided[n] in painted]
        end = min(later) if later else float("inf")
        if start is None or not any(start + min_ms <= p < end for p in presses):
            unseen.append(number)
    return unseen


def let_it_be_seen(page) -> None:
    """Wait until the item on screen may be decided: drawn (buttons and editor alike) and
    on screen the reviewer's minimum time (xner.store.user_settings.MIN_VIEW_MS); a key
    pressed sooner is dropped, as it should be."""
    from xner.store.user_settings import MIN_VIEW_MS

    page.wait_for_function(DRAWN, timeout=30_000, polling="raf")
    page.wait_for_timeout(MIN_VIEW_MS + 100)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: scripts/setup.sh test installs it")


@contextmanager
def streamlit_server(script: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``streamlit run script`` on a free loopback port; yields its base URL once healthy."""
    require_chromium()
    with streamlit_process(script, env) as (base, _):
        yield base


@contextmanager
def streamlit_process(script: Path, env: dict[str, str] | None = None, timeout: float = 60,
                      address: str | None = "127.0.0.1") -> Iterator[tuple[str, subprocess.Popen]]:
    """Like :func:`streamlit_server`, yielding (base URL, server process); ``address``: where
    it listens (``None``: as .streamlit/config.toml says)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         *(["--server.address", address] if address else []), "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
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
        time.sleep(0.3)
    try:
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
