"""What happens at each scheduled moment of the weekly conference.

Each flow runs inside the transaction that claimed the occurrence, so the claim, the
domain change and the queued Slack messages commit together or not at all.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from bot import after_followup
from bot.actions import flows as action_flows
from bot.activation import flows as activation_flows
from bot.conference import close, messages, opening, service
from bot.conference.models import OPEN
from bot.context import BotContext
from bot.floor import flows as floor_flows
from bot.report import flows as report_flows
from bot.schedule.calendar import Kind, Occurrence, Timing, week_plan
from bot.slack import outbox


def _late_minutes(occ: Occurrence, now) -> int:
    return max(0, int((now - occ.at).total_seconds() // 60))


def _open_at(ctx: BotContext, occ: Occurrence):
    return week_plan(ctx.cfg.conference, ctx.cfg.tz, *occ.iso_week).opens_at


def _next_open_after(ctx: BotContext, occ: Occurrence):
    year, week = occ.iso_week
    monday = occ.key_date - timedelta(days=occ.key_date.weekday())
    for weeks in range(1, 5):
        y, w, _ = (monday + timedelta(weeks=weeks)).isocalendar()
        for o in week_plan(ctx.cfg.conference, ctx.cfg.tz, y, w).occurrences:
            if o.kind == Kind.OPEN:
                return o.at
    return None


def call_for_reports(ctx: BotContext, s: Session, occ: Occurrence, timing: Timing) -> None:
    now = ctx.now()
    conf = service.get_or_create_ordinary(s, ctx.region_id, ctx.cfg.channel, *occ.iso_week, now,
                                          held_on=occ.held_on, holiday=occ.holiday)
    if occ.skipped:
        service.mark_skipped(conf)
        payload = messages.kallelse(ctx.renderer, skipped=True, week=occ.iso_week[1], nominal_date=occ.key_date,
                                    holiday=occ.holiday, next_open_at=_next_open_after(ctx, occ))
    else:
        open_at = _open_at(ctx, occ)
        conf.scheduled_at = open_at
        payload = messages.kallelse(ctx.renderer, skipped=False, week=occ.iso_week[1], nominal_date=occ.key_date,
                                    held_on=occ.held_on, open_at=open_at, holiday=occ.holiday, policy=occ.policy,
                                    late_minutes=_late_minutes(occ, now) if timing == Timing.LATE else 0)
        payload["blocks"] = [*payload["blocks"], *opening.kallelse_agenda(ctx, s, conf)]
    outbox.post(s, now, ctx.cfg.channel, **payload)


def reminder(ctx: BotContext, s: Session, occ: Occurrence, timing: Timing) -> None:
    """Reminds actors without a report."""
    report_flows.remind(ctx, s, occ, timing)


def open_conference(ctx: BotContext, s: Session, occ: Occurrence, timing: Timing) -> None:
    now = ctx.now()
    conf = service.get_or_create_ordinary(s, ctx.region_id, ctx.cfg.channel, *occ.iso_week, now,
                                          held_on=occ.held_on, scheduled_at=occ.at, holiday=occ.holiday)
    if timing == Timing.MISSED:
        service.mark_missed(conf)
        payload = messages.missed(ctx.renderer, week=occ.iso_week[1], open_at=occ.at,
                                  grace_minutes=ctx.cfg.conference.grace_minutes)
        outbox.post(s, now, conf.channel, **payload)
        return
    late = _late_minutes(occ, now) if timing == Timing.LATE else 0
    service.mark_open(conf, now, late)
    close_at = occ.at + timedelta(minutes=ctx.cfg.conference.duration_minutes)
    extra = [*floor_flows.opening_blocks(ctx, s, conf), *action_flows.opening_blocks(ctx, s, conf),
             *opening.declined_blocks(ctx, s), *after_followup.opening_blocks(ctx, s)]
    payload = opening.payload(ctx, s, conf, close_at=close_at, extra=extra, held_on=occ.held_on, open_at=occ.at,
                              host=ctx.host_name(), late_minutes=late, holiday=occ.holiday, policy=occ.policy,
                              activation_note=activation_flows.opening_note(ctx, s, conf))
    opening.post_opening(ctx, s, conf, payload)


def close_conference(ctx: BotContext, s: Session, occ: Occurrence, timing: Timing) -> None:
    now = ctx.now()
    conf = service.get_or_create_ordinary(s, ctx.region_id, ctx.cfg.channel, *occ.iso_week, now)
    if conf.status != OPEN:
        return  # never opened (missed or skipped): nothing to close
    if close.postponed(ctx, s, conf, now):
        return  # extended: bot.conference.close closes it at the new time
    close.close(ctx, s, conf)


FLOWS = {Kind.CALL: call_for_reports, Kind.REMINDER: reminder, Kind.OPEN: open_conference,
         Kind.CLOSE: close_conference}
