"""Follow-up of action items: reminders by DM (unacknowledged, near due, overdue; once
each) and every open item carried into the next opening under "Uppföljning"."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from sqlalchemy import select

from bot.actions.schedule import reminder_tasks
from bot.schedule.models import JobClaim
from tests.test_summary_support import (at, atgard, close_conference, item_message, open_conference, text_of,
                                        thread)

LINK = re.compile(r"<https://emulator\.slack\.test/archives/C0CONF01/p\d+\?thread_ts=[\d.]+&cid=C0CONF01\|#1>")


def _dm_texts(bot, user: str) -> list[str]:
    return [text_of(m) for m in bot.emu.dms(user)]


def _press(bot, user: str, action: str, item_id: int) -> None:
    msg = item_message(bot, item_id)
    assert bot.slack.block_action(user, action, message=msg, channel_id=msg["channel"]).status_code == 200
    bot.drain()


def test_unacknowledged_item_is_reminded_once_to_the_owners_members(bot):
    open_conference(bot)
    bot.clock.set(at(16, 20))
    atgard(bot, "trafikverket Samordna information om vägläget senast 2026-12-01")
    bot.tick(at(16, 19, day=27))  # 23 h 59 min later: not yet
    assert bot.emu.dms("U0TRV001") == []
    bot.tick(at(16, 21, day=27))
    for user in ("U0TRV001", "U0TRV002"):  # every member of the owner, any role
        texts = _dm_texts(bot, user)
        assert len(texts) == 1 and "är ej kvitterad än" in texts[0] and "Samordna information om vägläget" in texts[0]
        assert LINK.search(texts[0]), texts[0]
    assert bot.emu.dms("U0POL001") == []
    # the koordinator's only DM: the Snabbutvärdera of the conference that closed meanwhile
    assert [m["text"] for m in bot.emu.dms("U0LST001")] == ["Snabbutvärdera konferensen v. 48"]
    bot.tick(at(16, 30, day=27))
    assert len(bot.emu.dms("U0TRV001")) == 1  # once


def test_acknowledged_item_gets_due_and_overdue_reminders_but_no_unack_one(bot):
    open_conference(bot)
    bot.clock.set(at(16, 20))
    atgard(bot, "trafikverket Samordna information om vägläget senast 2026-12-01")
    _press(bot, "U0TRV001", "action_ack", 1)
    bot.tick(at(17, 0, day=27))
    assert bot.emu.dms("U0TRV001") == []
    bot.tick(at(9, 1, day=30))  # Monday: remind_due_days=1 before Tuesday 1 December
    texts = _dm_texts(bot, "U0TRV001")
    assert len(texts) == 1 and "ska vara klar senast *tisdag 1 december 2026*" in texts[0]
    bot.tick(at(9, 1, day=1, month=12))
    assert len(bot.emu.dms("U0TRV001")) == 1  # due day itself: nothing new
    bot.tick(at(9, 1, day=2, month=12))  # the day after the due date
    texts = _dm_texts(bot, "U0TRV001")
    assert len(texts) == 2 and "*Försenad:*" in texts[1] and "skulle ha varit klar senast" in texts[1]
    bot.tick(at(12, 0, day=2, month=12))
    assert len(bot.emu.dms("U0TRV001")) == 2
    with bot.ctx.sf() as s:
        kinds = set(s.scalars(select(JobClaim.kind).where(JobClaim.kind.like("action:%"))))
    assert kinds == {"action:1:due", "action:1:overdue"}


def test_done_item_is_not_reminded(bot):
    open_conference(bot)
    atgard(bot, "trafikverket Punkt senast 2026-12-01")
    _press(bot, "U0TRV002", "action_done", 1)
    bot.tick(at(9, 1, day=30))
    bot.tick(at(9, 1, day=2, month=12))
    assert bot.emu.dms("U0TRV001") == [] and bot.emu.dms("U0TRV002") == []


def test_reminder_tasks_follow_the_region_settings(bot):
    open_conference(bot)
    bot.clock.set(at(16, 20))
    atgard(bot, "trafikverket Punkt senast 2026-12-04")
    cfg = bot.cfg.model_copy(update={"action_items": bot.cfg.action_items.model_copy(
        update={"remind_unacknowledged_hours": 2, "remind_due_days": 0})})
    tasks = {t.kind: t for t in reminder_tasks(replace(bot.ctx, cfg=cfg), at(0, 0), at(0, 0, day=10, month=12))}
    assert set(tasks) == {"action:1:unack", "action:1:due", "action:1:overdue"}
    assert tasks["action:1:unack"].at == at(18, 20)
    assert (tasks["action:1:due"].key_date, tasks["action:1:due"].at) == (date(2026, 12, 4), at(9, 0, day=4, month=12))
    assert tasks["action:1:overdue"].key_date == date(2026, 12, 5)


def test_open_items_are_carried_into_the_next_opening_until_done(bot):
    conf = open_conference(bot)
    atgard(bot, "trafikverket Samordna information om vägläget senast fredag")
    atgard(bot, "polisen Förstärk bevakningen senast 2026-12-10")
    atgard(bot, "ssbf Klar punkt")
    atgard(bot, "lyft Vinterberedskap")
    _press(bot, "U0TRV001", "action_ack", 1)
    _press(bot, "U0SSB001", "action_done", 3)
    close_conference(bot)

    nxt = open_conference(bot, day=3, month=12)
    assert nxt.id != conf.id and nxt.iso_week == 49
    root = text_of(thread(bot, nxt)[0])
    follow = root.split("*Uppföljning: öppna åtgärdspunkter*")[1]
    first, second = follow.index("Samordna information om vägläget"), follow.index("Förstärk bevakningen")
    assert first < second  # overdue first
    assert ":warning: *Försenad* · *#1 Trafikverket*" in follow and "kvitterad" in follow.split("\n")[1]
    assert "*#2 Polisregion Stockholm*: Förstärk bevakningen · senast torsdag 10 december 2026 · _ej kvitterad_" in follow
    assert "Klar punkt" not in follow and "Vinterberedskap" not in follow

    _press(bot, "U0TRV001", "action_done", 1)
    _press(bot, "U0POL001", "action_done", 2)
    close_conference(bot, day=3, month=12)
    third = open_conference(bot, day=10, month=12)
    root = text_of(thread(bot, third)[0])
    assert "*Uppföljning: öppna åtgärdspunkter*\nInga öppna åtgärdspunkter." in root
