"""Aktiverat läge flows (filled in by the activation capability)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.conference.models import Conference
from bot.context import BotContext


def opening_note(ctx: BotContext, s: Session, conf: Conference) -> str | None:
    """A line for the ordinary opening message while an activation is ongoing."""
    return None
