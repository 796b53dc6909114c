"""Slack listeners. Each module registers its own; all of them stay thin: parse the
payload, authorise, call the core, render, respond."""
from __future__ import annotations

from slack_bolt import App

from bot.context import BotContext


def register_all(app: App, ctx: BotContext) -> None:
    from handlers import after, aktivera, atgard, home, lagesbild, samverkan, talarordning

    for module in (samverkan, home, lagesbild, talarordning, atgard, aktivera):
        module.register(app, ctx)
    after.register(app, ctx)  # after the conference (issue 11)
