"""/samverkan <verb> …: one command, many verbs. Each capability registers its verbs
with `verb(...)` in its own handler module; this module only dispatches."""
from __future__ import annotations

from typing import Callable

from bot import commands
from bot.conference import status as conference_status
from bot.context import BotContext
from bot.reply import Refusal, Reply
from bot.summary import flows as summary_flows
from bot.slack import views
from handlers.boundary import Request, command
from handlers.routes import Routes

Verb = Callable[[BotContext, Request, str], Reply]
VERBS: dict[str, Verb] = {}
SLOW: set[str] = set()  # verbs acknowledged at once and answered through response_url


def verb(*words: str, slow: bool = False) -> Callable[[Verb], Verb]:
    """Registers `fn(ctx, req, rest)` for `/samverkan <word> <rest>` (words as typed;
    compared folded, so `förläng` also answers `forlang`)."""

    def register(fn: Verb) -> Verb:
        for w in words:
            key = commands.fold(w)
            if key in VERBS:
                raise ValueError(f"/samverkan {w} is registered twice")
            VERBS[key] = fn
            if slow:
                SLOW.add(key)
        return fn

    return register


def _is_slow(text: str) -> bool:
    return commands.split(text)[0] in SLOW


@command(slow=_is_slow)
def samverkan(ctx: BotContext, req: Request) -> Reply:
    word, rest = commands.split(req.text)
    if commands.is_help(word):
        return Reply(ctx.renderer.render("help.md.j2"))
    fn = VERBS.get(word)
    if fn is None:
        raise Refusal("samverkan_unknown", word=word)
    return fn(ctx, req, rest)


@verb("status")
def status(ctx: BotContext, req: Request, rest: str) -> Reply:
    return Reply(ctx.renderer.render("status.md.j2", **conference_status.week_status(ctx)))


@verb("sammanfattning", "summering", "summary", slow=True)  # rebuilding a summary and asking Slack for a link take time
def summary(ctx: BotContext, req: Request, rest: str) -> Reply:
    return Reply(summary_flows.command(ctx, req.user, lambda channel, ts: views.permalink(req.client, channel, ts)))


def register(routes: Routes) -> None:
    routes.command("/samverkan")(samverkan)
