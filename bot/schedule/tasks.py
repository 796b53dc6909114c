"""Scheduled tasks beyond the weekly calendar (weekly digest, action-item reminders,
avstämningar in activated mode).

A *task source* is a function `(ctx, start, end) -> list[Task]` returning the tasks due
in [start, end). The runner claims each task once per region with (key_date, kind), the
same as the conference's own occurrences, so `kind` must be unique for what it does,
e.g. "digest" or "action_reminder:42:unacknowledged".
"""
from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable, Iterable, TypeVar

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
T = TypeVar("T")
log = logging.getLogger(__name__)


def _log_error(what: str) -> None:
    log.error("%s failed; skipped", what, exc_info=True)


# Who hears of a thing skipped by tasks_of: the runner sets its own log-once function.
skipped: ContextVar[Callable[[str], None]] = ContextVar("skipped", default=_log_error)


def tasks_of(things: Iterable[T], make: Callable[[T], list[Task]], name: Callable[[T], str]) -> list[Task]:
    """The tasks `make` derives from each thing. A thing whose tasks cannot be derived (a
    stored value out of any sane range) is logged once and skipped; the others count."""
    tasks: list[Task] = []
    for thing in things:
        try:
            tasks += make(thing)
        except Exception:  # noqa: BLE001 - one odd row must not stop the scheduler
            skipped.get()(f"planning the tasks of {name(thing)}")
    return tasks

