"""Helpers for the lägesbild tests (no tests here): the conference day's clock, what the
database holds, and a modal submitted the way Slack's client submits it."""
from __future__ import annotations

from tests.helpers import view_state

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.conference.models import ACTIVATED, OPEN, Conference
from bot.region.models import Actor
from bot.report.models import Report, ReportVersion
from tests.helpers import text_of, thread  # noqa: F401  (re-exported for the tests using them)

STHLM = ZoneInfo("Europe/Stockholm")


def at(hh: int, mm: int, ss: int = 0, day: int = 26) -> datetime:
    """A local time in the week of the fixture's Thursday (26 November 2026)."""
    return datetime(2026, 11, day, hh, mm, ss, tzinfo=STHLM)


def counts(bot) -> tuple[int, int]:
    with bot.ctx.sf() as s:
        return (s.scalar(select(func.count()).select_from(Report)),
                s.scalar(select(func.count()).select_from(ReportVersion)))


def report_of(bot, actor_key: str, week: int | None = None, conference_id: int | None = None) -> Report | None:
    with bot.ctx.sf() as s:
        q = (select(Report).join(Actor, Report.actor_id == Actor.id).join(Conference, Report.conference_id == Conference.id)
             .where(Actor.key == actor_key))
        if week is not None:
            q = q.where(Conference.week_key == f"2026-W{week:02d}")
        if conference_id is not None:
            q = q.where(Conference.id == conference_id)
        return s.scalars(q).first()


def conference(bot, week: int) -> Conference | None:
    with bot.ctx.sf() as s:
        return s.scalars(select(Conference).where(Conference.week_key == f"2026-W{week:02d}")).first()




def replies_from(bot, conf: Conference, actor_name: str) -> list[dict]:
    """The actor's report messages in the thread (a long report: several), in order. Other
    capabilities post in the thread too (speaking order, action items): those are left out."""
    return [m for m in thread(bot, conf)[1:] if m.get("text") == f"Lägesbild från {actor_name}"]


def report_messages(bot, conf: Conference) -> list[dict]:
    return [m for m in thread(bot, conf)[1:] if (m.get("text") or "").startswith("Lägesbild från ")]


def new_view(bot, known: set[str], callback_id: str = "report_modal", timeout: float = 5.0) -> dict:
    """Waits for a view opened after `known` (a set of view ids) and returns it."""
    found: list[dict] = []

    def check() -> bool:
        found[:] = [v for vid, v in bot.emu.views.items() if vid not in known and v.get("type") == "modal"
                    and v.get("callback_id") == callback_id]
        return bool(found)

    assert bot.emu.wait_for(check, timeout=timeout), f"no {callback_id} view was opened"
    return found[-1]


def open_modal(bot, user: str, text: str = "") -> dict:
    known = set(bot.emu.views)
    r = bot.slack.slash_command("/lagesbild", text, user_id=user)
    assert r.status_code == 200 and not r.text, r.text  # an empty ack: the modal is the answer
    return new_view(bot, known)


def slack_values(view: dict, changes: dict) -> dict:
    return view_state(view, changes)


def submit(bot, user: str, view: dict, **changes):
    return bot.slack.view_submission(user, view, slack_values(view, changes))


def input_block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def open_activated(bot, number: int = 3, reason: str = "Snöoväder, SMHI klass 2") -> Conference:
    """An open activated conference with its root message, as the activation capability opens one."""
    from bot.conference.opening import post_opening
    from bot.slack import blocks as bk

    now = bot.ctx.now()
    with bot.ctx.tx() as s:
        conf = Conference(region_id=bot.ctx.region_id, kind=ACTIVATED, year=2026, number=number, iso_year=2026,
                          iso_week=48, status=OPEN, channel=bot.cfg.channel, opened_at=now, reason=reason,
                          created_at=now)
        s.add(conf)
        s.flush()
        post_opening(bot.ctx, s, conf, {"text": f"AKTIVERAT LÄGE nr {number}",
                                        "blocks": bk.sections(f"*AKTIVERAT LÄGE nr {number}*")})
    bot.drain()
    return conf
