"""/lagesbild [text | inget | status | hjälp | ordinarie …], the lägesbild modal, and the
"Rapportera lägesbild" button (reminder DM, App Home).

Thin: parse (bot.report.routing), call bot.report.flows (which authorises and stores).
A modal is opened with the trigger id (valid for 3 s, once); the only work before it is
one short read of who the person is and the actor's last report.
"""
from __future__ import annotations


from bot.context import BotContext
from bot.home import home_view
from bot.reply import Reply
from bot.report import flows, messages, modal, routing
from bot.slack import views
from handlers.boundary import Request, action, command, submission
from handlers.routes import Routes

COMMANDS = ("/lagesbild", "/lägesbild")


@command
def lagesbild(ctx: BotContext, req: Request) -> Reply:
    cmd = routing.parse(req.text)
    if cmd.verb == routing.HELP:
        return Reply(messages.help_text(ctx.renderer))
    if cmd.verb == routing.STATUS:
        return flows.status(ctx, req.user, ordinary=cmd.ordinary)
    if cmd.verb == routing.MODAL:
        return flows.open_modal(ctx, req.user, ordinary=cmd.ordinary)
    return flows.submit_quick(ctx, req.user, cmd)


@submission
def report_submitted(ctx: BotContext, req: Request) -> Reply:
    def refresh_home() -> None:
        views.publish_home(req.client, req.user, home_view(ctx, req.user))

    return flows.submit_modal(ctx, req.user, req.private_metadata, req.values, refresh_home)


@action
def report_actor_chosen(ctx: BotContext, req: Request) -> Reply:
    return flows.choose_actor(ctx, req.user, req.private_metadata, req.value)


@action
def report_button_pressed(ctx: BotContext, req: Request) -> Reply:
    from_home = (req.view or {}).get("type") == "home"
    return flows.open_from_button(ctx, req.user, req.value, from_home=from_home)


def register(routes: Routes) -> None:
    for name in COMMANDS:
        routes.command(name)(lagesbild)
    routes.view(modal.CALLBACK_ID)(report_submitted)
    routes.action(modal.ACTOR_ACTION)(report_actor_chosen)
    routes.action(messages.OPEN_MODAL_ACTION)(report_button_pressed)
