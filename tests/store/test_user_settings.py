import pytest

from xner.errors import ConfigError
from xner.store import Store
from xner.store.user_settings import DEFAULT_KEYS, MIN_VIEW_MS, load_settings, save_settings


def test_keys_and_timing_are_each_reviewers_own(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    assert dict(load_settings(store, "ana").keys) == dict(DEFAULT_KEYS)
    assert load_settings(store, "ana").min_view_ms == MIN_VIEW_MS
    saved = save_settings(store, "ana", {"accept": "j", "reject": "k", "skip": "space"}, 200)
    assert (saved.keys["accept"], saved.keys["skip"], saved.min_view_ms) == ("J", "Space", 200)
    assert load_settings(store, "ana") == saved and load_settings(store, "bob").keys["accept"] == "A"
    with pytest.raises(ConfigError, match="key 'K' is given to both"):
        save_settings(store, "ana", {"accept": "k", "reject": "k"})
    with pytest.raises(ConfigError, match="key 'Ctrl' for Undo is not usable"):
        save_settings(store, "ana", {"undo": "Ctrl"})
    with pytest.raises(ConfigError, match="choose 0 to 2000 ms"):
        save_settings(store, "ana", min_view_ms=5000)
    assert load_settings(store, "ana") == saved  # a refused change stores nothing
