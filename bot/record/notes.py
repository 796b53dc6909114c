"""The record (protokoll): `/samverkan notera <text>` and the message shortcut
*Till protokollet* on a message of a conference thread."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.agenda.flows import where
from bot.audit.service import record
from bot.conference import target
from bot.conference.leader import require_member
from bot.conference.models import CLOSED, OPEN, Conference
from bot.context import BotContext
from bot.record.models import Note
from bot.reply import Refusal, Reply
from bot.slack import blocks as bk
from bot.slack import outbox
from bot.slack.text import to_plain, user_mention

MAX_CHARS = 2500


def notes_of(s: Session, conference_id: int) -> list[Note]:
    return list(s.scalars(select(Note).where(Note.conference_id == conference_id).order_by(Note.created_at, Note.id)))


def _store(ctx: BotContext, s: Session, conf: Conference, text: str, user: str, *, author: str | None,
           message_ts: str | None) -> Note:
    now = ctx.now()
    note = Note(conference_id=conf.id, text=text, author=author, noted_by=user, message_ts=message_ts,
                created_at=now)
    s.add(note)
    s.flush()
    if conf.status == OPEN:
        r = ctx.renderer
        body = r.t("note_thread", who=user_mention(user), author=user_mention(author) if author and author != user
                   else "", text=text)
        outbox.post(s, now, conf.channel, r.t("note_fallback"), bk.sections(body), thread_ref=conf.ref)
    record(s, now, "record.note", region_id=ctx.region_id, user_id=user, subject=conf.ref, note=note.id)
    return note


def _check(text: str) -> str:
    if not text:
        raise Refusal("note_usage")
    if len(text) > MAX_CHARS:
        raise Refusal("note_too_long", length=len(text), limit=MAX_CHARS)
    return text


def note(ctx: BotContext, user: str, text: str) -> Reply:
    """`/samverkan notera <text>` (text as typed): a note for the open conference, else the next one."""
    text = _check(text.strip())
    with ctx.tx() as s:
        require_member(s, ctx.region_id, user)
        conf = target.open_or_next(ctx, s)
        if conf is None:
            raise Refusal("leading_no_conference")
        _store(ctx, s, conf, text, user, author=user, message_ts=None)
        return Reply(ctx.renderer.t("note_saved", where=where(ctx, conf)))


def from_message(ctx: BotContext, user: str, channel: str | None, message: dict | None) -> Reply:
    """*Till protokollet*: a message of a conference's thread (its text and author) as a note."""
    message = message or {}
    text = _check(to_plain(message.get("text") or "").strip())
    thread_ts = message.get("thread_ts") or message.get("ts")
    try:
        with ctx.tx() as s:
            require_member(s, ctx.region_id, user)
            conf = s.scalars(select(Conference).where(Conference.region_id == ctx.region_id,
                                                      Conference.channel == channel,
                                                      Conference.root_ts == thread_ts)).first()
            if conf is None or not thread_ts:
                raise Refusal("note_not_conference_thread")
            if conf.status not in (OPEN, CLOSED):
                raise Refusal("note_not_conference_thread")
            _store(ctx, s, conf, text, user, author=message.get("user"), message_ts=message.get("ts"))
            return Reply(ctx.renderer.t("note_saved", where=where(ctx, conf)))
    except IntegrityError:
        raise Refusal("note_already") from None
