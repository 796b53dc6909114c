"""Scheduled tasks beyond the weekly calendar (weekly digest, action-item reminders,
avstämningar in activated mode).

A *task source* is a function `(ctx, start, end) -> list[Task]` returning the tasks due
in [start, end). The runner claims each task once per region with (key_date, kind), the
same as the conference's own occurrences, so `kind` must be unique for what it does,
e.g. "digest" or "action_reminder:42:unacknowledged".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable

from sqlalchemy.orm import Session

from bot.context import BotContext
from bot.schedule.calendar import Timing


@dataclass(frozen=True)
class Task:
    key_date: date
    kind: str  # with key_date and the region: the claim key (max 80 characters)
    at: datetime  # aware UTC
    run: Callable[[BotContext, Session, Timing], None]
    grace: timedelta = timedelta(hours=12)  # later than this it is claimed as missed, not run


TaskSource = Callable[[BotContext, datetime, datetime], list[Task]]
