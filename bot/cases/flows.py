"""Ärenden flows: created from `/atgard lyft`, listed by `/samverkan ärenden`, moved by a
koordinator step by step with a comment; whoever raised it hears of every step by DM."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.cases import messages, service
from bot.cases.models import Case
from bot.context import BotContext
from bot.region.models import Actor
from bot.region import roles
from bot.region.service import memberships
from bot.reply import Refusal, Reply
from bot.slack import outbox
from bot.slack.pages import answer_pages
from bot.slack.text import user_mention

ALL_WORDS = ("alla", "all")


def create(ctx: BotContext, s: Session, *, conference_id: int | None, action_item_id: int | None, actor_id: int,
           user: str, text: str) -> Case:
    """An ärende for a point raised with `/atgard lyft` (in that flow's transaction)."""
    case = service.create(s, ctx.region_id, conference_id=conference_id, action_item_id=action_item_id,
                          actor_id=actor_id, raised_by=user, text=text,
                          destination=ctx.renderer.t("case_destination_default"), now=ctx.now())
    record(s, ctx.now(), "case.create", region_id=ctx.region_id, user_id=user, subject=f"case:{case.id}")
    return case


def created_text(ctx: BotContext, case: Case) -> str:
    return ctx.renderer.t("case_created", id=case.id, destination=case.destination)


def listing(ctx: BotContext, user: str, rest: str) -> Reply:
    r = ctx.renderer
    include_closed = rest.strip().casefold() in ALL_WORDS
    with ctx.sf() as s:
        cases = service.listed(s, ctx.region_id, include_closed=include_closed)
        if not cases:
            return Reply(r.t("case_none", all=include_closed))
        buttons = roles.is_koordinator(memberships(s, ctx.region_id, user))
        steps = service.steps_of(s, [c.id for c in cases])
        body = [b for c in cases for b in messages.case_blocks(r, c, s.get(Actor, c.actor_id).name, steps[c.id],
                                                                buttons=buttons)]
    if not include_closed:
        body.append({"type": "context", "elements": [{"type": "mrkdwn", "text": r.t("case_list_hint")}]})
    return Reply.pages(answer_pages(r.t("case_list_header", all=include_closed, count=len(cases)), body))


def _case(s: Session, ctx: BotContext, case_id: int) -> Case:
    case = s.get(Case, case_id)
    if case is None or case.region_id != ctx.region_id:
        raise Refusal("case_not_found", id=case_id)
    return case


def _checked(s: Session, ctx: BotContext, user: str, value: str | None) -> tuple[Case, str, str]:
    if not roles.is_koordinator(memberships(s, ctx.region_id, user)):
        raise Refusal("after_not_koordinator")
    parsed = messages.parse_move(value)
    if parsed is None:
        raise Refusal("case_not_found", id=value or "?")
    case_id, to, expected = parsed
    case = _case(s, ctx, case_id)
    try:
        service.check_move(case, to, expected)
    except service.StepError as e:
        raise Refusal(e.key, id=case.id, status=messages.status(ctx.renderer, e.status),
                      to=messages.status(ctx.renderer, to)) from None
    return case, to, expected


def move_form(ctx: BotContext, user: str, value: str | None) -> Reply:
    """A step button: the comment modal (koordinator only)."""
    with ctx.sf() as s:
        case, to, _ = _checked(s, ctx, user, value)
        return Reply.modal(messages.modal(ctx.renderer, case, to))


def move(ctx: BotContext, user: str, value: str, values: dict[str, Any]) -> Reply:
    """The comment modal's submission: one step, a DM to whoever raised the ärende."""
    comment = ((values.get(messages.COMMENT_BLOCK) or {}).get(messages.COMMENT_ACTION) or {}).get("value") or ""
    comment = comment.strip()
    if not comment:
        raise Refusal("case_comment_missing", field=messages.COMMENT_BLOCK)
    if len(comment) > service.MAX_COMMENT:
        raise Refusal("after_too_long", field=messages.COMMENT_BLOCK, length=len(comment), limit=service.MAX_COMMENT)
    now = ctx.now()
    r = ctx.renderer
    with ctx.tx() as s:
        case, to, expected = _checked(s, ctx, user, value)
        step = service.move(s, case, to, expected, comment, user, now)
        payload = messages.dm(r, case, step)
        outbox.post(s, now, case.raised_by, payload["text"], payload["blocks"])
        record(s, now, "case.move", region_id=ctx.region_id, user_id=user, subject=f"case:{case.id}",
               from_status=expected, to_status=to)
        return Reply(r.t("case_moved", id=case.id, status=messages.status(r, to),
                         raiser=user_mention(case.raised_by)))


def opening_lines(ctx: BotContext, s: Session) -> list[dict[str, Any]]:
    """Open ärenden for the opening's *Uppföljning*: (id, text, status, destination, actor)."""
    return [{"id": c.id, "text": c.text, "status": messages.status(ctx.renderer, c.status),
             "destination": c.destination, "actor": s.get(Actor, c.actor_id).name}
            for c in service.listed(s, ctx.region_id)]
