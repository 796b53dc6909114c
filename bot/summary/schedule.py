"""The weekly automatic summary as a scheduler task: one `digest` task a week at
`digest.weekday` / `digest.time` local time (default Friday 09.00); none when disabled."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.actions.service import local_today
from bot.context import BotContext
from bot.schedule.calendar import Timing, to_utc
from bot.schedule.tasks import Task
from bot.slack import outbox
from bot.summary import digest, messages

KIND = "digest"


def _run(day: date):
    def run(ctx: BotContext, s: Session, timing: Timing) -> None:
        post_digest(ctx, s, day)
    return run


def post_digest(ctx: BotContext, s: Session, day: date) -> digest.Digest:
    """Posts the digest for the week `day` reports on, and its participation chart."""
    now = ctx.now()
    year, week = digest.covered_week(day, ctx.cfg.digest.time, ctx.cfg.conference.weekday,
                                     ctx.cfg.conference.time)
    data = digest.build(s, ctx.region_id, year, week, local_today(now, ctx.cfg.tz))
    channel = ctx.cfg.channel
    for page in messages.digest_pages(ctx.renderer, data):
        outbox.post(s, now, channel, page["text"], page["blocks"])
    chart = messages.digest_chart(ctx.renderer, data)
    outbox.upload(s, now, channel, chart["filename"], chart["content_b64"], chart["title"], chart["comment"])
    return data


def digest_tasks(ctx: BotContext, start: datetime, end: datetime) -> list[Task]:
    cfg = ctx.cfg.digest
    if not cfg.enabled:
        return []
    tz = ctx.cfg.tz
    tasks = []
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        if day.weekday() == cfg.weekday:
            at = to_utc(day, cfg.time, tz)
            if start <= at < end:
                tasks.append(Task(day, KIND, at, _run(day)))
        day += timedelta(days=1)
    return tasks
