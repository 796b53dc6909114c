"""`samverkan db check`, the shipped alembic.ini, and the advisory lock around upgrades."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import Column, Integer, Table, text

from bot.cli import main
from bot.db.base import Base, make_engine
from bot.db.schema import ALEMBIC_INI, current_revision, differences, head_revision, migrations_against_models, upgrade


def test_db_check_passes_when_the_migrations_build_the_models(capsys):
    assert main(["db", "check"]) == 0
    assert capsys.readouterr().out.strip() == "samverkan db check: the models and the migrations agree"


def test_db_check_names_a_model_change_without_a_migration(capsys):
    probe = Table("db_check_probe", Base.metadata, Column("id", Integer, primary_key=True))
    try:
        assert migrations_against_models() == ["table db_check_probe: only in the models"]
        assert main(["db", "check"]) == 1
        assert capsys.readouterr().out.strip() == "samverkan db check: table db_check_probe: only in the models"
    finally:
        Base.metadata.remove(probe)


def test_db_check_database_reports_each_difference(database_url, monkeypatch, capsys):
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        assert differences(engine) == []
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE stray (id INTEGER PRIMARY KEY)"))
            conn.execute(text("ALTER TABLE outbox ADD COLUMN extra TEXT"))
        monkeypatch.setenv("DATABASE_URL", database_url)
        assert main(["db", "check", "--database"]) == 1
        lines = capsys.readouterr().out.strip().splitlines()
        assert sorted(lines) == ["samverkan db check: column outbox.extra: only in the database",
                                 "samverkan db check: table stray: only in the database"]
    finally:
        engine.dispose()


def test_db_check_database_refuses_an_empty_database(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    if database_url.startswith("sqlite"):
        make_engine(database_url).connect().close()  # an empty file
    assert main(["db", "check", "--database"]) == 1
    assert "no schema yet: run `samverkan db upgrade` first" in capsys.readouterr().err


@pytest.mark.slow
def test_the_shipped_alembic_ini_upgrades_with_database_url(database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url}
    out = subprocess.run([sys.executable, "-m", "alembic", "-c", str(ALEMBIC_INI), "upgrade", "head"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Running upgrade  -> 0001" in out.stderr
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == head_revision() and differences(engine) == []
    finally:
        engine.dispose()


# requests for this schema's migration lock not granted yet (a bigint key is split over
# classid, the high 32 bits, and objid, the low ones)
WAITING_FOR_OUR_LOCK = """
SELECT count(*) FROM pg_locks, (SELECT hashtext('samverkan-bot migrations ' || current_schema())::bigint AS k) key
WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND classid::bigint = ((key.k >> 32) & 4294967295) AND objid::bigint = (key.k & 4294967295)
"""


def _postgresql_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("advisory locks are PostgreSQL's; SQLite's BEGIN IMMEDIATE serialises upgrades")


def test_upgrade_waits_for_the_migration_lock(database_url):
    """Another process holding the lock (here: a session-level lock on the same key) keeps
    an upgrade from starting until it is released."""
    _postgresql_only(database_url)
    engine = make_engine(database_url)
    holder = engine.connect()
    try:
        holder.execute(text("SELECT pg_advisory_lock(hashtext('samverkan-bot migrations ' || current_schema()))"))
        holder.commit()
        done: list = []
        worker = threading.Thread(target=lambda: done.append(upgrade(engine)))
        worker.start()
        waiting = 0
        deadline = time.monotonic() + 60
        while not waiting and worker.is_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
            waiting = holder.execute(text(WAITING_FOR_OUR_LOCK)).scalar()
            holder.commit()
        assert waiting == 1 and not done  # the upgrade waits for the lock
        assert current_revision(engine) is None
        holder.execute(text("SELECT pg_advisory_unlock(hashtext('samverkan-bot migrations ' || current_schema()))"))
        holder.commit()
        worker.join(timeout=60)
        assert done == [(None, head_revision())]
    finally:
        holder.close()
        engine.dispose()


@pytest.mark.slow
def test_two_processes_upgrading_at_once_both_succeed(database_url, tmp_path):
    _postgresql_only(database_url)
    env = {**os.environ, "DATABASE_URL": database_url}
    procs = [subprocess.Popen([sys.executable, "-m", "bot.cli", "db", "upgrade"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    assert [code for code, _, _ in results] == [0, 0], results
    outputs = sorted(out.strip() for _, out, _ in results)
    head = head_revision()
    assert outputs[-1] == f"database schema: empty -> {head}"  # the one that migrated
    assert outputs[0] in (f"database schema: empty -> {head}", f"database schema: {head} -> {head}")
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == head and differences(engine) == []
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        engine.dispose()
