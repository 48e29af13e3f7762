"""Persistent review state: datasets, items, an append-only decision log and current state."""

from xner.store.database import default_url
from xner.store.store import Store

__all__ = ["Store", "default_url"]
