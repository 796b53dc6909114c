"""Schema migrations (Alembic), the start-up check that the schema is current, and
`samverkan db check` (models against migrations).

Every database problem at start-up is a SchemaError with a one-line message: the database
unreachable, a SQLite file that does not exist (never created by a command that only
reads), a schema that is missing or old.

The standard Alembic configuration ships as bot/db/alembic.ini (`alembic -c <that file>
upgrade head`, with DATABASE_URL in the environment). On PostgreSQL every upgrade holds
an advisory lock (migrations/env.py), so two processes starting at once do not both
migrate: the second waits, then finds the schema at head.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

import bot.db.models  # noqa: F401  (fills the metadata that `db check` compares)
from bot.db.base import Base, make_engine

MIGRATIONS = Path(__file__).parent / "migrations"
ALEMBIC_INI = Path(__file__).parent / "alembic.ini"


class SchemaError(Exception):
    pass


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


# ---- reaching the database ------------------------------------------------------------

def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None: not SQLite, or in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def unreachable(engine: Engine, error: DBAPIError) -> SchemaError:
    """One line for a database that cannot be reached (never the password)."""
    reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else type(error).__name__
    return SchemaError(f"cannot reach the database {_shown(engine)} (DATABASE_URL): {reason}")


def require_existing(engine: Engine) -> None:
    """A SQLite file must exist before a command that only uses it (run, export) opens it:
    SQLite would otherwise create an empty one."""
    path = sqlite_file(engine.url.render_as_string(hide_password=False))
    if path is not None and not path.is_file():
        raise SchemaError(f"the database {path} does not exist (DATABASE_URL): "
                          "run `samverkan db upgrade` first, or set DATABASE_URL")


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as e:
        raise unreachable(engine, e) from None


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Applies all migrations; returns (revision before, revision after)."""
    path = sqlite_file(engine.url.render_as_string(hide_password=False))
    if path is not None and not path.parent.is_dir():
        raise SchemaError(f"cannot create the database {path} (DATABASE_URL): "
                          f"the folder {path.parent} does not exist")
    before = current_revision(engine)
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before, current_revision(engine)


def check_current(engine: Engine) -> None:
    """Raises SchemaError naming `samverkan db upgrade` unless the schema is at head."""
    require_existing(engine)
    head, current = head_revision(), current_revision(engine)
    if current is None:
        raise SchemaError("the database has no schema yet: run `samverkan db upgrade` first")
    if current != head:
        raise SchemaError(
            f"the database schema is at revision {current}, this version needs {head}: "
            "run `samverkan db upgrade` first"
        )


def check_database(url: str) -> None:
    """`samverkan run`'s first check: the database exists, answers, and is at head."""
    engine = make_engine(url)
    try:
        check_current(engine)
    finally:
        engine.dispose()


# ---- models against migrations ----------------------------------------------------------

def differences(engine: Engine, other: str = "database") -> list[str]:
    """How the database's schema differs from the models, one line per difference
    (`other` names the database's side in the lines: "database" or "migrations")."""
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return [describe(d, other) for d in compare_metadata(context, Base.metadata)]
    except DBAPIError as e:
        raise unreachable(engine, e) from None


def migrations_against_models() -> list[str]:
    """Runs every migration on a scratch SQLite database in memory and compares the result
    with the models: what `samverkan db check` reports (empty: they agree)."""
    engine = make_engine("sqlite://", poolclass=StaticPool)
    try:
        upgrade(engine)
        return differences(engine, "migrations")
    finally:
        engine.dispose()


def describe(diff: Any, other: str = "database") -> str:
    """One readable line for one of Alembic's autogenerate differences."""
    if isinstance(diff, list):  # column modifications come as a list of tuples
        return "; ".join(describe(d, other) for d in diff)
    kind = diff[0]
    side = "models" if kind.startswith("add") else other
    if kind in ("add_table", "remove_table"):
        return f"table {diff[1].name}: only in the {side}"
    if kind in ("add_column", "remove_column"):
        return f"column {diff[2]}.{diff[3].name}: only in the {side}"
    if kind in ("add_index", "remove_index", "add_constraint", "remove_constraint"):
        item = diff[1]
        table = getattr(getattr(item, "table", None), "name", "?")
        return f"{kind.split('_')[1]} {item.name} on {table}: only in the {side}"
    if kind in ("add_fk", "remove_fk"):
        return f"foreign key {diff[1].name} on {diff[1].parent.name}: only in the {side}"
    if kind.startswith("modify_"):
        _, _, table, column, _, old, new = diff
        return f"column {table}.{column}: {kind[7:]} is {old!r} in the {other}, {new!r} in the models"
    return " ".join(str(part) for part in diff)
