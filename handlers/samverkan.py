"""/samverkan [hjälp | status | sammanfattning]"""
from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.context import BotContext
from bot.slack.text import unescape
from bot.conference import status as conference_status
from bot.summary import flows as summary_flows


def register(app: App, ctx: BotContext) -> None:
    r = ctx.renderer

    @app.command("/samverkan")
    def samverkan(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        word = (command.get("text") or "").strip().casefold()
        if word in ("", "hjälp", "hjalp", "help"):
            ack(response_type="ephemeral", text=r.render("help.md.j2"))
        elif word == "status":
            ack(response_type="ephemeral", text=r.render("status.md.j2", **conference_status.week_status(ctx)))
        elif word in ("sammanfattning", "summering"):
            def permalink(channel: str, ts: str) -> str | None:
                try:
                    return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
                except SlackApiError:
                    return None

            ack()  # rebuilding a summary and asking Slack for a link may take longer than Slack waits
            respond(response_type="ephemeral", text=summary_flows.command(ctx, command["user_id"], permalink))
        else:
            ack(response_type="ephemeral", text=r.t("samverkan_unknown", word=unescape(command.get("text", ""))))
