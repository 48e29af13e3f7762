"""The app against the network, in a real server and browser (issue 22): it listens on
localhost unless told otherwise, and a team server asks for a login before anything."""

import fcntl
import socket
import struct
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, FLAGS, let_it_be_seen, require_chromium, streamlit_process

ROOT = Path(__file__).resolve().parents[2]


def listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on ``port`` (Linux /proc/net)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                raw = bytes.fromhex(address)
                # /proc writes each 32-bit word in host (little-endian) order
                raw = b"".join(raw[k:k + 4][::-1] for k in range(0, len(raw), 4))
                found.add(socket.inet_ntop(socket.AF_INET if width == 8 else socket.AF_INET6, raw))
    return found


def test_the_app_listens_on_localhost_by_default(tmp_path):
    with streamlit_process(ROOT / "app.py", {"XNER_DB_URL": f"sqlite:///{tmp_path / 'a.db'}"},
                           address=None) as (base, process):
        port = int(base.rsplit(":", 1)[1])
        addresses = listening_addresses(port)
    output = process.stdout.read().decode()
    assert addresses and addresses <= {"127.0.0.1", "::1"}, addresses
    assert "Network URL" not in output and "External URL" not in output, output


def machine_address() -> str | None:
    """An IPv4 address of this machine other than loopback, if it has one."""
    for _, name in socket.if_nameindex():
        if name == "lo":
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                packed = fcntl.ioctl(probe.fileno(), 0x8915, struct.pack("256s", name.encode()[:15]))  # SIOCGIFADDR
            except OSError:
                continue
        return socket.inet_ntoa(packed[20:24])
    return None


def test_without_a_user_list_a_connection_from_elsewhere_is_refused(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    require_chromium()
    address = machine_address()
    if address is None:
        pytest.skip("this machine has no address but loopback to connect from")
    with streamlit_process(ROOT / "pages/2_Data.py", {"XNER_DB_URL": f"sqlite:///{tmp_path / 'a.db'}"},
                           address="0.0.0.0") as (base, _):
        port = base.rsplit(":", 1)[1]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.goto(f"http://{address}:{port}")
            expect(page.get_by_text("This app has no login configured")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Import", exact=True)).to_have_count(0)
            page.goto(base)  # the machine itself may
            expect(page.get_by_role("button", name="Import")).to_be_visible(timeout=30_000)
            browser.close()


def test_a_team_server_asks_for_a_login_and_reviews_under_the_users_name(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from xner.app.auth import add_user
    from xner.projection.base import build_projector
    from xner.store import Store
    from xner.types import Alignment, Entity, SentencePair

    users = tmp_path / "users.toml"
    add_user(users, "ada", "admin-pass", admin=True)
    add_user(users, "rev", "review-pass")
    url = f"sqlite:///{tmp_path / 'team.db'}"
    store = Store(url)
    pair = SentencePair(("Angela", "Merkel", "came"), ("Angela", "Merkel", "kam"), (Entity(0, 2, "PER"),),
                        alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]), id="0")
    store.create_dataset("team-demo", [(pair, build_projector("ngram").project(pair))])
    require_chromium()
    with streamlit_process(ROOT / "app.py", {"XNER_DB_URL": url, "XNER_USERS": str(users)},
                           address="0.0.0.0") as (base, _):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/Review?dataset=team-demo&annotator=mallory")
            expect(page.get_by_text("xner: sign in")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Item 1 of 1")).to_have_count(0)  # nothing before the login
            page.get_by_label("User name").fill("rev")
            page.get_by_role("textbox", name="Password").fill("wrong")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_text("Unknown user name or wrong password.")).to_be_visible(timeout=30_000)
            page.get_by_role("textbox", name="Password").fill("review-pass")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_text("Item 1 of 1")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Signed in as rev")).to_be_visible()
            let_it_be_seen(page)  # a key counts only once its item has been on screen the minimum time
            page.keyboard.press("a")
            expect(page.get_by_text("1/1 reviewed")).to_be_visible(timeout=30_000)
            item = store.item_ids(store.datasets()[0][0])[0]
            assert store.state(item, "rev")[0] == "accept" and store.state(item, "mallory") is None
            browser.close()


def test_an_unexpected_error_shows_no_traceback_and_no_server_path(tmp_path):
    """The one error boundary of every page: .streamlit/config.toml's client.showErrorDetails."""
    from playwright.sync_api import expect, sync_playwright

    script = tmp_path / "broken.py"
    script.write_text("import streamlit as st\nst.write('before')\nopen('/srv/secret/models/weights.bin')\n")
    require_chromium()
    with streamlit_process(script) as (base, _):  # run from the checkout: its config applies
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.goto(base)
            expect(page.get_by_text("before")).to_be_visible(timeout=30_000)
            page.wait_for_timeout(1500)
            text = page.inner_text("body")
            assert "/srv/secret" not in text and "Traceback" not in text and "broken.py" not in text, text
            browser.close()
