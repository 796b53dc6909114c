"""Leading the conference: /samverkan dagordning, förläng, avsluta, analys, notera,
avvägning, fråga; the buttons Förläng 15 min, Avsluta nu, Uppfattat, Svara, Avböj; the
message shortcut *Till protokollet*. Thin: read the request, call the core."""
from __future__ import annotations

import re

from bot.actions import decline
from bot.agenda import flows as agenda
from bot.analysis import flows as analysis
from bot.conference import close
from bot.context import BotContext
from bot.questions import flows as questions
from bot.record import notes, tradeoffs
from bot.reply import Refusal, Reply
from bot.slack.text import to_plain
from handlers.boundary import Request, action, shortcut, submission
from handlers.routes import Routes
from handlers.samverkan import verb

SHORTCUT_ID = "till_protokollet"


def _typed(req: Request) -> str:
    """The verb's argument as the person typed it: Slack's escaping undone once, mentions
    as @name (stored plain, escaped again wherever it is shown)."""
    return to_plain(_raw(req)).strip()


def _raw(req: Request) -> str:
    """The verb's argument as Slack sent it (escaped, mentions as <@U…>)."""
    parts = re.split(r"\s+", req.text.strip(), maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def _id(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Refusal("leading_stale_button") from None


# ---- /samverkan verbs -------------------------------------------------------------------

@verb("dagordning", "agenda")
def agenda_verb(ctx: BotContext, req: Request, rest: str) -> Reply:
    return agenda.modal(ctx, req.user)


@verb("förläng")
def extend_verb(ctx: BotContext, req: Request, rest: str) -> Reply:
    return close.extend(ctx, req.user, close.parse_minutes(rest))


@verb("avsluta")
def close_verb(ctx: BotContext, req: Request, rest: str) -> Reply:
    return close.close_now(ctx, req.user)


@verb("analys")
def analysis_verb(ctx: BotContext, req: Request, rest: str) -> Reply:
    return analysis.modal(ctx, req.user)


@verb("notera", "anteckna")
def note_verb(ctx: BotContext, req: Request, rest: str) -> Reply:
    return notes.note(ctx, req.user, _typed(req))


@verb("avvägning")
def tradeoff_verb(ctx: BotContext, req: Request, rest: str) -> Reply:
    return tradeoffs.post(ctx, req.user, _typed(req))


@verb("fråga")
def question_verb(ctx: BotContext, req: Request, rest: str) -> Reply:
    return questions.ask(ctx, req.user, _raw(req))


# ---- modals ----------------------------------------------------------------------------------

@submission
def agenda_submitted(ctx: BotContext, req: Request) -> Reply:
    return agenda.submit(ctx, req.user, _id(req.private_metadata), agenda.read(req.values))


@submission
def analysis_submitted(ctx: BotContext, req: Request) -> Reply:
    return analysis.submit(ctx, req.user, _id(req.private_metadata), analysis.read(req.values))


@submission
def answer_submitted(ctx: BotContext, req: Request) -> Reply:
    text = ((req.values.get(questions.ANSWER) or {}).get("value") or {}).get("value") or ""
    return questions.answer(ctx, req.user, _id(req.private_metadata), text)


@submission
def decline_submitted(ctx: BotContext, req: Request) -> Reply:
    reason = ((req.values.get(decline.REASON) or {}).get("value") or {}).get("value") or ""
    return decline.decline(ctx, req.user, _id(req.private_metadata), reason)


# ---- buttons and the shortcut ------------------------------------------------------------------

@action
def extend_pressed(ctx: BotContext, req: Request) -> Reply:
    return close.extend(ctx, req.user, close.BUTTON_MINUTES, _id(req.value))


@action
def close_pressed(ctx: BotContext, req: Request) -> Reply:
    return close.close_now(ctx, req.user, _id(req.value))


@action
def tradeoff_pressed(ctx: BotContext, req: Request) -> Reply:
    return tradeoffs.acknowledge(ctx, req.user, _id(req.value))


@action
def answer_pressed(ctx: BotContext, req: Request) -> Reply:
    return questions.answer_modal(ctx, req.user, _id(req.value))


@action
def decline_pressed(ctx: BotContext, req: Request) -> Reply:
    return decline.modal(ctx, req.user, _id(req.value))


@shortcut
def to_record(ctx: BotContext, req: Request) -> Reply:
    return notes.from_message(ctx, req.user, req.channel, req.message)


def register(routes: Routes) -> None:
    routes.view(agenda.CALLBACK_ID)(agenda_submitted)
    routes.view(analysis.CALLBACK_ID)(analysis_submitted)
    routes.view(questions.CALLBACK_ID)(answer_submitted)
    routes.view(decline.CALLBACK_ID)(decline_submitted)
    routes.action(close.EXTEND_ACTION)(extend_pressed)
    routes.action(close.CLOSE_ACTION)(close_pressed)
    routes.action(tradeoffs.ACK_ACTION)(tradeoff_pressed)
    routes.action(questions.ANSWER_ACTION)(answer_pressed)
    routes.action(decline.DECLINE_ACTION)(decline_pressed)
    routes.shortcut(SHORTCUT_ID)(to_record)
