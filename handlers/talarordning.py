"""/talarordning [nästa] and the headline's buttons (Nästa, Hoppa över, Begär ordet)."""
from __future__ import annotations

import re

from slack_bolt import Ack, App, Respond

from bot.context import BotContext
from bot.slack.text import unescape
from bot.floor import flows
from bot.floor.messages import NEXT, REQ, SKIP, parse_value


def register(app: App, ctx: BotContext) -> None:
    r = ctx.renderer

    @app.command("/talarordning")
    def talarordning(ack: Ack, respond: Respond, command: dict) -> None:
        word = (command.get("text") or "").strip().casefold()
        user = command["user_id"]
        if word in ("nästa", "nasta", "next"):
            ack(response_type="ephemeral", text=flows.command_next(ctx, user).text)
        elif word == "":
            out = flows.command_show(ctx)
            if not out.payloads:
                ack(response_type="ephemeral", text=out.text)
                return
            first, *more = out.payloads
            ack(response_type="ephemeral", **first)
            for page in more:
                respond(response_type="ephemeral", **page)
        else:
            ack(response_type="ephemeral", text=r.t("floor_unknown", word=unescape(command.get("text", ""))))

    def _pressed(body: dict) -> tuple[str, tuple[int, int | None] | None]:
        action = (body.get("actions") or [{}])[0]
        return body["user"]["id"], parse_value(action.get("value"))

    def _answer(respond: Respond, out: flows.Outcome, *, always: bool) -> None:
        if out.text and (always or not out.ok):
            respond(response_type="ephemeral", replace_original=False, text=out.text)

    @app.action(re.compile(f"^({NEXT}|{SKIP})$"))
    def move(ack: Ack, respond: Respond, body: dict, action: dict) -> None:
        user, value = _pressed(body)
        if value is None or value[1] is None:
            ack()
            respond(response_type="ephemeral", replace_original=False, text=r.t("floor_refused_bad_button"))
            return
        out = flows.move(ctx, user, value[0], passed=action["action_id"] == SKIP, seen_turn=value[1])
        ack()
        _answer(respond, out, always=False)  # success shows in the headline itself

    @app.action(REQ)
    def ask(ack: Ack, respond: Respond, body: dict) -> None:
        user, value = _pressed(body)
        if value is None:
            ack()
            respond(response_type="ephemeral", replace_original=False, text=r.t("floor_refused_bad_button"))
            return
        out = flows.ask_for_floor(ctx, user, value[0])
        ack()
        _answer(respond, out, always=True)
