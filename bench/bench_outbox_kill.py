"""kill -9 in the middle of a post, many times: takeover time and duplicates.

Real `samverkan run` processes on one database against the in-process emulator. Each run
queues a thread root, two replies and a DM straight into the region's outbox; the
emulator stores the root and holds its answer 5 s; the process holding the root's lease
is killed -9. Then:
  takeover: kill until the root's row is settled again (looked up and adopted),
  all once: kill until every row of the run is in Slack exactly once,
  duplicates: messages in Slack beyond one per row.

PostgreSQL: two processes, the other takes over; the killed one is restarted between
runs. SQLite: one process, restarted at once (its start-up is shown apart: it is Python
start-up and Slack's auth.test, not the outbox).

Modes: `reap` (the killed process is reaped at once: a process on the same host sees its
owner is gone and takes over at once) and `lease` (the dead process is left a zombie, so it
looks alive, as a process on another host would: the 5 s lease must run out).

Usage: .venv/bin/python bench/bench_outbox_kill.py [--runs 20] [--db sqlite,postgresql]
       [--mode reap,lease]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bot.region.models import Region  # noqa: E402
from bot.slack import outbox  # noqa: E402
from bot.slack.models import PENDING, OutboxMessage  # noqa: E402
from samverkan_emulator import SlackEmulator  # noqa: E402
from tests.conftest import BOT_TOKEN, REGION_FILE  # noqa: E402
from tests.outbox_kill_support import Fleet, copies_per_row  # noqa: E402

CHANNEL = "C0CONF01"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@contextmanager
def database(kind: str, tmp: str):
    if kind == "sqlite":
        yield f"sqlite:///{tmp}/bench.db"
        return
    from sqlalchemy import create_engine, text

    from tests.conftest import PG_URL, _with_schema

    schema = f"bench_kill_{int(time.time())}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _with_schema(PG_URL, schema)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def quiet_region_file(tmp: str) -> Path:
    """The test region, its conference two days ahead: the scheduler posts nothing now."""
    data = yaml.safe_load(REGION_FILE.read_text(encoding="utf-8"))
    later = datetime.now(timezone.utc) + timedelta(days=2)
    data["conference"].update(weekday=WEEKDAYS[later.weekday()], time="12:00", call_for_reports=None,
                              reminder=None, holidays="hold")
    path = Path(tmp) / "samverkan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def queue_run(fleet: Fleet, n: int) -> list[int]:
    with fleet.sf.begin() as s:
        region_id = s.scalar(select(Region.id))
        now = datetime.now(timezone.utc)
        rows = [outbox.post(s, now, CHANNEL, f"run {n} root", ref=f"bench:{n}", region_id=region_id),
                outbox.post(s, now, CHANNEL, f"run {n} reply 1", thread_ref=f"bench:{n}", region_id=region_id),
                outbox.post(s, now, CHANNEL, f"run {n} reply 2", thread_ref=f"bench:{n}", region_id=region_id),
                outbox.post(s, now, "U0POL001", f"run {n} DM", region_id=region_id)]
        s.flush()
        return [r.id for r in rows]


def settled(fleet: Fleet, ids: list[int]) -> bool:
    with fleet.sf() as s:
        return not list(s.scalars(select(OutboxMessage.id).where(OutboxMessage.id.in_(ids),
                                                                 OutboxMessage.status == PENDING)))


def one_run(emu, fleet: Fleet, n: int, pg: bool, reap: bool) -> dict:
    hold = emu.hold_answer("chat.postMessage", 5, match=lambda a, n=n: a.get("text") == f"run {n} root")
    ids = queue_run(fleet, n)
    if not hold.stored.wait(20):
        raise RuntimeError(f"run {n}: the root was not posted")
    victim = fleet.owner_of(ids[0])
    killed = fleet.procs[victim]
    t_kill = fleet.kill(victim, reap=reap)
    startup = 0.0
    if not pg:
        if not reap:
            time.sleep(0.1)
        startup = fleet.start(victim)
    takeover = all_once = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if takeover is None and settled(fleet, ids[:1]):
            takeover = time.time() - t_kill
        if settled(fleet, ids):
            copies = copies_per_row(emu)
            if all(copies.get(i, 0) >= 1 for i in ids):
                all_once = time.time() - t_kill
                break
        time.sleep(0.02)
    copies = copies_per_row(emu)
    if not reap:
        killed.wait(5)
    if pg:
        fleet.start(victim)  # back to two processes for the next run
    return {"takeover": takeover, "all": all_once, "startup": startup,
            "duplicates": sum(max(0, copies.get(i, 0) - 1) for i in ids),
            "missing": sum(1 for i in ids if copies.get(i, 0) == 0)}


def bench(kind: str, mode: str, runs: int) -> list[dict]:
    pg = kind == "postgresql"
    with tempfile.TemporaryDirectory() as tmp, database(kind, tmp) as url, SlackEmulator(token=BOT_TOKEN) as emu:
        emu.add_channel(CHANNEL, name="samverkan")
        for user in ("U0POL001", "U0LST001", "U0LST002"):
            emu.add_user(user)
        env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
        up = subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, capture_output=True,
                            text=True, cwd=ROOT)
        if up.returncode:
            raise RuntimeError(up.stderr)
        fleet = Fleet(url, emu.api_url, quiet_region_file(tmp), 2 if pg else 1)
        results = []
        try:
            fleet.start_all()
            for n in range(1, runs + 1):
                r = one_run(emu, fleet, n, pg, reap=(mode == "reap"))
                results.append(r)
                print(f"  {kind:<10} {mode:<5} run {n:>2}: takeover {r['takeover']:.2f}s, all once "
                      f"{r['all']:.2f}s (start-up {r['startup']:.2f}s), duplicates {r['duplicates']}, "
                      f"missing {r['missing']}", flush=True)
        finally:
            fleet.stop_all()
        return results


def summary(kind: str, mode: str, results: list[dict]) -> str:
    def fig(key: str, minus_startup: bool = False) -> str:
        xs = sorted(r[key] - (r["startup"] if minus_startup else 0.0) for r in results if r[key] is not None)
        return f"median {statistics.median(xs):.2f}s, max {xs[-1]:.2f}s"
    line = (f"{kind:<10} {mode:<5} {len(results)} kills: takeover {fig('takeover')}; all once {fig('all')}; "
            f"duplicates {sum(r['duplicates'] for r in results)}; missing {sum(r['missing'] for r in results)}")
    if kind == "sqlite":
        line += f"; after the restarted process was up: takeover {fig('takeover', True)}"
    return line


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--db", default="sqlite,postgresql")
    p.add_argument("--mode", default="reap,lease")
    args = p.parse_args()
    lines = []
    for kind in args.db.split(","):
        for mode in args.mode.split(","):
            lines.append(summary(kind, mode, bench(kind, mode, args.runs)))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
