"""Alembic's entry point: run the revisions on the connection the store opened (see
:func:`xner.store.migrations.upgrade`), or on ``sqlalchemy.url`` for Alembic's own commands."""

from alembic import context
from sqlalchemy import create_engine

from xner.store.schema import Base


def run(connection) -> None:
    # batch mode: SQLite changes a column by copying its table, which Alembic does for us
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def main(config) -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as opened:
        run(opened)
    engine.dispose()


# Alembic runs this file with its context set up; imported otherwise (pytest collects the
# package's modules for doctests) there is nothing to run
if getattr(context, "config", None) is not None:
    main(context.config)
