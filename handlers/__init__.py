"""Slack listeners. Each module registers its own; all of them stay thin: parse the
payload, authorise, call the core, render, respond."""
from __future__ import annotations

from slack_bolt import App

from bot.context import BotContext


def register_all(app: App, ctx: BotContext) -> None:
    from handlers import aktivera, atgard, home, lagesbild, leading, samverkan, talarordning

    for module in (samverkan, home, lagesbild, talarordning, atgard, aktivera, leading):
        module.register(app, ctx)
