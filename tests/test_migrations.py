"""The Alembic migrations build exactly the schema of the models, on both databases."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import bot.db.models  # noqa: F401
from bot.db.base import Base, make_engine
from bot.db.schema import SchemaError, check_current, current_revision, head_revision, upgrade


def test_migrations_match_models_and_run_checks_them(database_url):
    engine = make_engine(database_url)
    try:
        try:
            check_current(engine)
            raise AssertionError("an empty database must be refused")
        except SchemaError as e:
            assert "samverkan db upgrade" in str(e)
        before, after = upgrade(engine)
        assert before is None and after == head_revision() == current_revision(engine)
        check_current(engine)  # no error now
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert upgrade(engine) == (head_revision(), head_revision())  # idempotent
    finally:
        engine.dispose()
