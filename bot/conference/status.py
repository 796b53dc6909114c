"""The state of the week, for `/samverkan status` and the App Home."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.conference import service
from bot.context import BotContext
from bot.schedule.calendar import Kind, next_occurrences


def week_status(ctx: BotContext) -> dict[str, Any]:
    now = ctx.now()
    upcoming = [o for o in next_occurrences(ctx.cfg.conference, ctx.cfg.tz, now, horizon=timedelta(days=15))
                if o.kind == Kind.OPEN]
    with ctx.sf() as s:
        current = service.current_ordinary(s, ctx.region_id)
        activated = service.current_activated(s, ctx.region_id)
        return {
            "current": {"week": current.iso_week, "status": current.status} if current else None,
            "activated": {"number": activated.number, "reason": activated.reason} if activated else None,
            "next_open_at": upcoming[0].at if upcoming else None,
            "next_week": upcoming[0].iso_week[1] if upcoming else None,
        }
