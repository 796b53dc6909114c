"""Action item reminders as scheduler tasks (filled in by the summary capability)."""
from __future__ import annotations

from datetime import datetime

from bot.context import BotContext
from bot.schedule.tasks import Task


def reminder_tasks(ctx: BotContext, start: datetime, end: datetime) -> list[Task]:
    return []
