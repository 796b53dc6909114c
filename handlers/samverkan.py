"""/samverkan [hjälp | status | sammanfattning]"""
from __future__ import annotations

from slack_bolt import Ack, App

from bot.context import BotContext
from bot.conference import status as conference_status


def register(app: App, ctx: BotContext) -> None:
    r = ctx.renderer

    @app.command("/samverkan")
    def samverkan(ack: Ack, command: dict) -> None:
        word = (command.get("text") or "").strip().casefold()
        if word in ("", "hjälp", "hjalp", "help"):
            ack(response_type="ephemeral", text=r.render("help.md.j2"))
        elif word == "status":
            ack(response_type="ephemeral", text=r.render("status.md.j2", **conference_status.week_status(ctx)))
        else:
            ack(response_type="ephemeral", text=r.t("samverkan_unknown", word=command.get("text", "")))
