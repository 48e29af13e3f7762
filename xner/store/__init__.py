"""Persistent review state: datasets, items, an append-only decision log and current state."""

from xner.store.store import Store, default_url

__all__ = ["Store", "default_url"]
