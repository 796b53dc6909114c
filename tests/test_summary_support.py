"""Helpers for the action-item, summary, digest and export tests (no tests here)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.actions.models import ActionItem
from bot.conference.models import Conference
from bot.region.models import Actor
from bot.report.models import Report, ReportVersion
from tests.helpers import text_of, thread  # noqa: F401  (re-exported for the tests using them)

STHLM = ZoneInfo("Europe/Stockholm")
THU = 26  # the fixture's Thursday: 26 November 2026, ISO week 48


def at(hh: int, mm: int = 0, day: int = THU, month: int = 11) -> datetime:
    return datetime(2026, month, day, hh, mm, tzinfo=STHLM)


def open_conference(bot, day: int = THU, month: int = 11) -> Conference:
    bot.tick(at(16, 1, day, month))
    with bot.ctx.sf() as s:
        conf = s.scalars(select(Conference).where(Conference.status == "open", Conference.kind == "ordinary")).one()
    return conf


def close_conference(bot, day: int = THU, month: int = 11) -> None:
    bot.tick(at(17, 1, day, month))


def conference(bot, week: int = 48) -> Conference:
    with bot.ctx.sf() as s:
        return s.scalars(select(Conference).where(Conference.week_key == f"2026-W{week:02d}")).one()




def add_report(bot, conf_id: int, actor_key: str, fields: dict | None = None, *, status: str | None = "normal",
               nothing_new: bool = False, user: str = "U0LST001", when: datetime | None = None,
               versions: int = 1) -> None:
    """A report written straight to the database (the lägesbild capability is not under test here)."""
    when = when or at(15, 0)
    with bot.ctx.tx() as s:
        actor = s.scalars(select(Actor).where(Actor.region_id == bot.ctx.region_id, Actor.key == actor_key)).one()
        rep = Report(conference_id=conf_id, actor_id=actor.id, version=versions, nothing_new=nothing_new,
                     needs_coordination=bool((fields or {}).get("behov")), created_at=when, updated_at=when)
        s.add(rep)
        s.flush()
        for v in range(1, versions + 1):
            s.add(ReportVersion(report_id=rep.id, version=v, fields=dict(fields or {}), status=status,
                                nothing_new=nothing_new, submitted_by=user, submitted_at=when))


def item(bot, item_id: int) -> ActionItem:
    with bot.ctx.sf() as s:
        row = s.get(ActionItem, item_id)
        row.acknowledgements  # load
        return row


def items(bot) -> list[ActionItem]:
    with bot.ctx.sf() as s:
        return list(s.scalars(select(ActionItem).order_by(ActionItem.id)))


def atgard(bot, text: str, user: str = "U0LST001") -> str:
    r = bot.slack.slash_command("/atgard", text, user_id=user, channel_id=bot.cfg.channel)
    assert r.status_code == 200, r.text
    bot.drain()
    return r.json()["text"] if r.text else ""


def item_message(bot, item_id: int) -> dict:
    """The item's message, wherever it was posted (thread or channel)."""
    found = [m for m in bot.emu.all_posts() if any(b.get("block_id") == f"action:{item_id}"
                                                  for b in m.get("blocks") or [])
             or (m.get("text") or "").startswith(f"Åtgärdspunkt #{item_id} ")]
    assert found, f"no message for item {item_id}"
    return found[0]
