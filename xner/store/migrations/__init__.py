"""The store's schema, versioned with Alembic: each change is a revision in ``versions/``.

Opening a store (:class:`xner.store.database.Database`) runs ``upgrade head`` once, under
the write lock: a new store gets every table, a store written by an older xner gets the
revisions it lacks, one made before the schema was versioned is brought to the baseline
(``versions/0001_baseline.py``) without losing a decision. A store written by a newer
xner (a revision this one does not know) is refused with a :class:`ConfigError` naming it.

Changing the schema: edit :mod:`xner.store.schema`, then write the revision that takes a
store from the previous head to it, e.g. from a scratch database at the previous head::

    from alembic import command
    from xner.store.migrations import config
    command.revision(config("sqlite:///scratch.db"), "what changed", autogenerate=True)

and test it on a store made by the previous code (tests/store/test_migrations.py).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from xner.errors import ConfigError

if TYPE_CHECKING:
    from xner.store.database import Database

HERE = Path(__file__).resolve().parent
# PostgreSQL advisory lock held while the schema is upgraded: several first starts at
# once, one upgrades, the others wait and find it done
_LOCK = 7318


def config(url: str | None = None) -> Config:
    """An Alembic configuration for these revisions (``url``: for Alembic's own commands)."""
    alembic = Config()
    alembic.set_main_option("script_location", str(HERE))
    if url is not None:
        alembic.set_main_option("sqlalchemy.url", url)
    return alembic


@cache
def _revisions() -> tuple[str, frozenset[str]]:
    # read once per process: Alembic loads every revision file to know them
    script = ScriptDirectory(str(HERE))
    return script.get_current_head(), frozenset(s.revision for s in script.walk_revisions())


def head() -> str:
    """The newest revision this xner knows."""
    return _revisions()[0]


def revision(connection) -> tuple[str, ...]:
    """The revisions a store is at (none before the schema was versioned or for a new one)."""
    return tuple(MigrationContext.configure(connection).get_current_heads())


def upgrade(database: Database) -> None:
    """Bring the store to :func:`head`; a store already there is only read, not locked."""
    newest = head()
    with database.engine.connect() as connection:
        current = revision(connection)
    _refuse_newer(database, current)
    if current == (newest,):
        return
    with database._write_engine.begin() as connection:
        if database.dialect == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({_LOCK})"))
        current = revision(connection)  # again, under the lock: another process may have done it
        _refuse_newer(database, current)
        if current != (newest,):
            alembic = config()
            alembic.attributes["connection"] = connection
            command.upgrade(alembic, "head")


def _refuse_newer(database: Database, current: tuple[str, ...]) -> None:
    unknown = [rev for rev in current if rev not in _revisions()[1]]
    if not unknown:
        return
    url = database.engine.url
    where = (f"file {url.database}" if database.dialect == "sqlite"
             else f"database {url.render_as_string(hide_password=True)}")
    raise ConfigError(
        f"the review store ({where}) was written by a newer xner: its schema is at revision {unknown[0]}, "
        f"this xner knows revisions up to {head()}; nothing was changed. Upgrade xner (the same version "
        "as the one that wrote it), or point XNER_DB_URL (or XNER_HOME) at another store")
