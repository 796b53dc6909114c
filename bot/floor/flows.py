"""Talarordning flows (filled in by the talarordning capability)."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.conference.models import Conference
from bot.context import BotContext


def opening_blocks(ctx: BotContext, s: Session, conf: Conference) -> list[dict[str, Any]]:
    """Blocks for the opening message: the speaking order."""
    return []


def on_open(ctx: BotContext, s: Session, conf: Conference) -> None:
    """Called when a conference opens, after the reports: posts the live headline."""


def on_report(ctx: BotContext, s: Session, conf: Conference, actor_id: int) -> None:
    """Called when an actor's report arrives while the conference is open."""
