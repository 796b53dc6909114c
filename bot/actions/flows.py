"""Action item flows (filled in by the summary capability)."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.conference.models import Conference
from bot.context import BotContext


def opening_blocks(ctx: BotContext, s: Session, conf: Conference) -> list[dict[str, Any]]:
    """Blocks for the opening message: open action items carried over ("Uppföljning")."""
    return []
