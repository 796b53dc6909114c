"""/atgard <aktör> <text> [senast <datum>] | lista | lyft <text>, and the Kvittera/Klar buttons."""
from __future__ import annotations


from bot import commands
from bot.actions import flows
from bot.actions.messages import ACK_ACTION, DONE_ACTION
from bot.context import BotContext
from bot.reply import Reply
from bot.slack.outbox import Pressed
from handlers.boundary import Request, action, command
from handlers.routes import Routes

COMMANDS = ("/atgard", "/åtgärd")  # the alias may be registered in the Slack app too


@command
def atgard(ctx: BotContext, req: Request) -> Reply:
    word, rest = commands.split(req.text)
    if commands.is_help(word):
        return Reply(ctx.renderer.t("action_usage"))
    if word in flows.LIST_WORDS and not rest:
        return flows.list_open(ctx, req.user)
    if word in flows.RAISE_WORDS:
        return flows.raise_point(ctx, req.user, req.text.strip().partition(" ")[2])  # as Slack sent it
    return flows.create(ctx, req.user, req.text)


@action
def action_pressed(ctx: BotContext, req: Request) -> Reply:
    """Kvittera / Klar: the item's message shows the change; a refusal is said to the person."""
    return flows.press(ctx, req.user, req.action_id or "", req.value, Pressed.of(req.response_url, req.message, req.channel))


def register(routes: Routes) -> None:
    for name in COMMANDS:
        routes.command(name)(atgard)
    routes.action(ACK_ACTION)(action_pressed)
    routes.action(DONE_ACTION)(action_pressed)
