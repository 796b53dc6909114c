"""Every task source of the bot (the one list to extend); see bot/schedule/tasks.py."""
from __future__ import annotations

from bot.actions.schedule import reminder_tasks
from bot.activation.schedule import avstamning_tasks
from bot.conference.close import close_tasks
from bot.schedule.tasks import TaskSource
from bot.summary.schedule import digest_tasks


def task_sources() -> list[TaskSource]:
    return [digest_tasks, reminder_tasks, avstamning_tasks, close_tasks]
