"""`/samverkan lärdom <text>` and `/samverkan lärdomar`."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.conference.latest import latest_held
from bot.conference.models import Conference
from bot.context import BotContext
from bot.lessons import service
from bot.region.service import memberships
from bot.reply import Refusal, Reply
from bot.slack import blocks as bk
from bot.slack.pages import answer_pages
from bot.slack.text import user_mention
from bot.summary.messages import where

SHOWN = 20  # lessons in one answer (the newest)


def _require_member(s: Session, ctx: BotContext, user: str):
    mine = memberships(s, ctx.region_id, user)
    if not mine:
        raise Refusal("after_not_member")
    return mine[0]


def add(ctx: BotContext, user: str, text: str) -> Reply:
    text = (text or "").strip()
    if not text:
        raise Refusal("lesson_usage")
    if len(text) > service.MAX_TEXT:
        raise Refusal("after_too_long", length=len(text), limit=service.MAX_TEXT)
    now = ctx.now()
    with ctx.tx() as s:
        member = _require_member(s, ctx, user)
        conf = latest_held(s, ctx.region_id)
        row = service.add(s, ctx.region_id, conf.id if conf else None, member.actor_id, text, user, now)
        record(s, now, "lesson.add", region_id=ctx.region_id, user_id=user, subject=f"lesson:{row.id}")
        return Reply(ctx.renderer.t("lesson_saved", where=where(ctx.renderer, conf) if conf else None))


def listing(ctx: BotContext, user: str) -> Reply:
    r = ctx.renderer
    with ctx.sf() as s:
        _require_member(s, ctx, user)
        rows, total = service.latest(s, ctx.region_id, SHOWN)
        if not rows:
            return Reply(r.t("lesson_none"))
        confs = {i: s.get(Conference, i) for i in {row.conference_id for row in rows if row.conference_id}}
        items = [{"text": row.text, "at": row.created_at, "user": user_mention(row.user_id),
                  "where": where(r, confs[row.conference_id]) if row.conference_id else None} for row in rows]
        body = r.render("lessons_list.md.j2", lessons=items)
        head = r.t("lesson_list_header", count=total, shown=len(rows))
        return Reply.pages(answer_pages(head, bk.sections(body)))
