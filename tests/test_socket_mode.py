"""Socket Mode against a local server speaking Slack's protocol (tests/slack_emulator/
socket_mode.py): apps.connections.open with the app-level token, a websocket, `hello`,
envelopes acknowledged by envelope_id. A slash command and a button travel through it;
closing (and SIGTERM to a real `samverkan run --socket-mode`) ends the websocket with
code 1000; /healthz and /metrics are served on PORT beside it."""
from __future__ import annotations

import json
import signal
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from samverkan_emulator.socket_mode import APP_TOKEN, SocketModeEmulator, SocketModeSlackClient
from tests.conftest import BOT_TOKEN
from tests.test_run_process import env_for, free_port, samverkan
from tests.test_summary_support import at, item, item_message, open_conference, text_of

STHLM = ZoneInfo("Europe/Stockholm")


def _populate(e, cfg) -> None:
    e.add_channel(cfg.channel, name="samverkan", members=[m.user for m in cfg.members])
    for m in cfg.members:
        e.add_user(m.user, name=f"{m.actor}.{m.user[-3:].lower()}")


@pytest.fixture
def sm_emu(region_cfg):
    with SocketModeEmulator(token=BOT_TOKEN) as e:
        _populate(e, region_cfg)
        yield e


class SocketBot:
    """The bot as `samverkan run --socket-mode` assembles it, in this process."""

    def __init__(self, database_url, cfg, emu, clock):
        from bot.ops.socket_mode import SocketModeService
        from bot.runtime import Runtime

        self.rt = Runtime(database_url=database_url, cfg=cfg, bot_token=BOT_TOKEN, signing_secret="socket-mode-unused",
                          api_url=emu.api_url, clock=clock, channel_interval=0.0)
        self.ctx, self.clock, self.emu, self.cfg = self.rt.ctx, clock, emu, cfg
        self.service = SocketModeService(self.rt, APP_TOKEN, port=0, host="127.0.0.1", ping_interval=0.5)
        self.rt.start_background(scheduler=False)
        self.service.start()
        self.url = f"http://127.0.0.1:{self.service.server.port}"
        self.slack = SocketModeSlackClient(emu)

    def drain(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        self.ctx.settle(timeout)
        while self.rt.worker.pending_count():
            assert time.monotonic() < deadline, "outbox did not drain"
            time.sleep(0.01)

    def tick(self, when=None):
        if when is not None:
            self.clock.set(when)
        done = self.rt.scheduler.tick()
        self.drain()
        return done

    def close(self) -> None:
        self.service.close()
        self.rt.stop()


@pytest.fixture
def sm_bot(engine, database_url, region_cfg, sm_emu):
    from alembic import command

    from bot.clock import FixedClock
    from bot.db.schema import alembic_config
    from bot.region.models import Region

    command.stamp(alembic_config(database_url), "head")
    b = SocketBot(database_url, region_cfg, sm_emu, FixedClock(datetime(2026, 11, 26, 8, 0, tzinfo=STHLM)))
    with b.ctx.sf.begin() as s:
        s.get(Region, b.ctx.region_id).created_at = datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC"))
    yield b
    b.close()


def _metrics(url: str) -> dict[str, float]:
    r = requests.get(f"{url}/metrics", timeout=5)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")
    return {f"{s.name}{json.dumps(s.labels, sort_keys=True) if s.labels else ''}": s.value
            for fam in text_string_to_metric_families(r.text) for s in fam.samples}


def test_connects_with_the_app_token_and_says_hello(sm_bot, sm_emu):
    link = sm_emu.wait_for_link()
    opened = [c for c in sm_emu.calls if c.method == "apps.connections.open"]
    assert len(opened) == 1 and opened[0].ok
    assert link.close_code is None and sm_bot.service.connected()


def test_the_emulator_refuses_the_bot_token_for_a_connection(sm_emu):
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    with pytest.raises(SlackApiError) as e:
        WebClient(base_url=sm_emu.api_url).apps_connections_open(app_token=BOT_TOKEN)
    assert e.value.response["error"] == "not_allowed_token_type"


def test_slash_command_is_answered_in_its_acknowledgement(sm_bot, sm_emu):
    t0 = time.perf_counter()
    r = sm_bot.slack.slash_command("/samverkan", "hjälp", user_id="U0POL001", channel_id=sm_bot.cfg.channel)
    took = time.perf_counter() - t0
    assert "/lagesbild" in r.json()["text"] and r.json()["response_type"] == "ephemeral"
    status = sm_bot.slack.slash_command("/lagesbild", "status", user_id="U0POL001", channel_id=sm_bot.cfg.channel)
    assert status.json()["text"]  # who has reported, answered in the ack
    seen = _metrics(sm_bot.url)
    assert seen['samverkan_ack_latency_seconds_count{"transport": "socket_mode"}'] == 2
    print(f"\nSocket Mode slash command acknowledged in {took * 1000:.0f} ms")


def test_a_button_travels_through_the_socket(sm_bot, sm_emu):
    open_conference(sm_bot)
    sm_bot.clock.set(at(16, 40))
    r = sm_bot.slack.slash_command("/atgard", "trafikverket Samordna information om vägläget",
                                   user_id="U0LST001", channel_id=sm_bot.cfg.channel)
    assert "Åtgärdspunkt #1" in r.json()["text"]
    sm_bot.drain()
    msg = item_message(sm_bot, 1)
    ack = sm_bot.slack.block_action("U0TRV002", "action_ack", message=msg)
    assert ack.json() == {}  # a button's acknowledgement carries nothing
    assert sm_emu.wait_for(lambda: item(sm_bot, 1).acknowledgements)
    sm_bot.drain()
    assert "Kvitterad* av <@U0TRV002> för Trafikverket" in text_of(item_message(sm_bot, 1))


def test_close_ends_the_websocket_with_code_1000(sm_bot, sm_emu):
    link = sm_emu.wait_for_link()
    sm_bot.service.close()
    assert link.closed.wait(5)
    assert link.close_code == 1000
    time.sleep(0.3)
    assert len(sm_emu.links) == 1  # and it did not reconnect


def test_healthz_and_metrics_are_served_beside_the_socket(sm_bot, sm_emu):
    sm_emu.wait_for_link()
    r = requests.get(f"{sm_bot.url}/healthz", timeout=5)
    assert r.status_code == 200, r.text
    assert r.json()["slack"]["socket_mode"] == "connected"
    assert requests.post(f"{sm_bot.url}/slack/events", data=b"{}", timeout=5).status_code == 404
    assert _metrics(sm_bot.url)["samverkan_database_up"] == 1


@pytest.mark.slow
def test_healthz_turns_503_while_the_socket_is_down_and_200_after_it_reconnects(sm_bot, sm_emu):
    first = sm_emu.wait_for_link()
    sm_emu.set_down(True)  # Slack stops answering: no new connection can be opened
    sm_emu.drop_links()
    assert first.closed.wait(5)
    assert sm_emu.wait_for(lambda: not sm_bot.service.connected(), timeout=10)
    assert requests.get(f"{sm_bot.url}/healthz", timeout=5).status_code == 200  # not yet past the limit
    sm_bot.clock.advance(sm_bot.rt.health_limits.slack_down_after + timedelta(seconds=1))
    r = requests.get(f"{sm_bot.url}/healthz", timeout=5)
    assert r.status_code == 503
    assert any("Socket Mode connection has been down" in p for p in r.json()["problems"]), r.json()
    sm_emu.set_down(False)
    second = sm_emu.wait_for_link(timeout=30)  # the client reconnects by itself
    assert second is not first
    assert sm_emu.wait_for(lambda: requests.get(f"{sm_bot.url}/healthz", timeout=5).status_code == 200, 10)


@pytest.mark.slow
def test_sigterm_closes_the_socket_cleanly_and_exits_0(database_url, sm_emu, tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import REGION_FILE

    env = {**os.environ, "DATABASE_URL": database_url}
    out = subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    port = free_port()
    env = env_for(database_url, sm_emu.api_url, REGION_FILE, port)
    env.update(SLACK_APP_TOKEN=APP_TOKEN, LOG_FORMAT="json")
    env.pop("SLACK_SIGNING_SECRET")
    proc = samverkan("run", "--socket-mode", env=env)
    try:
        link = sm_emu.wait_for_link(timeout=30)
        deadline = time.monotonic() + 10
        while True:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "no /healthz on PORT in Socket Mode"
                time.sleep(0.05)
        assert health.status_code == 200, health.text
        r = SocketModeSlackClient(sm_emu).slash_command("/samverkan", "hjälp", user_id="U0POL001",
                                                        channel_id="C0CONF01")
        assert "/lagesbild" in r.json()["text"]
        metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        assert 'samverkan_ack_latency_seconds_count{transport="socket_mode"} 1.0' in metrics
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        stopped = time.monotonic() - t0
        assert link.closed.wait(5) and link.close_code == 1000
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    lines = [line for line in proc.stdout.read().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line one JSON object
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert not any(BOT_TOKEN in line or APP_TOKEN in line for line in lines)
    print(f"\nSIGTERM to exit: {stopped:.2f}s, close code {link.close_code}")
