"""Start-up mistakes: each is one line on standard error naming what to fix, exit status 1,
never a traceback. Slack is the strict emulator, or a port nobody listens on.

The `samverkan` command runs in this process (`bot.cli.main`, with its own environment and
working directory: an exception escaping it fails the test); the slow tests at the end run
a few of the same cases as real processes."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.cli import main

from tests.conftest import BOT_TOKEN, REGION_FILE, SIGNING_SECRET

UNREACHABLE_PG = "postgresql://samverkan:pw-not-shown@127.0.0.1:1/samverkan"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # free again once closed: nobody listens there


def environment(tmp_path: Path, **values: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SAMVERKAN_")) and k not in ("DATABASE_URL", "PORT")}
    env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SLACK_API_URL=f"http://127.0.0.1:{closed_port()}/api/", SAMVERKAN_CONFIG=str(REGION_FILE),
               PORT=str(closed_port()))
    env.update(values)
    return env


@pytest.fixture
def samverkan(monkeypatch, capsys):
    """samverkan(tmp_path, *args, **env): the command in-process; returncode, stdout, stderr."""
    def run(cwd: Path, *args: str, **env: str) -> SimpleNamespace:
        with monkeypatch.context() as m:
            m.chdir(cwd)
            for key in list(os.environ):
                m.delenv(key)
            for key, value in environment(cwd, **env).items():
                m.setenv(key, value)
            capsys.readouterr()
            try:
                code = main(list(args))
            except SystemExit as e:  # argparse
                code = e.code
            out = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out.out, stderr=out.err)

    return run


def process(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=environment(cwd, **env),
                          capture_output=True, text=True, timeout=90)


def one_line(out) -> str:
    """The single line a failed start-up prints (asserts exit 1, one line, no traceback)."""
    assert out.returncode == 1, (out.returncode, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr + out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("samverkan: "), out.stderr
    return lines[0]


@pytest.fixture
def upgraded(database_url, tmp_path, samverkan):
    out = samverkan(tmp_path, "db", "upgrade", DATABASE_URL=database_url)
    assert out.returncode == 0, out.stderr
    return database_url


# ---- Slack -------------------------------------------------------------------------------

def test_a_bot_token_slack_refuses(samverkan, upgraded, emu, tmp_path):
    line = one_line(samverkan(tmp_path, "run", DATABASE_URL=upgraded, SLACK_API_URL=emu.api_url,
                              SLACK_BOT_TOKEN="xoxb-not-the-right-one"))
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in line
    assert "not-the-right-one" not in line
    assert [c.method for c in emu.calls] == ["auth.test"]  # nothing else was tried


def test_slack_unreachable(samverkan, upgraded, tmp_path):
    line = one_line(samverkan(tmp_path, "run", DATABASE_URL=upgraded))
    assert "cannot reach Slack at http://127.0.0.1:" in line and "(SLACK_API_URL)" in line


def test_socket_mode_checks_the_token_too(samverkan, upgraded, emu, tmp_path):
    line = one_line(samverkan(tmp_path, "run", "--socket-mode", DATABASE_URL=upgraded, SLACK_API_URL=emu.api_url,
                              SLACK_BOT_TOKEN="xoxb-wrong", SLACK_APP_TOKEN="xapp-1-x"))
    assert "SLACK_BOT_TOKEN (invalid_auth)" in line


# ---- the database ------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["run"], ["db", "upgrade"], ["export", "--week", "2026-W48"],
                                     ["db", "check", "--database"]])
def test_database_unreachable(samverkan, tmp_path, command):
    line = one_line(samverkan(tmp_path, *command, DATABASE_URL=UNREACHABLE_PG))
    assert "cannot reach the database postgresql+psycopg://samverkan:***@127.0.0.1:1/samverkan (DATABASE_URL)" in line
    assert "Connection refused" in line and "pw-not-shown" not in line


def test_postgresql_database_missing(samverkan, tmp_path):
    from tests.conftest import PG_URL, _pg_problem

    if _pg_problem():
        pytest.skip(_pg_problem())
    url = PG_URL.rsplit("/", 1)[0] + "/no_such_database_here"
    line = one_line(samverkan(tmp_path, "db", "upgrade", DATABASE_URL=url))
    assert 'database "no_such_database_here" does not exist' in line


@pytest.mark.parametrize("command", [["run"], ["export", "--week", "2026-W48"]])
def test_sqlite_database_missing_is_named_and_not_created(samverkan, tmp_path, command):
    """Without DATABASE_URL the default is ./samverkan.db: a command that only uses the
    database names the missing file and leaves no empty one behind."""
    line = one_line(samverkan(tmp_path, *command))
    assert "the database samverkan.db does not exist (DATABASE_URL): run `samverkan db upgrade` first" in line
    assert list(tmp_path.iterdir()) == []


def test_db_upgrade_into_a_missing_folder(samverkan, tmp_path):
    line = one_line(samverkan(tmp_path, "db", "upgrade", DATABASE_URL=f"sqlite:///{tmp_path}/nope/x.db"))
    assert f"the folder {tmp_path}/nope does not exist" in line


def test_run_refuses_an_old_schema_in_one_line(samverkan, tmp_path):
    out = samverkan(tmp_path, "db", "upgrade", DATABASE_URL=f"sqlite:///{tmp_path}/s.db")
    assert out.returncode == 0
    import sqlite3

    with sqlite3.connect(tmp_path / "s.db") as c:
        c.execute("UPDATE alembic_version SET version_num = '0001'")
    line = one_line(samverkan(tmp_path, "run", DATABASE_URL=f"sqlite:///{tmp_path}/s.db"))
    assert "revision 0001" in line and "samverkan db upgrade" in line


# ---- files and ports ---------------------------------------------------------------------

def test_export_into_a_missing_folder(samverkan, upgraded, tmp_path):
    line = one_line(samverkan(tmp_path, "export", "--week", "2026-W48", "-o", str(tmp_path / "nope" / "v48.md"),
                              DATABASE_URL=upgraded))
    assert f"cannot write {tmp_path}/nope/v48.md: the folder {tmp_path}/nope does not exist" in line


def test_port_already_in_use(samverkan, tmp_path):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_line(samverkan(tmp_path, "run", PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path}/x.db"))
    assert f"PORT {port} is already in use" in line


def test_a_missing_region_file_is_named_once(samverkan, tmp_path):
    line = one_line(samverkan(tmp_path, "run", SAMVERKAN_CONFIG="samverkan.yaml"))
    assert line == "samverkan: samverkan.yaml: no such file"
    out = samverkan(tmp_path, "config", "check", "elsewhere.yaml")
    assert out.returncode == 1 and out.stdout.strip() == "elsewhere.yaml: no such file"


@pytest.mark.parametrize("command, choices", [("db", "{upgrade,check}"), ("config", "{check}")])
def test_a_missing_sub_command_names_the_choices(samverkan, tmp_path, command, choices):
    out = samverkan(tmp_path, command)
    assert out.returncode == 2
    assert f"the following arguments are required: {choices}" in out.stderr
    assert "_command" not in out.stderr


def test_help_lists_db_check(samverkan, tmp_path):
    out = samverkan(tmp_path, "db", "--help")
    assert out.returncode == 0 and "check" in out.stdout and "db_command" not in out.stdout


# ---- the same, as real processes -----------------------------------------------------------

@pytest.mark.slow
def test_as_a_process_a_refused_token_and_an_unreachable_database_are_one_line(upgraded, emu, tmp_path):
    out = process(tmp_path, "run", DATABASE_URL=upgraded, SLACK_API_URL=emu.api_url, SLACK_BOT_TOKEN="xoxb-wrong")
    assert "SLACK_BOT_TOKEN (invalid_auth)" in one_line(out)
    out = process(tmp_path, "db", "upgrade", DATABASE_URL=UNREACHABLE_PG)
    assert "cannot reach the database" in one_line(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    out = process(empty, "export", "--week", "2026-W48")
    assert "samverkan.db does not exist" in one_line(out) and list(empty.iterdir()) == []
