"""/aktivera, /avaktivera and the Aktivera/Avböj buttons of an activation request.

`/aktivera` is registered with should_escape: true, so its text arrives with &, <, >
escaped and @mentions as <@U…|name>; the core turns it back into what the person typed.
The verbs, and the rule that `kalla` is a verb only while an activation runs, are in
bot/activation/parse.py; the channel-creation sequence in bot/activation/channel.py.
This module only binds the Slack calls a flow needs (bot/slack/channels.py).
"""
from __future__ import annotations

from slack_sdk import WebClient

from bot.activation import command as flows
from bot.activation.channel import SlackChannels
from bot.activation.messages import ACCEPT_ACTION, DECLINE_ACTION
from bot.context import BotContext
from bot.reply import Reply
from bot.slack import channels
from handlers.boundary import Request, action, command
from handlers.routes import Routes


def _slack(client: WebClient | None) -> SlackChannels:
    return SlackChannels(create=lambda name, users: channels.create_with_members(client, name, users),
                         invite=lambda channel, users: channels.invite(client, channel, users))


@command
def aktivera(ctx: BotContext, req: Request) -> Reply:
    return flows.aktivera(ctx, req.user, req.text, req.channel, _slack(req.client))


@command
def avaktivera(ctx: BotContext, req: Request) -> Reply:
    return flows.avaktivera(ctx, req.user, req.text)


@action(slow=True)  # may create the activation's channel first
def request_accepted(ctx: BotContext, req: Request) -> Reply:
    return flows.accept(ctx, req.user, req.value, _slack(req.client))


@action
def request_declined(ctx: BotContext, req: Request) -> Reply:
    return flows.decline(ctx, req.user, req.value)


def register(routes: Routes) -> None:
    routes.command("/aktivera")(aktivera)
    routes.command("/avaktivera")(avaktivera)
    routes.action(ACCEPT_ACTION)(request_accepted)
    routes.action(DECLINE_ACTION)(request_declined)
