"""A slash command sent twice has no second effect.

Slack never sends a slash command twice, and its trigger id is unique per invocation: a
second request with a trigger id seen before is a replay (within the five minutes bot.edge
accepts a signature). The trigger id is stored in the command's own first write, not in a
transaction of its own: `expect` notes it for the request's thread, and the first
transaction that thread opens (BotContext.write or BotContext.tx) stores it before
anything else and raises `Replayed` if it was there already, so the replay's work is rolled
back with it. A command that writes nothing has its trigger id stored after it ran
(`settle`): replaying a question has no effect anyway.
"""
from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.audit.models import SeenTrigger
from bot.db.writer import group_of

_pending: ContextVar[dict[str, Any] | None] = ContextVar("pending_trigger", default=None)
_INSERT = insert(SeenTrigger.__table__)


class Replayed(Exception):
    """This slash command was handled before (its trigger id is stored)."""


def expect(trigger_id: str, now: datetime) -> None:
    """The command being handled on this thread has this trigger id."""
    _pending.set({"trigger_id": trigger_id[:255], "received_at": now})


def take() -> dict[str, Any] | None:
    """The trigger id still to be stored for this thread's command (and forgets it)."""
    row = _pending.get()
    if row is not None:
        _pending.set(None)
    return row


def give_back(row: dict[str, Any] | None) -> None:
    """A taken trigger id whose transaction failed for another reason than a replay: the
    command's next write (a retry) stores it."""
    if row is not None:
        _pending.set(row)


def store(session: Session, row: dict[str, Any] | None) -> None:
    """Stores a taken trigger id first in a transaction; Replayed if it was seen before.
    In a group of writes (bot.db.writer) it joins the group's one INSERT: a replay makes
    the group fail at its end, and run again unit by unit, each alone, where it is
    stored at once and the replay raises Replayed."""
    if row is None:
        return
    group = group_of(session)
    if group is not None and not group.alone:
        group.add_row(SeenTrigger.__table__, row)
        return
    try:  # the transaction (with everything in it) is rolled back when this raises
        session.connection().execute(_INSERT, row)
    except IntegrityError:
        raise Replayed(row["trigger_id"]) from None
