"""`samverkan run` verifies the token at start (auth.test) and hands Slack's answer to
Bolt: no request, not even the first of a burst, asks Slack again."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

from alembic import command

from bot.clock import FixedClock
from bot.db.schema import alembic_config
from bot.runtime import Runtime
from bot.server import InProcessServer
from bot.slack.startup import verify_bot_token
from samverkan_emulator import SlackRequestClient
from tests.conftest import BOT_TOKEN, SIGNING_SECRET


def test_a_first_burst_asks_slack_nothing_about_the_token(engine, database_url, region_cfg, emu):
    command.stamp(alembic_config(database_url), "head")
    auth = verify_bot_token(BOT_TOKEN, emu.api_url)
    clock = FixedClock(datetime(2026, 11, 26, 8, 0, tzinfo=ZoneInfo("Europe/Stockholm")))
    rt = Runtime(database_url=database_url, cfg=region_cfg, bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET,
                 api_url=emu.api_url, clock=clock, channel_interval=0.0, auth_test=auth)
    server = InProcessServer(rt.wsgi)
    try:
        slack = SlackRequestClient(f"http://127.0.0.1:{server.port}/slack/events", SIGNING_SECRET, emu)
        emu.state.calls.clear()
        users = [m.user for m in region_cfg.members][:8]
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda u: slack.slash_command("/lagesbild", "status", user_id=u), users))
        assert [r.status_code for r in answers] == [200] * 8
        assert all(r.json().get("text") for r in answers)
        assert "auth.test" not in [c.method for c in emu.calls]
    finally:
        server.stop()
        rt.stop()
