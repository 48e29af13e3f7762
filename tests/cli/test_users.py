import sys

from xner.app.auth import read_users
from xner.cli import main


def run(monkeypatch, capsys, stdin: str, *args):
    import io

    monkeypatch.setattr(sys, "argv", ["xner", "users", "add", *args, "--password-stdin"])
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        main()
    except SystemExit as exit_:
        assert not exit_.code, capsys.readouterr().err
    return capsys.readouterr().err


def test_users_add_writes_hashes_and_says_when_the_list_is_not_usable_yet(tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.toml"
    err = run(monkeypatch, capsys, "review-pass\n", str(path), "rev")
    assert "user rev saved" in err and "note: the app cannot use this list yet" in err and "no user has admin" in err
    err = run(monkeypatch, capsys, "admin-pass\n", str(path), "ada", "--admin")
    assert "admin ada saved" in err and "note:" not in err
    users = read_users(path)
    assert "review-pass" not in path.read_text() and "admin-pass" not in path.read_text()
    assert users.login("rev", "review-pass").admin is False and users.login("ada", "admin-pass").admin is True
    run(monkeypatch, capsys, "new-pass\n", str(path), "rev")  # a new password for rev, ada kept
    assert read_users(path).login("rev", "new-pass") and read_users(path).login("ada", "admin-pass")
