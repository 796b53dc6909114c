"""The root message of a conference (ordinary or activated) and what follows it in the
thread, queued with the change that opens it. The weekly conference's opening holds the
header, purpose, agenda, the closing time (its own block, edited when the leader extends
the conference), unanswered questions, and what the capabilities add (speaking order,
follow-up of action items, declined ones)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.actions import decline
from bot.agenda import flows as agenda_flows
from bot.conference import messages
from bot.conference.models import Conference
from bot.context import BotContext
from bot.floor import flows as floor_flows
from bot.questions import flows as question_flows
from bot.report import flows as report_flows
from bot.slack import blocks as bk
from bot.slack import outbox
from bot.slack.models import OutboxMessage
from bot.slack.text import user_mention

CLOSES_BLOCK = "closes"


def _closes(ctx: BotContext, close_at: datetime) -> list[dict[str, Any]]:
    blocks = bk.sections(ctx.renderer.render("opening_close.md.j2", close_at=close_at))
    blocks[0]["block_id"] = CLOSES_BLOCK
    return blocks


def _mention(user: str | None):
    return user_mention(user) if user else ""


def leading_blocks(ctx: BotContext, s: Session, conf: Conference, close_at: datetime) -> list[dict[str, Any]]:
    """The agenda and the closing time, then the unanswered questions (placed right
    after the opening's own text)."""
    out = [bk.divider(), *bk.sections(agenda_flows.text(ctx, s, conf)), *_closes(ctx, close_at)]
    questions = question_flows.opening_text(ctx, s)
    if questions:
        out += [bk.divider(), *bk.sections(questions)]
    return out


def kallelse_agenda(ctx: BotContext, s: Session, conf: Conference) -> list[dict[str, Any]]:
    """The agenda in the kallelse: the one a leader set before it, else the standing one."""
    return [bk.divider(), *bk.sections(agenda_flows.text(ctx, s, conf))]


def declined_blocks(ctx: BotContext, s: Session) -> list[dict[str, Any]]:
    items = decline.recently_declined(s, ctx.region_id, ctx.now())
    if not items:
        return []
    return bk.sections(ctx.renderer.render("actions_declined_followup.md.j2", items=items, mention=_mention))


def payload(ctx: BotContext, s: Session, conf: Conference, *, close_at: datetime, extra: list[dict[str, Any]],
            **values: Any) -> dict[str, Any]:
    p = messages.opening(ctx.renderer, conf, extra_blocks=[*leading_blocks(ctx, s, conf, close_at), *extra],
                         **values)
    return p


def refresh_close(ctx: BotContext, s: Session, conf: Conference, close_at: datetime) -> None:
    """Edits the opening message so that it shows the new closing time."""
    first = s.scalars(select(OutboxMessage).where(OutboxMessage.ref == conf.ref, OutboxMessage.op == "post")
                      .order_by(OutboxMessage.id)).first()
    if first is None or not first.payload.get("blocks"):
        return
    latest = s.scalars(select(OutboxMessage).where(OutboxMessage.ref == conf.ref).order_by(OutboxMessage.id.desc())
                       ).first()
    blocks = list((latest or first).payload.get("blocks") or first.payload["blocks"])
    at = next((i for i, b in enumerate(blocks) if b.get("block_id") == CLOSES_BLOCK), None)
    if at is None:
        return
    blocks[at] = _closes(ctx, close_at)[0]
    outbox.update(s, ctx.now(), conf.ref, first.payload.get("text", ""), blocks)


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
