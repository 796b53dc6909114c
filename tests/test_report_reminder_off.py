"""A region can turn the reminder off (`reminder: false`): no DM at all."""
from __future__ import annotations

from datetime import time

import pytest

from bot.schedule.calendar import Kind, week_plan
from bot.report import flows
from tests.helpers import with_conference
from tests.test_report_support import at


@pytest.fixture
def region_cfg(region_cfg):
    return with_conference(region_cfg, reminder=None)


def test_no_reminder_when_the_region_turned_it_off(bot):
    assert all(o.kind != Kind.REMINDER for o in week_plan(bot.cfg.conference, bot.cfg.tz, 2026, 48).occurrences)
    bot.tick(at(9, 0, 1))
    bot.tick(at(15, 0, 1))
    bot.tick(at(15, 59))
    assert all(not bot.emu.dms(m.user) for m in bot.cfg.members)
    # even if the flow were called for a week's reminder, it sends nothing
    on_time = week_plan(with_conference(bot.cfg, reminder=time(15, 0)).conference, bot.cfg.tz, 2026, 48)
    occ = next(o for o in on_time.occurrences if o.kind == Kind.REMINDER)
    with bot.ctx.tx() as s:
        flows.remind(bot.ctx, s, occ, "on_time")
    bot.drain()
    assert all(not bot.emu.dms(m.user) for m in bot.cfg.members)
