"""Who uses the app: nobody but this machine, or the users of a configured list.

Without configuration the app is for the machine it runs on: ``.streamlit/config.toml``
binds it to localhost, and a connection from another address is refused here as well (in
case it was started with ``--server.address 0.0.0.0``). For a team, ``XNER_USERS`` names a
TOML file of users with scrypt-hashed passwords (``xner users add FILE NAME [--admin]``
writes one)::

    [users.ana]
    password = "scrypt$16384$8$1$<salt>$<hash>"
    admin = true

Every page then asks for a login first (:func:`gate`); the annotator is the logged-in
user, and only admins import, export or delete data. Passwords are compared in constant
time; a failed login waits a second, so guessing is slow.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from xner.errors import ConfigError

USERS_ENV = "XNER_USERS"
# scrypt's cost: 16 MiB and about 50 ms a check (OWASP's minimum is N=2^17 with r=8 for
# one-off hashing; a login form on a small team server checks rarely, so this suffices)
N, R, P = 2 ** 14, 8, 1
NAME = re.compile(r"[\w.@+-]{1,100}")


@dataclass(frozen=True)
class User:
    name: str
    admin: bool = False


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64) of ``password`` with a fresh salt."""
    if not password:
        raise ConfigError("a password cannot be empty")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return "$".join(["scrypt", str(N), str(R), str(P), base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (from :func:`hash_password`); constant time."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        found = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                               dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, expected)


@dataclass(frozen=True)
class UserList:
    path: Path
    passwords: dict[str, str]
    admins: frozenset[str]

    def login(self, name: str, password: str) -> User | None:
        """The user, when ``name`` and ``password`` match; else ``None`` after a pause."""
        stored = self.passwords.get(name.strip())
        # a name that does not exist costs as much as a wrong password: no probing for names
        ok = check_password(password, stored or _DUMMY)
        if ok and stored is not None:
            return User(name.strip(), name.strip() in self.admins)
        time.sleep(1.0)
        return None


_DUMMY = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def configured_users() -> UserList | None:
    """The user list ``XNER_USERS`` names, or ``None`` when it is not set (local use only)."""
    value = os.environ.get(USERS_ENV, "").strip()
    return read_users(Path(value)) if value else None


def read_users(path: Path) -> UserList:
    """Read and check a user list; every mistake is a :class:`ConfigError` naming the file and user."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{USERS_ENV}={path}: no such file (create it with: xner users add {path} NAME --admin)"
                          ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{USERS_ENV}={path}: cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    users = data.get("users")
    if not isinstance(users, dict) or not users:
        raise ConfigError(f"{path}: no [users.NAME] entries (add one with: xner users add {path} NAME --admin)")
    passwords, admins = {}, set()
    for name, entry in users.items():
        if not NAME.fullmatch(name):
            raise ConfigError(f"{path}: user {name!r}: a name has letters, digits and . _ @ + - only")
        if not isinstance(entry, dict) or not str(entry.get("password", "")).startswith("scrypt$"):
            raise ConfigError(f"{path}: user {name!r} needs password = \"scrypt$...\" (made by: xner users add)")
        if not isinstance(entry.get("admin", False), bool):
            raise ConfigError(f"{path}: user {name!r}: admin must be true or false")
        passwords[name] = entry["password"]
        if entry.get("admin", False):
            admins.add(name)
    if not admins:
        raise ConfigError(f"{path}: no user has admin = true, so nobody could import or export data")
    return UserList(path, passwords, frozenset(admins))


def add_user(path: Path, name: str, password: str, admin: bool = False) -> None:
    """Add (or replace) ``name`` in the user list at ``path``, creating the file."""
    if not NAME.fullmatch(name):
        raise ConfigError(f"user {name!r}: a name has letters, digits and . _ @ + - only")
    text = path.read_text(encoding="utf-8") if path.exists() else (
        "# xner app users (XNER_USERS): passwords are scrypt hashes; add users with `xner users add`\n")
    users = tomllib.loads(text).get("users", {}) if text.strip() else {}
    users[name] = {"password": hash_password(password), "admin": admin}
    lines = [line for line in text.splitlines() if line.startswith("#")]
    for user, entry in users.items():
        lines += ["", f"[users.{user}]" if re.fullmatch(r"[\w-]+", user) else f'[users."{user}"]',
                  f'password = "{entry["password"]}"', f"admin = {'true' if entry.get('admin') else 'false'}"]
    from xner.io.files import write_atomic

    write_atomic(path, "\n".join(lines) + "\n")
    os.chmod(path, 0o600)  # hashes, but still nobody else's business
