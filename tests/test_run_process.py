"""The real `samverkan run` process against the emulator, as an administrator runs it.

The region file is written so that the conference opens at the next whole minute; the
test waits for the real opening. Slow (about a minute per case): marked `slow`.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
import yaml

from tests.conftest import BOT_TOKEN, REGION_FILE, SIGNING_SECRET

pytestmark = pytest.mark.slow
STHLM = ZoneInfo("Europe/Stockholm")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def region_file(tmp_path: Path, opens: datetime) -> Path:
    data = yaml.safe_load(REGION_FILE.read_text(encoding="utf-8"))
    local = opens.astimezone(STHLM)
    data["conference"].update(weekday=WEEKDAYS[local.weekday()], time=local.strftime("%H:%M"),
                              call_for_reports=None, reminder=None, holidays="hold", duration_minutes=60)
    path = tmp_path / "samverkan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def env_for(database_url: str, api_url: str, config: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=api_url,
               DATABASE_URL=database_url, SAMVERKAN_CONFIG=str(config), PORT=str(port), LOG_LEVEL="INFO")
    return env


def samverkan(*args: str, env: dict, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kw)


def start_bot(env: dict, port: int, timeout: float = 30.0) -> tuple[subprocess.Popen, float]:
    t0 = time.monotonic()
    proc = samverkan("run", env=env)
    deadline = t0 + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"samverkan run exited: {proc.stdout.read()}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc, time.monotonic() - t0
        except requests.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"samverkan run did not answer /healthz within {timeout:.0f} s")


def openings(emu, channel: str) -> list[dict]:
    return [m for m in emu.messages(channel) if "Regional samverkanskonferens v." in str(m.get("blocks"))]


def next_minute(min_lead: float = 12.0) -> datetime:
    now = datetime.now(STHLM)
    target = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    if (target - now).total_seconds() < min_lead:
        target += timedelta(minutes=1)
    return target


@pytest.fixture
def upgraded(database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url}
    out = subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return database_url


def test_two_processes_and_a_kill_9_open_exactly_once_on_time(upgraded, emu, region_cfg, tmp_path):
    opens = next_minute(min_lead=15)
    config = region_file(tmp_path, opens)
    ports = [free_port(), free_port()]
    procs = []
    try:
        a, startup = start_bot(env_for(upgraded, emu.api_url, config, ports[0]), ports[0])
        b, _ = start_bot(env_for(upgraded, emu.api_url, config, ports[1]), ports[1])
        procs += [a, b]
        a.send_signal(signal.SIGKILL)  # kill -9 one of them before the opening ...
        a.wait(5)
        a2, _ = start_bot(env_for(upgraded, emu.api_url, config, ports[0]), ports[0])  # ... and restart it
        procs.append(a2)
        assert emu.wait_for(lambda: openings(emu, region_cfg.channel), timeout=(opens - datetime.now(STHLM))
                            .total_seconds() + 20)
        first_post = next(c.at for c in emu.calls if c.method == "chat.postMessage" and c.ok)
        lag = first_post - opens.timestamp()
        b.send_signal(signal.SIGKILL)  # and kill -9 the other after it, then restart: still once
        b.wait(5)
        b2, _ = start_bot(env_for(upgraded, emu.api_url, config, ports[1]), ports[1])
        procs.append(b2)
        time.sleep(3)
        assert len(openings(emu, region_cfg.channel)) == 1
        assert 0 <= lag < 5, f"opening lag {lag:.2f}s"
        print(f"\nstart-up {startup:.2f}s, opening lag {lag:.3f}s")
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()


def test_started_three_minutes_late_opens_late_with_a_note(upgraded, emu, region_cfg, tmp_path):
    opens = (datetime.now(STHLM) - timedelta(minutes=3)).replace(second=0, microsecond=0)
    config = region_file(tmp_path, opens)
    port = free_port()
    proc, _ = start_bot(env_for(upgraded, emu.api_url, config, port), port)
    try:
        assert emu.wait_for(lambda: openings(emu, region_cfg.channel), timeout=10)
        text = str(openings(emu, region_cfg.channel)[0]["blocks"])
        late = int((datetime.now(STHLM) - opens).total_seconds() // 60)
        assert f"öppnas *{late} min sent*" in text or f"öppnas *{late - 1} min sent*" in text
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def test_run_refuses_an_old_schema(database_url, tmp_path):
    env = env_for(database_url, "http://127.0.0.1:9/api/", REGION_FILE, free_port())
    out = subprocess.run([sys.executable, "-m", "bot.cli", "run"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 1
    assert "samverkan db upgrade" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_run_names_a_missing_variable(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["SLACK_BOT_TOKEN"] = BOT_TOKEN
    out = subprocess.run([sys.executable, "-m", "bot.cli", "run"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "SLACK_SIGNING_SECRET" in lines[0]
