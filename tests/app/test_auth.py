"""The user list of a team server (xner.app.auth) and the pages' gate (xner.app.access)."""

import html
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from xner.app import auth
from xner.app.auth import add_user, check_password, hash_password, read_users
from xner.errors import ConfigError
from xner.store.user_settings import MIN_VIEW_MS

ROOT = Path(__file__).resolve().parents[2]


def test_passwords_are_salted_scrypt_hashes_checked_in_constant_time():
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$16384$8$1$") and "correct" not in stored
    assert stored != hash_password("correct horse")  # a fresh salt each time
    assert check_password("correct horse", stored)
    assert not check_password("correct hors", stored) and not check_password("", stored)
    assert not check_password("x", "plain-text") and not check_password("x", "scrypt$1$2$3$!!$!!")
    with pytest.raises(ConfigError, match="cannot be empty"):
        hash_password("")


@pytest.fixture
def users(tmp_path, monkeypatch):
    path = tmp_path / "users.toml"
    add_user(path, "ada", "admin-pass", admin=True)
    add_user(path, "rev", "review-pass")
    monkeypatch.setattr(auth.time, "sleep", lambda seconds: None)  # the pause after a failed login
    return path


def test_a_user_list_logs_in_its_users_only(users):
    listed = read_users(users)
    assert listed.login("ada", "admin-pass") == auth.User("ada", admin=True)
    assert listed.login(" rev ", "review-pass") == auth.User("rev", admin=False)
    assert listed.login("rev", "admin-pass") is None and listed.login("eve", "admin-pass") is None
    assert oct(users.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("text, problem", [
    ("[users.ana]\nadmin = true\n", "user 'ana' needs password = \"scrypt$...\""),
    ('[users.ana]\npassword = "hunter2"\nadmin = true\n', "user 'ana' needs password"),
    ('[users.ana]\npassword = "scrypt$x"\n', "no user has admin = true"),
    ('[users.ana]\npassword = "scrypt$x"\nadmin = "yes"\n', "admin must be true or false"),
    ("users = 3\n", "no [users.NAME] entries"),
    ("[users\n", "not valid TOML"),
])
def test_a_broken_user_list_is_named_with_what_to_fix(tmp_path, text, problem):
    path = tmp_path / "users.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        read_users(path)
    assert str(path) in str(caught.value) and problem in str(caught.value)
    with pytest.raises(ConfigError, match="no such file"):
        read_users(tmp_path / "missing.toml")


# -- the gate on every page (AppTest runs a page without a server) -------------------

PAGES = sorted(["app.py", *(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))])  # every page


@pytest.fixture
def team(users, tmp_path, monkeypatch):
    """A team server's settings: the user list and a store with one dataset."""
    from xner.projection.base import build_projector
    from xner.store import Store
    from xner.types import Alignment, Entity, SentencePair

    monkeypatch.setenv("XNER_USERS", str(users))
    url = f"sqlite:///{tmp_path / 'team.db'}"
    monkeypatch.setenv("XNER_DB_URL", url)
    store = Store(url)
    pair = SentencePair(("Angela", "Merkel", "came"), ("Angela", "Merkel", "vino"), (Entity(0, 2, "PER"),),
                        alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]), id="0")
    store.create_dataset("demo", [(pair, build_projector("ngram").project(pair))])
    return store


@pytest.mark.parametrize("page", PAGES)
def test_every_page_asks_for_a_login_first_when_users_are_configured(team, page):
    at = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["xner: sign in"]
    assert {w.key for w in at.text_input} == {"sign_in_name", "sign_in_password"}  # nothing of the page itself
    assert [b.label for b in at.button] == ["Sign in"] and not at.selectbox and not at.dataframe


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="sign_in_name").set_value(name)
    at.text_input(key="sign_in_password").set_value(password)
    return at.button[0].click().run()


def test_a_wrong_password_is_refused_and_the_annotator_is_the_signed_in_user(team):
    at = AppTest.from_file(str(ROOT / "pages/1_Review.py"), default_timeout=60)
    at.query_params["annotator"] = "someone-else"  # a URL cannot choose whose decisions these are
    at.run()
    sign_in(at, "rev", "wrong")
    assert "Unknown user name or wrong password." in at.error[0].value and at.title[0].value == "xner: sign in"
    sign_in(at, "rev", "review-pass")
    assert not at.exception and not at.error
    assert at.text_input(key="signed_annotator").value == "rev" and at.text_input(key="signed_annotator").disabled
    item = team.item_ids(team.datasets()[0][0])[0]
    time.sleep(MIN_VIEW_MS / 1000 + 0.1)  # a decision counts only once its item has been on screen that long
    next(b for b in at.button if b.key.startswith(f"accept-{item}-")).click().run()
    assert team.state(item, "rev")[0] == "accept" and team.state(item, "someone-else") is None


def test_only_admins_import_export_and_start_sweeps(team):
    at = AppTest.from_file(str(ROOT / "pages/2_Data.py"), default_timeout=60).run()
    sign_in(at, "rev", "review-pass")
    assert "Only admins import, export or delete data; you are signed in as rev" in html.unescape(at.info[0].value)
    assert not [b for b in at.button if b.key == "import"] and not at.get("download_button")
    at = AppTest.from_file(str(ROOT / "pages/3_Scaling.py"), default_timeout=60).run()
    sign_in(at, "rev", "review-pass")
    assert any("Only admins start sweeps" in html.unescape(i.value) for i in at.info)
    assert not at.get("form_submit_button") or all(b.label != "Run" for b in at.get("form_submit_button"))
    at = AppTest.from_file(str(ROOT / "pages/6_Adjudicate.py"), default_timeout=60).run()
    sign_in(at, "rev", "review-pass")
    assert any("Only admins adjudicate" in html.unescape(i.value) for i in at.info)
    at = AppTest.from_file(str(ROOT / "pages/2_Data.py"), default_timeout=60).run()
    sign_in(at, "ada", "admin-pass")
    assert not at.exception and at.button(key="import") and at.selectbox(key="export_dataset")
    at = AppTest.from_file(str(ROOT / "pages/6_Adjudicate.py"), default_timeout=60).run()
    sign_in(at, "ada", "admin-pass")
    assert not at.exception and at.text_input(key="signed_curator").value == "ada"


def test_a_broken_user_list_serves_nothing(team, monkeypatch, tmp_path):
    (tmp_path / "broken.toml").write_text("[users\n")
    monkeypatch.setenv("XNER_USERS", str(tmp_path / "broken.toml"))
    at = AppTest.from_file(str(ROOT / "pages/1_Review.py"), default_timeout=60).run()
    assert "The app's user list is not usable" in html.unescape(at.error[0].value)
    assert not at.selectbox and not at.button
