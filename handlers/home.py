"""App Home: the state of the week for the person looking."""
from __future__ import annotations

from slack_sdk import WebClient

from bot.context import BotContext
from bot.home import home_view
from bot.slack import views
from handlers.boundary import event
from handlers.routes import Routes


@event
def app_home_opened(ctx: BotContext, event: dict, client: WebClient) -> None:
    """An event, not a request of the person: nothing to answer, only the tab to publish."""
    if event.get("tab") == "home":
        views.publish_home(client, event["user"], home_view(ctx, event["user"]))


def register(routes: Routes) -> None:
    routes.event("app_home_opened")(app_home_opened)
