"""`/samverkan fråga <aktör> <text>`: a question to another actor. Its TiBs (else every
member) get a DM with `Svara`; the answer reaches the asker and, while a conference is
open, its thread. Unanswered questions are listed in the next opening."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import modal_inputs as mi
from bot.audit.service import record
from bot.conference import target
from bot.conference.leader import require_member
from bot.context import BotContext
from bot.questions.models import Question
from bot.questions.parse import split_actor
from bot.region.models import Actor
from bot.region.service import actor_members, memberships
from bot.reply import Refusal, Reply
from bot.slack import blocks as bk
from bot.slack import outbox
from bot.slack.text import user_mention

ANSWER_ACTION = "question_answer"
CALLBACK_ID = "question_answer_modal"
MAX_CHARS = 2500
ANSWER = "answer"


def _recipients(s: Session, actor_id: int) -> list[str]:
    return actor_members(s, actor_id, "tib") or actor_members(s, actor_id)


def _dm(ctx: BotContext, s: Session, q: Question) -> dict:
    r = ctx.renderer
    to, asker_actor = s.get(Actor, q.to_actor_id), s.get(Actor, q.asker_actor_id) if q.asker_actor_id else None
    body = r.render("question_dm.md.j2", q=q, to=to.name, asker=user_mention(q.asker),
                    asker_actor=asker_actor.name if asker_actor else None, answered_by=user_mention(q.answered_by)
                    if q.answered_by else None)
    blocks = bk.sections(body)
    if q.answer is None:
        blocks.append(bk.actions(bk.button(r.t("question_button_answer"), ANSWER_ACTION, str(q.id), style="primary"),
                                 block_id=f"question:{q.id}"))
    return {"text": bk.fallback(r.t("question_dm_fallback", actor=to.name)), "blocks": blocks}


def ask(ctx: BotContext, user: str, typed: str) -> Reply:
    """`/samverkan fråga <aktör> <text>`; `typed` as Slack sent it (the actor by id, name
    or @member)."""
    now = ctx.now()
    with ctx.tx() as s:
        mine = require_member(s, ctx.region_id, user)
        to_actor, text = split_actor(s, ctx.region_id, typed)
        if not text:
            raise Refusal("question_usage")
        if len(text) > MAX_CHARS:
            raise Refusal("question_too_long", length=len(text), limit=MAX_CHARS)
        users = _recipients(s, to_actor.id)
        if not users:
            raise Refusal("question_nobody", actor=to_actor.name)
        conf = target.open_now(s, ctx.region_id)
        q = Question(region_id=ctx.region_id, conference_id=conf.id if conf else None, asker=user,
                     asker_actor_id=mine[0].actor_id, to_actor_id=to_actor.id, text=text, asked_at=now)
        s.add(q)
        s.flush()
        p = _dm(ctx, s, q)
        for u in users:
            outbox.post(s, now, u, p["text"], p["blocks"], ref=q.dm_ref(u))
        record(s, now, "question.ask", region_id=ctx.region_id, user_id=user, subject=f"question:{q.id}",
               to=to_actor.key)
        return Reply(ctx.renderer.t("question_sent", actor=to_actor.name, count=len(users)))


def _question_for(s: Session, ctx: BotContext, user: str, question_id: int) -> Question:
    q = s.get(Question, question_id)
    if q is None or q.region_id != ctx.region_id:
        raise Refusal("question_not_found")
    if not any(m.actor_id == q.to_actor_id for m in memberships(s, ctx.region_id, user)):
        raise Refusal("question_not_yours", actor=s.get(Actor, q.to_actor_id).name)
    if q.answer is not None:
        raise Refusal("question_already_answered", user=user_mention(q.answered_by))
    return q


def answer_modal(ctx: BotContext, user: str, question_id: int) -> Reply:
    r = ctx.renderer
    with ctx.sf() as s:
        q = _question_for(s, ctx, user, question_id)
        head = r.render("question_modal_head.md.j2", q=q, asker=user_mention(q.asker))
        blocks = [*bk.sections(head), mi.text_input(ANSWER, r.t("question_answer_label"), multiline=True,
                                                    max_length=MAX_CHARS, optional=False)]
        return Reply.modal(mi.modal(CALLBACK_ID, r.t("question_modal_heading"), r.t("question_modal_send"),
                                    r.t("leading_modal_cancel"), blocks, str(q.id)))


def answer(ctx: BotContext, user: str, question_id: int, text: str) -> Reply:
    text = text.strip()
    if not text:
        raise Refusal("question_answer_empty", field=ANSWER)
    if len(text) > MAX_CHARS:
        raise Refusal("question_too_long", field=ANSWER, length=len(text), limit=MAX_CHARS)
    r, now = ctx.renderer, ctx.now()
    with ctx.tx() as s:
        q = _question_for(s, ctx, user, question_id)
        q.answer, q.answered_by, q.answered_at = text, user, now
        s.flush()
        to = s.get(Actor, q.to_actor_id)
        body = r.render("question_answered.md.j2", q=q, to=to.name, by=user_mention(user),
                        asker=user_mention(q.asker))
        outbox.post(s, now, q.asker, r.t("question_answered_fallback", actor=to.name), bk.sections(body))
        conf = target.open_now(s, ctx.region_id)
        if conf is not None:
            outbox.post(s, now, conf.channel, r.t("question_answered_fallback", actor=to.name), bk.sections(body),
                        thread_ref=conf.ref)
        p = _dm(ctx, s, q)
        for u in _recipients(s, q.to_actor_id):
            if outbox.is_queued(s, q.dm_ref(u)):
                outbox.update(s, now, q.dm_ref(u), p["text"], p["blocks"])
        record(s, now, "question.answer", region_id=ctx.region_id, user_id=user, subject=f"question:{q.id}")
        return Reply(r.t("question_answer_sent", asker=user_mention(q.asker)))


def unanswered(s: Session, region_id: int) -> list[dict[str, Any]]:
    """Open questions, oldest first, for the opening."""
    rows = s.scalars(select(Question).where(Question.region_id == region_id, Question.answer.is_(None))
                     .order_by(Question.asked_at)).all()
    names = {a.id: a.name for a in s.scalars(select(Actor).where(Actor.region_id == region_id))}
    return [{"to": names.get(q.to_actor_id, "?"), "from": names.get(q.asker_actor_id, "?"), "text": q.text,
             "asked_at": q.asked_at} for q in rows]


def opening_text(ctx: BotContext, s: Session) -> str | None:
    items = unanswered(s, ctx.region_id)
    return ctx.renderer.render("question_opening.md.j2", items=items) if items else None
