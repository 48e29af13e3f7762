"""A reviewer's own settings, stored under their name: the keys of the review page and the
time an item must be on screen before a key decides it.

>>> ReviewSettings().keys["accept"], ReviewSettings().min_view_ms
('A', 150)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Mapping

from sqlalchemy.orm import Session

from xner.errors import ConfigError
from xner.store.schema import UserSettings

if TYPE_CHECKING:
    from xner.store.store import Store

# what each review key does, and its default (Streamlit shortcut names). Backspace and
# Delete belong to the editor (delete a span), so undo is a letter of its own.
ACTIONS = {"accept": "Accept / save the correction", "reject": "Reject", "skip": "Skip", "undo": "Undo",
           "previous": "Previous item", "next": "Next item"}
DEFAULT_KEYS = MappingProxyType({"accept": "A", "reject": "X", "skip": "Space", "undo": "U",
                                 "previous": "Left", "next": "Right"})
# a press counts only when its item has been on screen this long (a reviewer needs about
# 150 ms to see an item at all; a double tap comes 60-260 ms apart)
MIN_VIEW_MS = 150
NAMED = {name.lower(): name for name in ("Space", "Left", "Right", "Up", "Down", "Enter", "Home", "End", "PageUp",
                                         "PageDown")}


@dataclass(frozen=True)
class ReviewSettings:
    keys: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS))
    min_view_ms: int = MIN_VIEW_MS


def check_key(action: str, key: str) -> str:
    """A key as a shortcut name: one letter or digit (upper case) or a named key."""
    key = key.strip()
    if action not in ACTIONS:
        raise ConfigError(f"unknown review action {action!r}; choose one of: {', '.join(ACTIONS)}")
    if len(key) == 1 and key.isalnum():
        return key.upper()
    if key.lower() in NAMED:
        return NAMED[key.lower()]
    raise ConfigError(f"key {key!r} for {ACTIONS[action]} is not usable: give one letter or digit, or one of "
                      f"{', '.join(NAMED.values())}")


def validated(keys: Mapping[str, str], min_view_ms: int) -> ReviewSettings:
    merged = {**DEFAULT_KEYS, **{a: check_key(a, k) for a, k in keys.items()}}
    seen: dict[str, str] = {}
    for action, key in merged.items():
        if key.lower() in seen:
            raise ConfigError(f"key {key!r} is given to both {ACTIONS[seen[key.lower()]]} and {ACTIONS[action]}; "
                              "give each its own key")
        seen[key.lower()] = action
    if not 0 <= int(min_view_ms) <= 2000:
        raise ConfigError(f"the minimum time on screen is {min_view_ms} ms; choose 0 to 2000 ms")
    return ReviewSettings(merged, int(min_view_ms))


def load_settings(store: Store, annotator: str) -> ReviewSettings:
    with store.sessions() as session:
        row = session.get(UserSettings, annotator)
        stored = dict(row.settings) if row is not None else {}
    try:
        return validated(stored.get("keys", {}), stored.get("min_view_ms", MIN_VIEW_MS))
    except ConfigError:  # settings an older version stored: the defaults, rather than no page
        return ReviewSettings()


def save_settings(store: Store, annotator: str, keys: Mapping[str, str] | None = None,
                  min_view_ms: int | None = None) -> ReviewSettings:
    """Check and store the annotator's settings (given ones replace the stored ones)."""
    current = load_settings(store, annotator)
    settings = validated(dict(keys if keys is not None else current.keys),
                         current.min_view_ms if min_view_ms is None else min_view_ms)
    value = {"keys": dict(settings.keys), "min_view_ms": settings.min_view_ms}

    def work(session: Session) -> None:
        row = session.get(UserSettings, annotator)
        if row is None:
            session.add(UserSettings(annotator=annotator, settings=value))
        else:
            row.settings = value

    store._write(work)
    return settings

