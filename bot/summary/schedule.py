"""The weekly automatic summary as a scheduler task (filled in by the summary capability)."""
from __future__ import annotations

from datetime import datetime

from bot.context import BotContext
from bot.schedule.tasks import Task


def digest_tasks(ctx: BotContext, start: datetime, end: datetime) -> list[Task]:
    return []
