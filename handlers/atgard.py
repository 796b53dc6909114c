"""/atgard <aktör> <text> [senast <datum>] | lista | lyft <text>, and the Kvittera/Klar buttons."""
from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot.actions import flows as action_flows
from bot.actions.messages import ACK_ACTION, DONE_ACTION
from bot.context import BotContext


COMMANDS = ("/atgard", "/åtgärd")  # the alias may be registered in the Slack app too


def register(app: App, ctx: BotContext) -> None:
    def atgard(ack: Ack, command: dict, respond: Respond) -> None:
        reply = action_flows.command(ctx, command["user_id"], command.get("text") or "")
        ack(response_type="ephemeral", text=reply.text, blocks=reply.blocks)
        for page in reply.more:  # at most 5: what a response_url takes (the flow says what is left out)
            respond(response_type="ephemeral", replace_original=False, **page)

    for name in COMMANDS:
        app.command(name)(atgard)

    def pressed(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        # The change is a short transaction: done before the acknowledgement, so Slack's
        # request returns once the edit is queued.
        refusal = action_flows.press(ctx, action["action_id"], action.get("value", ""), body["user"]["id"])
        ack()
        if refusal:
            respond(text=refusal, response_type="ephemeral", replace_original=False)

    app.action(ACK_ACTION)(pressed)
    app.action(DONE_ACTION)(pressed)
