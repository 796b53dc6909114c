"""Two regions on one database, each with its own process (Runtime, outbox worker,
scheduler) and its own Slack: neither ever touches the other's rows or posts with the
other's Slack client."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.actions.models import ActionItem
from bot.conference.models import Conference
from tests.conftest import BOT_TOKEN, RunningBot
from tests.test_summary_support import at


def _region_b(cfg):
    members = [m.model_copy(update={"user": m.user.replace("U0", "U1", 1)}) for m in cfg.members]
    return cfg.model_copy(update={"region": "Uppsala", "channel": "C0CONF02", "members": members})


@pytest.fixture
def two_regions(engine, database_url, region_cfg):
    from alembic import command

    from bot.clock import FixedClock
    from bot.db.schema import alembic_config
    from samverkan_emulator import SlackEmulator

    command.stamp(alembic_config(database_url), "head")
    bots = []
    with SlackEmulator(token=BOT_TOKEN) as emu_a, SlackEmulator(token=BOT_TOKEN) as emu_b:
        for emu, cfg in ((emu_a, region_cfg), (emu_b, _region_b(region_cfg))):
            emu.add_channel(cfg.channel, name="samverkan", members=[m.user for m in cfg.members])
            for m in cfg.members:
                emu.add_user(m.user, name=f"{m.actor}.{m.user[-3:].lower()}")
            clock = FixedClock(datetime(2026, 11, 26, 8, 0, tzinfo=ZoneInfo("Europe/Stockholm")))
            bots.append(RunningBot(database_url, cfg, emu, clock))
        try:
            yield bots
        finally:
            for b in bots:
                b.close()


def test_two_regions_on_one_database_never_touch_each_others_rows(two_regions):
    a, b = two_regions
    assert a.ctx.region_id != b.ctx.region_id
    assert a.slack.slash_command("/atgard", "polisen Region A:s punkt", user_id="U0LST001").status_code == 200
    assert b.slack.slash_command("/atgard", "polisen Region B:s punkt", user_id="U1LST001").status_code == 200
    for when in (at(9, 1), at(16, 1), at(17, 1)):  # kallelse, opening, close: each region's scheduler
        a.tick(when)
        b.tick(when)
    a.drain()
    b.drain()
    posts_a, posts_b = str(a.emu.all_posts()), str(b.emu.all_posts())
    assert "Region A:s punkt" in posts_a and "Region B:s punkt" in posts_b
    assert "Region B:s punkt" not in posts_a and "Region A:s punkt" not in posts_b
    assert a.emu.messages("C0CONF01") and b.emu.messages("C0CONF02")
    assert all(p.get("channel") != "C0CONF02" for p in a.emu.all_posts())
    assert all(p.get("channel") != "C0CONF01" for p in b.emu.all_posts())
    with a.ctx.sf() as s:
        confs = sorted(c.region_id for c in s.scalars(select(Conference)))
        items = {i.text: i.region_id for i in s.scalars(select(ActionItem))}
    assert confs == sorted([a.ctx.region_id, b.ctx.region_id])  # each region opened its own conference once
    assert items == {"Region A:s punkt": a.ctx.region_id, "Region B:s punkt": b.ctx.region_id}


def test_one_regions_worker_never_posts_the_others_messages(two_regions, monkeypatch):
    """Region A's process is stopped with a message waiting: region B's outbox worker,
    polling the same database, leaves it alone (it would post with B's Slack client)."""
    from bot.slack.models import OutboxMessage

    a, b = two_regions
    a.rt.worker.stop()
    monkeypatch.setattr(a.rt.worker, "stop", lambda *args, **kwargs: None)  # stopped once is enough
    assert a.slack.slash_command("/atgard", "polisen Region A:s punkt", user_id="U0LST001").status_code == 200
    a.ctx.settle()
    for _ in range(5):
        b.rt.worker.run_once()
    b.drain()
    assert "Region A:s punkt" not in str(b.emu.all_posts())
    with a.ctx.sf() as s:
        waiting = [m for m in s.scalars(select(OutboxMessage)) if "Region A:s punkt" in str(m.payload)]
    assert waiting and all(m.status == "pending" for m in waiting)
