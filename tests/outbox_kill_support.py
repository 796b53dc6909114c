"""Real `samverkan run` processes on one database, killed -9 in the middle of a post.

Shared by tests/test_outbox_kill.py and bench/bench_outbox_kill.py. The emulator (in the
test's process) stores a message and holds its answer; the process holding the row's
lease (`outbox.lease_owner` = host:pid:…) is killed; the others, or the restarted one,
must post everything exactly once.
"""
from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from bot.db.base import make_engine, make_session_factory
from bot.slack.lookup import METADATA_TYPE
from bot.slack.models import PENDING, SENT, OutboxMessage
from tests.test_run_process import env_for, free_port, start_bot


class Fleet:
    """`samverkan run` processes on one database and region file, each on its own port."""

    def __init__(self, database_url: str, api_url: str, config: Path, size: int):
        self.database_url, self.api_url, self.config = database_url, api_url, config
        self.ports = [free_port() for _ in range(size)]
        self.start_timeout = 90.0  # a loaded test machine may need long for Python's imports
        self.procs: list[subprocess.Popen | None] = [None] * size
        self.engine = make_engine(database_url)
        self.sf = make_session_factory(self.engine)

    def start(self, i: int) -> float:
        env = env_for(self.database_url, self.api_url, self.config, self.ports[i])
        env["LOG_LEVEL"] = "WARNING"
        self.procs[i], took = start_bot(env, self.ports[i], timeout=self.start_timeout)
        return took

    def start_all(self) -> None:
        for i in range(len(self.procs)):
            self.start(i)

    def owner_of(self, row_id: int, timeout: float = 5.0) -> int:
        """Which process holds the row's lease."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.sf() as s:
                owner = s.get(OutboxMessage, row_id).lease_owner or ""
            pids = {p.pid: i for i, p in enumerate(self.procs) if p is not None and p.poll() is None}
            try:
                pid = int(owner.rsplit(":", 2)[1])
            except (IndexError, ValueError):
                pid = -1
            if pid in pids:
                return pids[pid]
            time.sleep(0.02)
        raise AssertionError(f"no live process holds outbox row {row_id}")

    def kill(self, i: int, *, reap: bool = True) -> float:
        """kill -9; returns the time of the kill. Not reaped, the dead process stays a
        zombie, so no one can tell it is dead: the lease must run out (as on another host)."""
        proc = self.procs[i]
        proc.send_signal(signal.SIGKILL)
        t = time.time()
        if reap:
            proc.wait(5)
        return t

    def pending(self) -> int:
        with self.sf() as s:
            return len(list(s.scalars(select(OutboxMessage.id).where(OutboxMessage.status == PENDING))))

    def sent_post_ids(self) -> list[int]:
        with self.sf() as s:
            return list(s.scalars(select(OutboxMessage.id).where(OutboxMessage.status == SENT,
                                                                 OutboxMessage.op == "post")))

    def stop_all(self) -> None:
        for p in self.procs:
            if p is not None and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)
        self.engine.dispose()


def copies_per_row(emu) -> Counter:
    """How many messages in Slack name each outbox row."""
    ids: Counter = Counter()
    for m in emu.all_posts():
        meta = m.get("metadata") or {}
        if meta.get("event_type") == METADATA_TYPE:
            ids[meta["event_payload"]["outbox_id"]] += 1
    return ids


def all_once(emu, fleet: Fleet) -> bool:
    """Nothing pending, and every sent post is in Slack exactly once."""
    if fleet.pending():
        return False
    copies = copies_per_row(emu)
    return all(copies.get(i) == 1 for i in fleet.sent_post_ids()) and all(n == 1 for n in copies.values())


def wait_all_once(emu, fleet: Fleet, since: float, timeout: float = 30.0) -> float:
    """Seconds from `since` (time.time()) until everything is in Slack exactly once."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all_once(emu, fleet):
            return time.time() - since
        time.sleep(0.05)
    raise AssertionError(f"not posted exactly once within {timeout}s: pending {fleet.pending()}, "
                         f"copies {[(k, v) for k, v in copies_per_row(emu).items() if v != 1]}")
