"""The `samverkan` command's own checks (in-process; the `run` process is in test_run_process)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REGION_FILE


def samverkan(*args, env=None):
    import os

    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_config_check_accepts_the_stockholm_region():
    out = samverkan("config", "check", str(REGION_FILE))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "OK (Stockholm, 37 actors" in out.stdout


def test_config_check_reports_each_problem_on_its_own_line(tmp_path: Path):
    text = REGION_FILE.read_text(encoding="utf-8")
    text = text.replace('time: "16:00"', 'time: "25:00"').replace("weekday: thursday", "weekday: thorsday")
    text = text.replace("actor: polisen, roles: [tib]", "actor: polis, roles: [tib]")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    out = samverkan("config", "check", str(bad))
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 3, lines
    assert any("conference.weekday" in line for line in lines)
    assert any("conference.time" in line and "25:00" in line for line in lines)
    assert any(".actor" in line and "polis" in line for line in lines)


def test_config_check_uses_samverkan_config(tmp_path: Path):
    out = samverkan("config", "check", env={"SAMVERKAN_CONFIG": str(tmp_path / "missing.yaml")})
    assert out.returncode == 1 and "missing.yaml" in out.stdout


def test_socket_mode_needs_the_app_token():
    out = samverkan("run", "--socket-mode", env={"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_APP_TOKEN": ""})
    assert out.returncode == 1
    assert "SLACK_APP_TOKEN" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_secrets_never_reach_the_output():
    out = samverkan("run", env={"SLACK_BOT_TOKEN": "xoxb-very-secret-value", "SLACK_SIGNING_SECRET": "s3cr3t-sig",
                                "PORT": "not-a-port"})
    assert out.returncode == 1
    assert "very-secret" not in out.stderr + out.stdout and "s3cr3t" not in out.stderr + out.stdout
    assert "PORT" in out.stderr
