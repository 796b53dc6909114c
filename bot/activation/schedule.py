"""Avstämningar in activated mode as scheduler tasks (filled in by the activation capability)."""
from __future__ import annotations

from datetime import datetime

from bot.context import BotContext
from bot.schedule.tasks import Task


def avstamning_tasks(ctx: BotContext, start: datetime, end: datetime) -> list[Task]:
    return []
