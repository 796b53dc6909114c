"""The root message of a conference (ordinary or activated) and what follows it in the
thread: queued with the change that opens it."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.conference.models import Conference
from bot.context import BotContext
from bot.floor import flows as floor_flows
from bot.report import flows as report_flows
from bot.slack import blocks as bk
from bot.slack import outbox


def post_opening(ctx: BotContext, s: Session, conf: Conference, payload: dict) -> None:
    """Queues a conference's root message and what follows it in the thread. Used for
    ordinary and activated conferences alike. An opening too long for one message
    (many carried-over items) continues in the thread."""
    now = ctx.now()
    pages = bk.paginate(payload.get("blocks", []))
    outbox.post(s, now, conf.channel, payload["text"], pages[0] if pages else None, ref=conf.ref)
    for page in pages[1:]:
        outbox.post(s, now, conf.channel, payload["text"], page, thread_ref=conf.ref)
    report_flows.on_open(ctx, s, conf)
    floor_flows.on_open(ctx, s, conf)
