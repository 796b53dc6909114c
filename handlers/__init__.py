"""Slack listeners. Each module wires its own small top-level listeners (decorated with
handlers.boundary's command/action/submission/shortcut): read the request, call one
flow of the core, which authorises, stores and returns a bot.reply.Reply."""
from __future__ import annotations

from slack_bolt import App

from handlers import after, aktivera, atgard, home, lagesbild, leading, samverkan, talarordning
from handlers.routes import Routes

MODULES = (atgard, lagesbild, samverkan, talarordning, home, aktivera, leading, after)


def register_all(app: App) -> None:
    """Every module's listeners, behind one Bolt listener per kind (handlers.routes)."""
    routes = Routes(app)
    for module in MODULES:
        module.register(routes)
    routes.install()
