"""/talarordning [nästa] and the headline's buttons (Nästa, Hoppa över, Begär ordet)."""
from __future__ import annotations

import re


from bot import commands
from bot.context import BotContext
from bot.floor import flows
from bot.floor.messages import NEXT, REQ, SKIP
from bot.reply import Refusal, Reply
from bot.slack.outbox import Pressed
from bot.slack.text import unescape
from handlers.boundary import Request, action, command
from handlers.routes import Routes

NEXT_WORDS = ("nasta", "next")  # folded: `nästa`, `Nästa`


@command
def talarordning(ctx: BotContext, req: Request) -> Reply:
    word, rest = commands.split(req.text)
    if word in NEXT_WORDS and not rest:
        return flows.command_next(ctx, req.user)
    if not word:
        return flows.command_show(ctx, req.user)
    raise Refusal("floor_unknown", word=unescape(req.text).strip())


@action
def floor_moved(ctx: BotContext, req: Request) -> Reply:
    return flows.press_move(ctx, req.user, req.value, passed=req.action_id == SKIP,
                            via=Pressed.of(req.response_url, req.message, req.channel))


@action
def floor_asked(ctx: BotContext, req: Request) -> Reply:
    return flows.press_ask(ctx, req.user, req.value, Pressed.of(req.response_url, req.message, req.channel))


def register(routes: Routes) -> None:
    routes.command("/talarordning")(talarordning)
    routes.action(re.compile(f"^({NEXT}|{SKIP})$"))(floor_moved)
    routes.action(REQ)(floor_asked)
