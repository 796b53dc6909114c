"""App Home: the state of the week for the person looking."""
from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.context import CONTEXT_KEY
from bot.home import home_view
from bot.slack import views


def app_home_opened(event: dict, client: WebClient, context: BoltContext) -> None:
    """An event, not a request of the person: nothing to answer, only the tab to publish."""
    if event.get("tab") == "home":
        views.publish_home(client, event["user"], home_view(context[CONTEXT_KEY], event["user"]))


def register(app: App) -> None:
    app.event("app_home_opened")(app_home_opened)
