"""Action item reminders as scheduler tasks (claimed once each by the runner).

For every open item (raised points excluded):
* `action:<id>:unack`: not acknowledged `remind_unacknowledged_hours` after it was
  registered: a DM to every member of the owning actor.
* `action:<id>:due`: `remind_due_days` before the due date (0: on the day), at 09.00
  local time, unless that moment was before the item existed.
* `action:<id>:overdue`: the day after the due date, at 09.00 local time.
Each task checks again when it runs (acknowledged or done by then: nothing is sent).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Callable

from sqlalchemy.orm import Session

from bot.actions import messages, service
from bot.actions.models import OPEN, ActionItem
from bot.context import BotContext
from bot.region.service import actor_members
from bot.schedule.calendar import Timing, to_utc
from bot.schedule.tasks import Task, tasks_of
from bot.slack import outbox

REMIND_AT = time(9, 0)  # local time of the due / overdue reminders


def _at_local(day: date, tz) -> datetime:
    return to_utc(day, REMIND_AT, tz)


def _send(item_id: int, kind: str) -> Callable[[BotContext, Session, Timing], None]:
    def run(ctx: BotContext, s: Session, timing: Timing) -> None:
        item = s.get(ActionItem, item_id)
        if item is None or item.status != OPEN or item.raised:
            return
        if kind == "unack" and service.owner_ack(item) is not None:
            return
        now = ctx.now()
        v = service.view(s, item, service.local_today(now, ctx.cfg.tz))
        link_to = outbox.permalink(item.ref) if outbox.posted_ts(s, item.ref) else None
        payload = messages.reminder(ctx.renderer, v, kind, link_to)
        for user in dict.fromkeys(actor_members(s, item.owner_actor_id)):
            outbox.post(s, now, user, payload["text"], payload["blocks"])
    return run


def item_tasks(item: ActionItem, cfg) -> list[Task]:
    tz, conf = cfg.tz, cfg.action_items
    tasks = []
    if service.owner_ack(item) is None:
        at = item.created_at + timedelta(hours=conf.remind_unacknowledged_hours)
        tasks.append(Task(at.astimezone(tz).date(), f"action:{item.id}:unack", at, _send(item.id, "unack")))
    if item.due is not None:
        day = item.due - timedelta(days=conf.remind_due_days)
        at = _at_local(day, tz)
        if at > item.created_at:
            tasks.append(Task(day, f"action:{item.id}:due", at, _send(item.id, "due")))
        day = item.due + timedelta(days=1)
        tasks.append(Task(day, f"action:{item.id}:overdue", _at_local(day, tz), _send(item.id, "overdue")))
    return tasks


def reminder_tasks(ctx: BotContext, start: datetime, end: datetime) -> list[Task]:
    with ctx.sf() as s:
        items = service.open_items(s, ctx.region_id)
        tasks = tasks_of(items, lambda item: item_tasks(item, ctx.cfg), lambda item: f"action item {item.id}")
    return [t for t in tasks if start <= t.at < end]
