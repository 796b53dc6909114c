"""Which conference a leader's verb acts on: the open one (an activated conference
before the ordinary one), else the next ordinary one, or the latest held one."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conference import service
from bot.conference.models import ACTIVATED, CLOSED, OPEN, ORDINARY, SCHEDULED, Conference
from bot.context import BotContext
from bot.schedule.calendar import Kind, next_occurrences

_FOUR_WEEKS = timedelta(weeks=4)


def open_now(s: Session, region_id: int) -> Conference | None:
    base = select(Conference).where(Conference.region_id == region_id, Conference.status == OPEN)
    for kind in (ACTIVATED, ORDINARY):
        conf = s.scalars(base.where(Conference.kind == kind).order_by(Conference.opened_at.desc())).first()
        if conf is not None:
            return conf
    return None


def next_ordinary(ctx: BotContext, s: Session, *, create: bool = True) -> Conference | None:
    """The next ordinary conference to open: created (scheduled) if its kallelse has not
    been posted yet, so an agenda or a note can be set ahead of it. `create=False` (a
    question, which stores nothing): a conference not in the database yet is returned as
    it will be, without being stored."""
    scheduled = s.scalars(select(Conference).where(
        Conference.region_id == ctx.region_id, Conference.kind == ORDINARY, Conference.status == SCHEDULED)
        .order_by(Conference.iso_year, Conference.iso_week)).first()
    if scheduled is not None:
        return scheduled
    now = ctx.now()
    for occ in next_occurrences(ctx.cfg.conference, ctx.cfg.tz, now, horizon=_FOUR_WEEKS):
        if occ.kind != Kind.OPEN:
            continue
        if create:
            return service.get_or_create_ordinary(s, ctx.region_id, ctx.cfg.channel, *occ.iso_week, now,
                                                  held_on=occ.held_on, scheduled_at=occ.at, holiday=occ.holiday)
        return service.find_ordinary(s, ctx.region_id, *occ.iso_week) or service.planned_ordinary(
            ctx.region_id, ctx.cfg.channel, *occ.iso_week, now, scheduled_at=occ.at, holiday=occ.holiday)
    return None


def open_or_next(ctx: BotContext, s: Session) -> Conference | None:
    return open_now(s, ctx.region_id) or next_ordinary(ctx, s)


def open_or_latest(s: Session, region_id: int) -> Conference | None:
    """The open conference, else the one that closed last (its record can still be completed)."""
    return open_now(s, region_id) or s.scalars(select(Conference).where(
        Conference.region_id == region_id, Conference.status == CLOSED)
        .order_by(Conference.closed_at.desc(), Conference.id.desc())).first()

