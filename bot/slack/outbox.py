"""The outbox: what the bot must post is stored in the same transaction as the change
that caused it, and posted afterwards by `OutboxWorker`.

Ordering is kept per channel (first in, first out), so a thread's root is always posted
before its replies. A message is referred to by a `ref` (e.g. "conference:12"); replies
name their root with `thread_ref`, and edits name the message they edit. If an edit is
queued while the post it edits is still waiting, the waiting post simply gets the new
content: Slack then sees one post, never a post and an edit.

A message may link to another queued message before either is posted: put
`permalink(ref)` in its text; the worker replaces it with the Slack permalink of the
message named `ref` when it sends (`chat.getPermalink`).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.slack.models import PENDING, OutboxMessage, SlackMessage


PERMALINK_OPEN, PERMALINK_CLOSE = "\u27e6permalink:", "\u27e7"


def permalink(ref: str) -> str:
    """A placeholder the worker turns into the permalink of the message named `ref`."""
    return f"{PERMALINK_OPEN}{ref}{PERMALINK_CLOSE}"


QUEUED = "outbox_queued"  # session.info key: this transaction queued or changed outbox rows


def _queued(session: Session, msg: OutboxMessage) -> OutboxMessage:
    """Marks the session, so the worker is woken when it commits (and only then)."""
    session.info[QUEUED] = True
    return msg


def _payload(text: str, blocks: list[dict[str, Any]] | None, extra: dict[str, Any] | None) -> dict[str, Any]:
    p: dict[str, Any] = {"text": text}
    if blocks:
        p["blocks"] = blocks
    if extra:
        p.update(extra)
    return p


def post(session: Session, now: datetime, channel: str, text: str, blocks: list[dict[str, Any]] | None = None,
         *, ref: str | None = None, thread_ref: str | None = None, **extra: Any) -> OutboxMessage:
    """Queues a new message (top-level, or in `thread_ref`'s thread)."""
    msg = OutboxMessage(op="post", channel=channel, ref=ref, thread_ref=thread_ref,
                        payload=_payload(text, blocks, extra), not_before=now, created_at=now)
    session.add(msg)
    return _queued(session, msg)


def upload(session: Session, now: datetime, channel: str, filename: str, content_b64: str, title: str,
           comment: str, thread_ref: str | None = None) -> OutboxMessage:
    msg = OutboxMessage(op="upload", channel=channel, thread_ref=thread_ref,
                        payload={"filename": filename, "content_b64": content_b64, "title": title,
                                 "text": comment}, not_before=now, created_at=now)
    session.add(msg)
    return _queued(session, msg)


def update(session: Session, now: datetime, ref: str, text: str,
           blocks: list[dict[str, Any]] | None = None) -> OutboxMessage:
    """Queues an edit of the message named `ref` (which must have been queued with post)."""
    waiting = _waiting(session, ref)
    if waiting is not None:
        waiting.payload = {**waiting.payload, **_payload(text, blocks, None)}
        if not blocks:
            waiting.payload.pop("blocks", None)
        return _queued(session, waiting)
    posted = session.get(SlackMessage, ref)
    if posted is not None:
        channel = posted.channel
    else:
        original = session.scalars(select(OutboxMessage).where(OutboxMessage.ref == ref, OutboxMessage.op == "post")
                                   .order_by(OutboxMessage.id)).first()
        if original is None:
            raise LookupError(f"no message with ref {ref!r} to update")
        channel = original.channel
    msg = OutboxMessage(op="update", channel=channel, ref=ref, payload=_payload(text, blocks, None),
                        not_before=now, created_at=now)
    session.add(msg)
    return _queued(session, msg)


def _waiting(session: Session, ref: str) -> OutboxMessage | None:
    """The not yet sent post of `ref`, else its not yet sent edit (one query for both).
    Locked (PostgreSQL): a row the worker is claiming at this moment is read again once
    the claim commits, and then no longer counts as waiting, so the new content is never
    written into a message that is already on its way (SQLite has one writer anyway)."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.ref == ref, OutboxMessage.op.in_(("post", "update")), OutboxMessage.status == PENDING,
               OutboxMessage.lease_until.is_(None))
        .order_by(OutboxMessage.id.desc()).with_for_update()
    ).all()
    return next((m for m in rows if m.op == "post"), None) or next((m for m in rows if m.op == "update"), None)


def post_or_update(session: Session, now: datetime, channel: str, ref: str, text: str,
                   blocks: list[dict[str, Any]] | None = None, *, thread_ref: str | None = None) -> OutboxMessage:
    """Posts the message named `ref` the first time, edits it every time after."""
    exists = session.get(SlackMessage, ref) is not None or session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.ref == ref, OutboxMessage.op == "post")).first() is not None
    if exists:
        return update(session, now, ref, text, blocks)
    return post(session, now, channel, text, blocks, ref=ref, thread_ref=thread_ref)


def is_queued(session: Session, ref: str) -> bool:
    """True if a message with this ref was queued or posted (whatever its state)."""
    return session.get(SlackMessage, ref) is not None or session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.ref == ref)).first() is not None


def posted_ts(session: Session, ref: str) -> str | None:
    m = session.get(SlackMessage, ref)
    return m.ts if m else None
