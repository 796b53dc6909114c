"""Alembic environment: run by `samverkan db upgrade`, the tests, and `alembic -c
bot/db/alembic.ini ...` (the database is then sqlalchemy.url, else DATABASE_URL).

On PostgreSQL the migrations run under a transaction-scoped advisory lock, taken before
Alembic reads the current revision: of two processes upgrading at once, the second waits
until the first has committed and then finds nothing left to do.
"""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, pool, text

import bot.db.models  # noqa: F401  (fills the metadata)
from bot.config.env import load_settings
from bot.db.base import Base, make_engine

config = context.config
target_metadata = Base.metadata

# pg_advisory_xact_lock key: one lock per schema, so tests in their own schemas do not wait
LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('samverkan-bot migrations ' || current_schema()))"


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text(LOCK_SQL))
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    if config.config_file_name:  # the alembic command line: its ini file sets up logging
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    url = config.get_main_option("sqlalchemy.url") or load_settings().database_url
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _migrate(conn)
    engine.dispose()


if context.is_offline_mode():  # pragma: no cover
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
