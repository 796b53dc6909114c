"""Start-up time, opening lag and memory of the real `samverkan run` process.

Runs the bot against the in-process Slack emulator with a region file whose conference
opens at the next whole minute, and prints:
  start-up: process start until /healthz answers
  opening lag: the set minute until the emulator received the opening post
  RSS: resident memory of the bot process when idle after the opening

Usage: .venv/bin/python bench/bench_run.py [--postgres]   (default: a temp SQLite file;
       --postgres: a fresh schema on $SAMVERKAN_TEST_PG or 127.0.0.1:5432/test)
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from samverkan_emulator import SlackEmulator  # noqa: E402
from tests.test_run_process import env_for, free_port, next_minute, region_file  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def database(postgres: bool, tmp: str):
    if not postgres:
        yield f"sqlite:///{tmp}/bench.db"
        return
    from sqlalchemy import create_engine, text

    from tests.conftest import PG_URL, _with_schema

    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text("CREATE SCHEMA bench_run"))
    try:
        yield _with_schema(PG_URL, "bench_run")
    finally:
        with admin.connect() as c:
            c.execute(text("DROP SCHEMA bench_run CASCADE"))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, SlackEmulator(token="xoxb-test-token") as emu, \
            database(args.postgres, tmp) as url:
        emu.add_channel("C0CONF01", name="samverkan")
        opens = next_minute(min_lead=10)
        config = region_file(Path(tmp), opens)
        port = free_port()
        env = env_for(url, emu.api_url, config, port)
        subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, check=True, capture_output=True)
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], env={**env, "LOG_LEVEL": "WARNING"})
        try:
            while True:
                try:
                    if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                        break
                except requests.ConnectionError:
                    time.sleep(0.02)
            startup = time.monotonic() - t0
            rss_start = rss_mb(proc.pid)
            wait = (opens - datetime.now(ZoneInfo("Europe/Stockholm"))).total_seconds() + 15
            ok = emu.wait_for(lambda: any(c.method == "chat.postMessage" and c.ok for c in emu.calls), timeout=wait)
            if not ok:
                raise SystemExit("no opening was posted")
            lag = next(c.at for c in emu.calls if c.method == "chat.postMessage" and c.ok) - opens.timestamp()
            time.sleep(2)
            print(f"database        {url.split(':')[0]}")
            print(f"start-up        {startup:.2f} s (process start to /healthz 200)")
            print(f"opening lag     {lag * 1000:.0f} ms after {opens:%H:%M:%S} (Europe/Stockholm)")
            print(f"memory (RSS)    {rss_start:.1f} MB after start-up, {rss_mb(proc.pid):.1f} MB after the opening")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(10)


if __name__ == "__main__":
    main()
