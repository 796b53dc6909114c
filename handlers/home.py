"""App Home: the state of the week for the person looking."""
from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.context import BotContext
from bot.home import home_view

log = logging.getLogger(__name__)


def register(app: App, ctx: BotContext) -> None:
    @app.event("app_home_opened")
    def app_home_opened(event: dict, client: WebClient) -> None:
        if event.get("tab") != "home":
            return
        try:
            client.views_publish(user_id=event["user"], view=home_view(ctx, event["user"]))
        except SlackApiError as e:
            log.warning("views.publish of the App Home failed: %s", e.response.get("error"))
