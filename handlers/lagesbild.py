"""/lagesbild [text | inget | status | hjälp | ordinarie …], the lägesbild modal, and the
"Rapportera lägesbild" button (reminder DM, App Home).

Thin: parse, call bot.report.flows (which authorises and stores), render, answer. A modal
is opened with the trigger id at once (it is valid for 3 s, once); the only work before
it is one short read of who the person is and the actor's last report.
"""
from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.context import BotContext
from bot.home import home_view
from bot.report import flows, messages, modal, routing
from bot.report.service import Refusal

log = logging.getLogger(__name__)
COMMANDS = ("/lagesbild", "/lägesbild")


def register(app: App, ctx: BotContext) -> None:
    r = ctx.renderer

    def refusal_text(e: Refusal) -> str:
        return r.t(e.key, **e.kw)

    def lagesbild(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        user = command["user_id"]
        cmd = routing.parse(command.get("text"))
        if cmd.verb == routing.HELP:
            ack(response_type="ephemeral", text=messages.help_text(r))
        elif cmd.verb == routing.STATUS:
            try:
                text, pages = flows.status(ctx, ordinary=cmd.ordinary)
            except Refusal as e:
                ack(response_type="ephemeral", text=refusal_text(e))
                return
            ack(response_type="ephemeral", text=text, blocks=pages[0])
            for page in pages[1:]:
                respond(response_type="ephemeral", text=text, blocks=page)
        elif cmd.verb == routing.MODAL:
            try:
                view = flows.modal_for(ctx, user, ordinary=cmd.ordinary)
            except Refusal as e:
                ack(response_type="ephemeral", text=refusal_text(e))
                return
            ack()
            try:
                client.views_open(trigger_id=command["trigger_id"], view=view)
            except SlackApiError as e:
                log.warning("views.open for /lagesbild failed: %s", e.response.get("error"))
                respond(response_type="ephemeral", text=r.t("report_modal_failed", error=e.response.get("error")))
        else:  # QUICK, NOTHING
            try:
                outcome = flows.submit_quick(ctx, user, cmd)
            except Refusal as e:
                ack(response_type="ephemeral", text=refusal_text(e))
                return
            ack(response_type="ephemeral", text=messages.confirmation(r, outcome))
            flows.after_submit(ctx, outcome)

    for name in COMMANDS:
        app.command(name)(lagesbild)

    @app.view(modal.CALLBACK_ID)
    def submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        user = body["user"]["id"]
        meta = modal.Meta.load(view.get("private_metadata"))
        fields, status, nothing_new = modal.read_submission(view.get("state", {}).get("values", {}))
        errors = flows.modal_errors(ctx, fields, status, nothing_new)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        try:
            outcome = flows.submit_modal(ctx, user, meta, fields, status, nothing_new)
        except Refusal as e:
            ack(response_action="update", view=modal.message_view(r, refusal_text(e)))
            return
        ack(response_action="update", view=modal.message_view(r, messages.confirmation(r, outcome)))
        flows.after_submit(ctx, outcome)
        if meta.from_home:
            _publish_home(client, user)

    @app.action(modal.ACTOR_ACTION)
    def actor_chosen(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        user, current = body["user"]["id"], body["view"]
        meta = modal.Meta.load(current.get("private_metadata"))
        try:
            view = flows.modal_for(ctx, user, actor_id=int(action["selected_option"]["value"]),
                                   conference_id=meta.conference_id, ordinary=meta.ordinary,
                                   from_home=meta.from_home)
        except Refusal as e:
            view = modal.message_view(r, refusal_text(e))
        try:
            client.views_update(view_id=current["id"], hash=current.get("hash"), view=view)
        except SlackApiError as e:  # e.g. hash_conflict: the person changed the modal meanwhile
            log.warning("views.update after choosing an actor failed: %s", e.response.get("error"))

    @app.action(messages.OPEN_MODAL_ACTION)
    def open_pressed(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        actor_key, conference_id = flows.parse_button_value(action.get("value"))
        from_home = (body.get("view") or {}).get("type") == "home"
        try:
            view = flows.modal_for(ctx, user, actor_key=actor_key, conference_id=conference_id,
                                   from_home=from_home)
        except Refusal as e:
            view = modal.message_view(r, refusal_text(e))
        try:
            client.views_open(trigger_id=body["trigger_id"], view=view)
        except SlackApiError as e:
            log.warning("views.open from the report button failed: %s", e.response.get("error"))

    def _publish_home(client: WebClient, user: str) -> None:
        try:
            client.views_publish(user_id=user, view=home_view(ctx, user))
        except SlackApiError as e:
            log.warning("views.publish after a report failed: %s", e.response.get("error"))
