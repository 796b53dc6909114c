"""Lägesbild flows (filled in by the lägesbild capability)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.conference.models import Conference
from bot.context import BotContext
from bot.schedule.calendar import Occurrence, Timing


def on_open(ctx: BotContext, s: Session, conf: Conference) -> None:
    """Called when a conference opens, after its root message is queued: posts the
    reports submitted before the opening into the thread."""


def remind(ctx: BotContext, s: Session, occ: Occurrence, timing: Timing) -> None:
    """The reminder occurrence: one DM to the tib members of each actor without a report."""
