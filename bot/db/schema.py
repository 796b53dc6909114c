"""Schema migrations (Alembic) and the start-up check that the schema is current."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaError(Exception):
    pass


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Applies all migrations; returns (revision before, revision after)."""
    before = current_revision(engine)
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before, current_revision(engine)


def check_current(engine: Engine) -> None:
    """Raises SchemaError naming `samverkan db upgrade` unless the schema is at head."""
    head, current = head_revision(), current_revision(engine)
    if current is None:
        raise SchemaError("the database has no schema yet: run `samverkan db upgrade` first")
    if current != head:
        raise SchemaError(
            f"the database schema is at revision {current}, this version needs {head}: "
            "run `samverkan db upgrade` first"
        )
