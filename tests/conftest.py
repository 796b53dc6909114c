"""Shared fixtures. Every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from $SAMVERKAN_TEST_PG (default: 127.0.0.1:5432, database `test`); each
test gets its own schema. Without a server the PostgreSQL half is skipped, unless
SAMVERKAN_REQUIRE_POSTGRES=1 (set by .ci/run), which turns that skip into a failure.
At the end, the number of passed tests per database is written to $SAMVERKAN_DB_REPORT
so .ci/run can prove the PostgreSQL part ran.
"""
from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_URL = os.environ.get("SAMVERKAN_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("SAMVERKAN_REQUIRE_POSTGRES") == "1"
REGION_FILE = Path(__file__).parent / "data" / "stockholm.yaml"
_passed: Counter = Counter()
_pg_checked: dict[str, str | None] = {}


def _pg_problem() -> str | None:
    if "result" not in _pg_checked:
        try:
            eng = create_engine(PG_URL)
            with eng.connect() as c:
                c.execute(text("SELECT 1"))
            eng.dispose()
            _pg_checked["result"] = None
        except Exception as e:  # noqa: BLE001
            _pg_checked["result"] = f"PostgreSQL at {PG_URL} not reachable: {type(e).__name__}: {e}"
    return _pg_checked["result"]


def _with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'samverkan.db'}"
        return
    problem = _pg_problem()
    if problem:
        if REQUIRE_PG:
            pytest.fail(problem)
        pytest.skip(problem)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _with_schema(PG_URL, schema)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database_url):
    """An engine on a fresh database with every table of the models. (That the Alembic
    migrations build exactly this schema is tested in test_migrations.py; the process
    tests use `samverkan db upgrade` itself.)"""
    import bot.db.models  # noqa: F401
    from bot.db.base import Base, make_engine

    eng = make_engine(database_url)
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def region_cfg():
    from bot.config import load_region

    return load_region(REGION_FILE)


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed:
        for backend in ("sqlite", "postgresql"):
            if f"[{backend}" in report.nodeid or f"-{backend}]" in report.nodeid or f"-{backend}-" in report.nodeid:
                _passed[backend] += 1


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("SAMVERKAN_DB_REPORT")
    if target:
        Path(target).write_text(json.dumps(dict(_passed)))


# ---- a whole bot on real HTTP, against the emulator ----------------------------------
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"


def _track(executor) -> set:
    """The futures of work submitted to `executor` and not yet done (Bolt's listeners)."""
    running: set = set()
    submit = executor.submit

    def tracked(*args, **kwargs):
        future = submit(*args, **kwargs)
        running.add(future)
        future.add_done_callback(running.discard)
        return future

    executor.submit = tracked
    return running


class RunningBot:
    """The bot as `samverkan run` assembles it (Runtime + waitress), on a free port."""

    def __init__(self, database_url, cfg, emu, clock):
        from bot.runtime import Runtime
        from bot.server import InProcessServer
        from samverkan_emulator import SlackRequestClient

        self.rt = Runtime(database_url=database_url, cfg=cfg, bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET,
                          api_url=emu.api_url, clock=clock, channel_interval=0.0)
        self.server = InProcessServer(self.rt.wsgi)
        self.url = f"http://127.0.0.1:{self.server.port}"
        self.slack = SlackRequestClient(f"{self.url}/slack/events", SIGNING_SECRET, emu)
        self.ctx, self.clock, self.emu, self.cfg = self.rt.ctx, clock, emu, cfg
        self._listening = _track(self.rt.listeners)
        self.rt.start_background(scheduler=False)

    def drain(self, timeout: float = 10.0) -> None:
        import time

        deadline = time.monotonic() + timeout
        # A button is acknowledged before its flow runs: wait for the listeners first.
        for future in list(self._listening):
            future.result(timeout)
        self.ctx.settle(timeout)  # follow-up work (it may queue more messages)
        while time.monotonic() < deadline:
            if not self.rt.worker.pending_count():
                return
            time.sleep(0.01)
        raise AssertionError("outbox did not drain")

    def tick(self, when=None):
        if when is not None:
            self.clock.set(when)
        done = self.rt.scheduler.tick()
        self.drain()
        return done

    def close(self) -> None:
        self.server.stop()
        self.rt.stop()


@pytest.fixture
def emu(region_cfg):
    from samverkan_emulator import SlackEmulator

    with SlackEmulator(token=BOT_TOKEN) as e:
        e.add_channel(region_cfg.channel, name="samverkan", members=[m.user for m in region_cfg.members])
        for m in region_cfg.members:
            e.add_user(m.user, name=f"{m.actor}.{m.user[-3:].lower()}")
        e.add_user("U0OUTSIDER", name="outsider")
        yield e


@pytest.fixture
def bot(engine, database_url, region_cfg, emu):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from alembic import command

    from bot.clock import FixedClock
    from bot.db.schema import alembic_config

    command.stamp(alembic_config(database_url), "head")  # engine has the models' tables

    clock = FixedClock(datetime(2026, 11, 26, 8, 0, tzinfo=ZoneInfo("Europe/Stockholm")))
    b = RunningBot(database_url, region_cfg, emu, clock)
    with b.ctx.sf.begin() as s:  # installed long ago, so nothing is "before install"
        from bot.region.models import Region

        s.get(Region, b.ctx.region_id).created_at = datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC"))
    yield b
    b.close()
