"""Ack latency of 200 simultaneous `/lagesbild <text>` from 200 actors at the real
`samverkan run`, beside a bare Bolt app with one slash command served the same way.

1. writes a region file with N actors, each with one tib member;
2. `samverkan db upgrade` on a fresh database (a temp SQLite file, or --postgres: a fresh
   schema on $SAMVERKAN_TEST_PG); tables that the models have and the migrations do not
   have yet (capabilities still without a migration) are then created with
   Base.metadata.create_all, and the bench says so;
3. starts `samverkan run` (a subprocess, HTTP, its scheduler and outbox worker running,
   LOG_LEVEL=WARNING) against the Slack emulator inside this process;
4. fires N signed `/lagesbild <text>` at once (one thread each, released together) and
   measures each request until its HTTP answer (the ack, which carries the confirmation);
   checks that every answer is a confirmation and that N reports were stored;
5. the same against a bare Bolt app (one slash command that acks with a text), served
   the same way: `bot.server.make_wsgi` + waitress with the bot's thread count, in its
   own process.

Usage: .venv/bin/python bench/bench_ack_latency.py [--n 200] [--postgres] [--during]
  --during: the conference is open while the reports arrive (each is also queued for the
            thread and the speaking order is told); default: before the opening.
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from samverkan_emulator import SlackEmulator, sign_request  # noqa: E402

TOKEN, SECRET, CHANNEL = "xoxb-bench-token", "bench-signing-secret", "C0CONF01"
STHLM = ZoneInfo("Europe/Stockholm")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CATEGORIES = ["blåljus", "sjukvård", "trafik", "kommun", "övriga"]
THREADS = 16  # bot.server.serve's waitress thread count


def user_of(i: int) -> str:
    return f"U0B{i:05d}"


def region_file(path: Path, n: int, during: bool) -> Path:
    now = datetime.now(STHLM)
    if during:  # opened a minute ago: the bot opens it (late, within grace) when it starts
        opens = now - timedelta(minutes=1)
    else:  # two days ahead at a whole hour: nothing scheduled happens during the bench
        opens = (now + timedelta(days=2)).replace(hour=16, minute=0)
    data = {
        "region": "Benchmark", "timezone": "Europe/Stockholm", "language": "sv", "channel": CHANNEL,
        "conference": {"weekday": WEEKDAYS[opens.weekday()], "time": opens.strftime("%H:%M"),
                       "call_for_reports": None, "reminder": None, "duration_minutes": 600,
                       "grace_minutes": 60, "holidays": "hold"},
        "speaking_order": {"first": ["aktor-00001"], "categories": CATEGORIES, "rotate": True},
        "actors": [{"id": f"aktor-{i:05d}", "name": f"Aktör {i}", "category": CATEGORIES[i % len(CATEGORIES)]}
                   for i in range(1, n + 1)],
        "members": [{"user": user_of(i), "actor": f"aktor-{i:05d}", "roles": ["tib"]} for i in range(1, n + 1)],
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@contextmanager
def database(postgres: bool, tmp: str):
    if not postgres:
        yield f"sqlite:///{tmp}/bench.db"
        return
    from sqlalchemy import create_engine, text

    url = os.environ.get("SAMVERKAN_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test")
    schema = f"bench_ack_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in url else "?"
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def prepare_schema(url: str, env: dict) -> list[str]:
    """`samverkan db upgrade`, then create_all for tables without a migration yet."""
    out = subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"samverkan db upgrade failed:\n{out.stderr}")
    import bot.db.models  # noqa: F401
    from sqlalchemy import inspect

    from bot.db.base import Base, make_engine

    engine = make_engine(url)
    missing = sorted(set(Base.metadata.tables) - set(inspect(engine).get_table_names()))
    Base.metadata.create_all(engine)
    engine.dispose()
    return missing


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(proc: subprocess.Popen, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                return
        except requests.ConnectionError:
            time.sleep(0.05)
    raise SystemExit("the server did not answer /healthz")


def fire(name: str, emu: SlackEmulator, url: str, n: int, expect: str) -> list[float]:
    """N signed slash commands released together; returns each request's seconds to its answer."""
    bodies = []
    for i in range(1, n + 1):
        bodies.append(urlencode({
            "token": "legacy", "team_id": "T0TEST", "team_domain": "bench", "channel_id": CHANNEL,
            "channel_name": "samverkan", "user_id": user_of(i), "user_name": f"tib{i}", "command": "/lagesbild",
            "text": f"Lägesbild {i}: läget är normalt, inga störningar att rapportera. <!channel> & <@U0B00001>",
            "api_app_id": "A0BENCH", "is_enterprise_install": "false",
            "response_url": emu.new_response_url(), "trigger_id": emu.new_trigger_id(user_of(i)),
        }).encode())
    latencies: list[float | None] = [None] * n
    problems: list[str] = []
    barrier = threading.Barrier(n)

    def one(i: int) -> None:
        ts = str(int(time.time()))
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": sign_request(SECRET, ts, bodies[i])}
        barrier.wait()
        t0 = time.perf_counter()
        try:
            r = requests.post(url, data=bodies[i], headers=headers, timeout=30)
            latencies[i] = time.perf_counter() - t0
            if r.status_code != 200 or expect not in r.text:
                problems.append(f"{r.status_code} {r.text[:200]}")
        except requests.RequestException as e:
            problems.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if problems:
        print(f"  {name}: {len(problems)} of {n} answers were not the expected one, e.g.: {problems[0]}")
    return [x for x in latencies if x is not None]


def describe(name: str, lat: list[float]) -> str:
    lat = sorted(lat)
    p = lambda q: lat[min(len(lat) - 1, int(round(q * (len(lat) - 1))))]  # noqa: E731
    return (f"{name:<34} n={len(lat):<4} p50 {p(0.50) * 1000:7.1f} ms   p99 {p(0.99) * 1000:7.1f} ms   "
            f"max {lat[-1] * 1000:7.1f} ms   mean {statistics.mean(lat) * 1000:7.1f} ms")


def stored_reports(url: str) -> int:
    from sqlalchemy import func, select

    from bot.db.base import make_engine
    from bot.report.models import Report

    engine = make_engine(url)
    with engine.connect() as c:
        n = c.execute(select(func.count()).select_from(Report)).scalar_one()
    engine.dispose()
    return n


def serve_bare(port: int) -> None:
    """The bare Bolt app: one slash command, served like `samverkan run` serves the bot."""
    from concurrent.futures import ThreadPoolExecutor

    from slack_bolt import App

    from bot.server import make_wsgi, serve

    from slack_sdk import WebClient

    # Like the bot: a client pointed at SLACK_API_URL (Bolt authorizes the first request with auth.test)
    # and the bot's listener pool; waitress with the bot's thread count.
    app = App(client=WebClient(token=TOKEN, base_url=os.environ["SLACK_API_URL"]), signing_secret=SECRET,
              token_verification_enabled=False, process_before_response=False,
              listener_executor=ThreadPoolExecutor(max_workers=32))

    @app.command("/lagesbild")
    def lagesbild(ack, command):
        ack(response_type="ephemeral", text=f"Tack, {command['user_id']}: registrerad.")

    serve(make_wsgi(app, lambda: {"ok": True}), port, host="127.0.0.1", threads=THREADS)


def run_process(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    """A server process; its output goes to a file (a pipe nobody reads would fill up and
    block the server's logging)."""
    with open(log, "w") as out:
        return subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def errors_in(log: Path) -> list[str]:
    return [line for line in log.read_text(errors="replace").splitlines()
            if " ERROR " in line or "Traceback" in line]


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="actors reporting at once (default 200)")
    ap.add_argument("--postgres", action="store_true", help="PostgreSQL instead of a temp SQLite file")
    ap.add_argument("--during", action="store_true", help="report while the conference is open")
    ap.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return

    with tempfile.TemporaryDirectory() as tmp, SlackEmulator(token=TOKEN) as emu, \
            database(args.postgres, tmp) as url:
        emu.add_channel(CHANNEL, name="samverkan", members=[user_of(i) for i in range(1, args.n + 1)])
        for i in range(1, args.n + 1):
            emu.add_user(user_of(i), name=f"tib{i}")
        config = region_file(Path(tmp) / "samverkan.yaml", args.n, args.during)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=emu.api_url,
                   DATABASE_URL=url, SAMVERKAN_CONFIG=str(config), PORT=str(port), LOG_LEVEL="WARNING",
                   PYTHONPATH=str(ROOT))
        missing = prepare_schema(url, env)
        print(f"database: {url.split(':')[0]}; {args.n} actors with one tib member each; conference "
              f"{'open' if args.during else 'not open yet'}")
        if missing:
            print(f"note: created with create_all (no migration yet): {', '.join(missing)}")

        bot_log, bare_log = Path(tmp) / "bot.log", Path(tmp) / "bare.log"
        bot = run_process(["-m", "bot.cli", "run"], env, bot_log)
        try:
            wait_healthy(bot, port)
            if args.during:
                emu.wait_for(lambda: any(c.method == "chat.postMessage" and c.ok for c in emu.calls), timeout=20)
            lat_bot = fire("samverkan run", emu, f"http://127.0.0.1:{port}/slack/events", args.n, "registrerad")
        finally:
            stop(bot)
        stored = stored_reports(url)

        bare_port = free_port()
        bare = run_process([str(Path(__file__).resolve()), "--serve-bare", str(bare_port)], env, bare_log)
        try:
            wait_healthy(bare, bare_port)
            lat_bare = fire("bare Bolt app", emu, f"http://127.0.0.1:{bare_port}/slack/events", args.n, "registrerad")
        finally:
            stop(bare)
        for name, log in (("samverkan run", bot_log), ("bare Bolt app", bare_log)):
            for line in errors_in(log)[:5]:
                print(f"  {name} logged: {line}")

    print(f"{args.n} simultaneous /lagesbild <text>, ack latency (request sent -> HTTP answer):")
    print(describe("samverkan run (stores the report)", lat_bot))
    print(describe("bare Bolt app (one slash command)", lat_bare))
    print(f"reports stored by samverkan run: {stored} of {args.n}")
    if stored != args.n or max(lat_bot) >= 3.0:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
