"""`samverkan demo` as a new user runs it: no credentials, no network, exit 0, < 30 s."""
from __future__ import annotations

import os
import subprocess
import sys
import time


def test_demo_runs_a_whole_conference():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "SAMVERKAN_"))}
    t0 = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "bot.cli", "demo"], capture_output=True, text=True, timeout=60,
                         env=env)
    took = time.monotonic() - t0
    assert out.returncode == 0, out.stderr[-3000:]
    text = out.stdout
    for expected in ("Kallelse till regional samverkanskonferens", "REGIONAL SAMVERKANSKONFERENS V.",
                     "Dagordning", "är avslutad"):
        assert expected in text, expected
    assert "Traceback" not in out.stderr
    assert took < 30, f"demo took {took:.1f}s"
