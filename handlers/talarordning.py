"""/talarordning (filled in by its capability)."""
from __future__ import annotations

from slack_bolt import App

from bot.context import BotContext


def register(app: App, ctx: BotContext) -> None:
    pass
