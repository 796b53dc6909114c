"""Avstämningar in activated mode as scheduler tasks: each planned avstämning of an open
activated conference is one task, claimed once (kind "avstamning:<id>")."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session

from bot.activation import flows, service
from bot.context import BotContext
from bot.schedule.calendar import Timing
from bot.schedule.tasks import Task

# A reminder more than this late (the bot was down) is pointless: claimed as missed.
GRACE = timedelta(minutes=30)


def _run(avstamning_id: int, ctx: BotContext, s: Session, timing: Timing) -> None:
    flows.remind_avstamning(ctx, s, avstamning_id)


def avstamning_tasks(ctx: BotContext, start: datetime, end: datetime) -> list[Task]:
    with ctx.sf() as s:
        planned = service.planned_avstamningar(s, ctx.region_id, start, end)
        return [Task(key_date=a.at.astimezone(ctx.cfg.tz).date(), kind=f"avstamning:{a.id}", at=a.at,
                     run=partial(_run, a.id), grace=GRACE) for a in planned]
