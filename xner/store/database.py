"""Where the store's rows live: the engine, its sessions, and writes as short transactions
retried while another process holds the lock.

Embedded default: a SQLite file (WAL journal, busy timeout, foreign keys) at
``$XNER_HOME/xner.db``; ``XNER_DB_URL`` switches to any SQLAlchemy URL (PostgreSQL).
Reads never take the write lock; writes take it up front (SQLite ``BEGIN IMMEDIATE``)
for one short transaction each. A write that finds the store locked is retried, then
refused with :class:`~xner.errors.StoreBusyError`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from xner.errors import ConfigError, StoreBusyError

T = TypeVar("T")


def default_url() -> str:
    url = os.environ.get("XNER_DB_URL")
    if url:
        return url
    home = Path(os.environ.get("XNER_HOME", Path.home() / ".cache" / "xner"))
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'xner.db'}"


def _sqlite_setup(engine, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(connection, _record):
        connection.isolation_level = None  # let us issue BEGIN ourselves
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # writers take the lock up front, so two writers queue instead of deadlocking on
        # a lock upgrade; readers take none (WAL: they read a snapshot)
        write = connection.get_execution_options().get("xner_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _transient(error: OperationalError) -> bool:
    message = str(error.orig).lower()
    return any(word in message for word in ("locked", "busy", "could not serialize", "deadlock"))


class Database:
    """An open store: ``sessions()`` for reads, :meth:`_write` for one write transaction.

    Opening brings the schema up to date (:func:`xner.store.migrations.upgrade`).
    """

    def __init__(self, url: str | None = None, *, busy_ms: int = 2000, retries: int = 5) -> None:
        from xner.store.migrations import upgrade  # Alembic is loaded when a store is opened, not on import

        self.url = url or default_url()
        self.retries = retries
        try:
            self.engine = create_engine(self.url)
        except Exception as error:  # noqa: BLE001 - a malformed URL or a missing driver
            raise ConfigError(f"XNER_DB_URL / store URL {self.url!r} is not usable: {error}") from None
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine, busy_ms)
        self._write_engine = self.engine.execution_options(xner_write=True)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self._write_engine, expire_on_commit=False)
        self._with_retry(lambda: upgrade(self))

    def _with_retry(self, work: Callable[[], T]) -> T:
        delay = 0.02
        for attempt in range(self.retries):
            try:
                return work()
            except OperationalError as error:
                if not _transient(error):
                    raise
                if attempt == self.retries - 1:
                    raise StoreBusyError(
                        "the review store is busy (another process holds its write lock); nothing was "
                        "stored — try again in a moment") from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one write transaction, retried while the store is locked."""

        def attempt() -> T:
            with self._writes.begin() as session:
                return work(session)

        return self._with_retry(attempt)

    def _insert(self, table):
        """An INSERT with this dialect's ``on_conflict_do_*`` (an upsert)."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif self.dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:  # pragma: no cover - the store supports SQLite and PostgreSQL
            raise ConfigError(f"the review store needs SQLite or PostgreSQL, not {self.dialect}")
        return insert(table)
