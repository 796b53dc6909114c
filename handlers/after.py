"""After the conference: /samverkan utvärdera, lärdom, lärdomar, ärenden, konflikt,
konflikter, statistik; the Snabbutvärdera, ärende-step and Löst buttons; their modals."""
from __future__ import annotations


from bot.cases import flows as case_flows
from bot.cases import messages as case_messages
from bot.conflicts import flows as conflict_flows
from bot.context import BotContext
from bot.evaluation import flows as evaluation_flows
from bot.evaluation import messages as evaluation_messages
from bot.lessons import flows as lesson_flows
from bot.reply import Reply
from bot.stats import flows as stats_flows
from handlers.boundary import Request, action, submission
from handlers.routes import Routes
from handlers.samverkan import verb


@verb("utvärdera", "utvärdering", "snabbutvärdera")
def evaluate(ctx: BotContext, req: Request, rest: str) -> Reply:
    return evaluation_flows.form(ctx, req.user)


@verb("lärdom")
def lesson(ctx: BotContext, req: Request, rest: str) -> Reply:
    return lesson_flows.add(ctx, req.user, rest)


@verb("lärdomar", "erfarenhetslogg")
def lessons(ctx: BotContext, req: Request, rest: str) -> Reply:
    return lesson_flows.listing(ctx, req.user)


@verb("ärenden", "ärende")
def cases(ctx: BotContext, req: Request, rest: str) -> Reply:
    return case_flows.listing(ctx, req.user, rest)


@verb("konflikt", "målkonflikt")
def conflict(ctx: BotContext, req: Request, rest: str) -> Reply:
    return conflict_flows.record_conflict(ctx, req.user, rest)


@verb("konflikter", "målkonflikter")
def conflicts(ctx: BotContext, req: Request, rest: str) -> Reply:
    return conflict_flows.listing(ctx, req.user)


@verb("statistik", slow=True)  # drawing the chart takes a moment
def statistics(ctx: BotContext, req: Request, rest: str) -> Reply:
    return stats_flows.command(ctx, req.user, rest)


@action
def evaluation_button(ctx: BotContext, req: Request) -> Reply:
    return evaluation_flows.form(ctx, req.user, req.value or "")


@submission
def evaluation_submitted(ctx: BotContext, req: Request) -> Reply:
    return evaluation_flows.submit(ctx, req.user, req.private_metadata, req.values)


@action
def case_step_button(ctx: BotContext, req: Request) -> Reply:
    return case_flows.move_form(ctx, req.user, req.value)


@submission
def case_step_submitted(ctx: BotContext, req: Request) -> Reply:
    return case_flows.move(ctx, req.user, req.private_metadata, req.values)


@action
def conflict_resolved(ctx: BotContext, req: Request) -> Reply:
    return conflict_flows.resolve(ctx, req.user, req.value)


def register(routes: Routes) -> None:
    routes.action(evaluation_messages.BUTTON_ACTION)(evaluation_button)
    routes.view(evaluation_messages.CALLBACK)(evaluation_submitted)
    routes.action(case_messages.MOVE_ACTION)(case_step_button)
    routes.view(case_messages.CALLBACK)(case_step_submitted)
    routes.action(conflict_flows.RESOLVE_ACTION)(conflict_resolved)
