"""Samlad lägesbild (filled in by the summary capability)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.conference.models import Conference
from bot.context import BotContext


def on_close(ctx: BotContext, s: Session, conf: Conference) -> None:
    """Called when a conference closes (ordinary at its end, activated at /avaktivera):
    posts the samlad lägesbild in the thread and a notice with a link in the channel."""
