"""The outbox: what the bot must post is stored in the same transaction as the change
that caused it, and posted afterwards by `OutboxWorker`.

Ordering is kept per channel (first in, first out), so a thread's root is always posted
before its replies. A message is referred to by a `ref` (e.g. "conference:12"); replies
name their root with `thread_ref`, and edits name the message they edit. If an edit is
queued while the post it edits is still waiting, the waiting post simply gets the new
content: Slack then sees one post, never a post and an edit.

A message may link to another queued message before either is posted: put
`permalink(ref)` in its text; the worker replaces it with the Slack permalink of the
message named `ref` when it sends (`chat.getPermalink`). Block building counts the
placeholder at the room its URL will take (`bot.slack.blocks.PERMALINK_ROOM`), so a split
made before sending still fits after.

Every row belongs to a region: the session's `info["region_id"]` (set for every session of
a BotContext's session factory by `bind_region`), or `region_id=` given explicitly. A
worker takes only its own region's rows.

An edit caused by a button press may carry the press's response_url (`Pressed`): the
worker then replaces the message through it (`replace_original`), which is not a Web API
call, and falls back to `chat.update` when the url is missing, stale, used up or refused.
The url is kept only when the button was in the very message being edited. Edits of one
message queued before any was sent become one (the newest content; the freshest url).

`outbox_figures` is what /healthz and /metrics read; its keys are stable.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from sqlalchemy import bindparam, event, func, select
from sqlalchemy import update as sa_update
from sqlalchemy.orm import Session, sessionmaker

from bot.db.writer import Want, group_of, insert_later
from bot.slack.blocks import PERMALINK_CLOSE, PERMALINK_OPEN
from bot.slack.models import FAILED, PENDING, OutboxMessage, SlackMessage

REGION_KEY = "region_id"


def bind_region(sf: sessionmaker, region_id: int) -> None:
    """Every session of `sf` queues outbox rows for this region."""
    info = dict(sf.kw.get("info") or {})
    if info.get(REGION_KEY) not in (None, region_id):
        raise ValueError(f"session factory already bound to region {info[REGION_KEY]}, not {region_id}")
    info[REGION_KEY] = region_id
    sf.configure(info=info)


def _region(session: Session, region_id: int | None) -> int:
    region_id = region_id if region_id is not None else session.info.get(REGION_KEY)
    if region_id is None:
        raise ValueError("an outbox row needs its region: use a BotContext's session or give region_id=")
    return region_id


def permalink(ref: str) -> str:
    """A placeholder the worker turns into the permalink of the message named `ref`."""
    return f"{PERMALINK_OPEN}{ref}{PERMALINK_CLOSE}"


QUEUED = "outbox_queued"  # session.info key: this transaction queued or changed outbox rows
CHANNELS = "outbox_channels"  # session.info key: the channels of the rows it queued or changed
MINE = "outbox_mine"  # session.info key: ref -> the rows this transaction queued for it


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_mine(session: Session) -> None:
    """This transaction's rows are remembered for this transaction only."""
    session.info.pop(MINE, None)


class _Pending(dict):
    """An outbox row queued by a unit of a group of writes (bot.db.writer): plain values,
    inserted with the group's other rows in one INSERT at its end (no ORM object, no flush
    per row). It reads and changes like an OutboxMessage (`row.payload = …`), so a later
    edit in the same transaction folds into it; it has no id until it is inserted."""

    __slots__ = ()
    id = None

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


_TABLE = OutboxMessage.__table__
# every column but the id, with its default: each row of a group's INSERT names them all
_DEFAULTS = {c.name: (c.default.arg if c.default is not None and c.default.is_scalar else None)
             for c in _TABLE.c if c.name != "id"}


def _add(session: Session, **values: Any) -> "OutboxMessage | _Pending":
    """A new row: plain, with its group's one INSERT, when the session is a group's;
    an ORM object otherwise."""
    if group_of(session) is not None:
        row = _Pending(_DEFAULTS, **values)
        insert_later(session, _TABLE, row)
        return row
    msg = OutboxMessage(**values)
    session.add(msg)
    return msg


def _mine(session: Session, ref: str) -> bool:
    """True if this transaction queued a row for `ref` (maybe not inserted yet)."""
    return bool((session.info.get(MINE) or {}).get(ref))


def _queued(session: Session, msg: OutboxMessage) -> OutboxMessage:
    """Marks the session, so the worker is woken when it commits (and only then), and
    remembers the row by its ref for later edits in the same transaction."""
    session.info[QUEUED] = True
    session.info.setdefault(CHANNELS, set()).add(msg.channel)
    if msg.ref is not None:
        mine = session.info.setdefault(MINE, {}).setdefault(msg.ref, [])
        if not any(m is msg for m in mine):
            mine.append(msg)
    return msg


def _payload(text: str, blocks: list[dict[str, Any]] | None, extra: dict[str, Any] | None) -> dict[str, Any]:
    p: dict[str, Any] = {"text": text}
    if blocks:
        p["blocks"] = blocks
    if extra:
        p.update(extra)
    return p


def post(session: Session, now: datetime, channel: str, text: str, blocks: list[dict[str, Any]] | None = None,
         *, ref: str | None = None, thread_ref: str | None = None, region_id: int | None = None,
         **extra: Any) -> OutboxMessage:
    """Queues a new message (top-level, or in `thread_ref`'s thread)."""
    msg = _add(session, op="post", region_id=_region(session, region_id), channel=channel, ref=ref,
               thread_ref=thread_ref, payload=_payload(text, blocks, extra), not_before=now, created_at=now)
    return _queued(session, msg)


def upload(session: Session, now: datetime, channel: str, filename: str, content_b64: str, title: str,
           comment: str, thread_ref: str | None = None, region_id: int | None = None) -> OutboxMessage:
    msg = OutboxMessage(op="upload", region_id=_region(session, region_id), channel=channel, thread_ref=thread_ref,
                        payload={"filename": filename, "content_b64": content_b64, "title": title,
                                 "text": comment}, not_before=now, created_at=now)
    session.add(msg)
    return _queued(session, msg)


def _untouched() -> tuple:
    """A pending row no worker holds and no attempt may have reached Slack with."""
    return (OutboxMessage.status == PENDING, OutboxMessage.lease_until.is_(None),
            OutboxMessage.sending_since.is_(None))


_T = OutboxMessage.__table__.c


def _newest_waiting(op: str):
    return (select(_T.id).where(_T.ref == bindparam("ref"), _T.op == op, _T.status == PENDING,
                                _T.lease_until.is_(None), _T.sending_since.is_(None))
            .order_by(_T.id.desc()).limit(1).scalar_subquery())


# One round trip (Core): where the message was posted, and its post or newest edit if one
# still waits untouched (usually none, and then no row is loaded).
_LOOKUP = select(select(SlackMessage.channel).where(SlackMessage.ref == bindparam("ref")).scalar_subquery(),
                 select(SlackMessage.ts).where(SlackMessage.ref == bindparam("ref")).scalar_subquery(),
                 _newest_waiting("post"), _newest_waiting("update"))


# A group of writes (bot.db.writer) whose units said which messages they will edit
# (`wants_edit`) reads where all of them stand at once: two queries for the group.
EDIT_KIND = "outbox_edit"
_REFS = bindparam("refs", expanding=True)
_POSTED = select(SlackMessage.ref, SlackMessage.channel, SlackMessage.ts).where(SlackMessage.ref.in_(_REFS))
_WAITING = (select(_T.ref, _T.op, func.max(_T.id))
            .where(_T.ref.in_(_REFS), _T.op.in_(("post", "update")), _T.status == PENDING,
                   _T.lease_until.is_(None), _T.sending_since.is_(None))
            .group_by(_T.ref, _T.op))


def wants_edit(ref: str) -> Want:
    """What a unit of the group writer says when it will edit the message named `ref`."""
    return EDIT_KIND, ref


def _where_they_stand(session: Session, refs: set) -> dict[str, tuple]:
    """ref -> (posted channel, posted ts, waiting post id, waiting edit id), as `_LOOKUP`."""
    found = {ref: [None, None, None, None] for ref in refs}
    params = {"refs": sorted(refs)}
    connection = session.connection()
    for ref, channel, ts in connection.execute(_POSTED, params):
        found[ref][0:2] = channel, ts
    for ref, op, newest in connection.execute(_WAITING, params):
        found[ref][2 if op == "post" else 3] = newest
    return {ref: tuple(v) for ref, v in found.items()}


def _lookup(session: Session, ref: str) -> tuple[OutboxMessage | None, bool, str | None, str | None]:
    """For an edit of `ref`: the row it can be folded into (its post if that still waits,
    else its newest waiting edit, else None), whether that row was queued in this same
    transaction (then nobody else can have taken it), and the channel and ts the message
    was posted with (None: not posted yet). One query, and no flush of the session's other
    changes for it: this transaction's own rows of `ref` are remembered by the session (a
    group of writes queues many rows, see bot.db.writer)."""
    mine = [m for m in (session.info.get(MINE) or {}).get(ref, ()) if m.op in ("post", "update")]
    own_ids = {m.id for m in mine if m.id is not None}
    group = group_of(session)
    with session.no_autoflush:
        if group is not None:  # this transaction's own rows are in `mine`, so the group's read stays right
            posted_in, posted_ts, post_id, update_id = group.batch(
                EDIT_KIND, ref, lambda refs: _where_they_stand(session, refs))
        else:
            posted_in, posted_ts, post_id, update_id = session.connection().execute(_LOOKUP, {"ref": ref}).one()
        waiting_id = next((i for i in (post_id, update_id) if i is not None and i not in own_ids), None)
        found = [session.get(OutboxMessage, waiting_id)] if waiting_id is not None else []
    for rows, own in ((mine[::-1], True), (found, False)):
        post = next((m for m in rows if m.op == "post"), None)
        if post is not None:
            return post, own, posted_in, posted_ts
    if mine:
        return mine[-1], True, posted_in, posted_ts
    return (found[0] if found else None), False, posted_in, posted_ts


# Slack takes a response_url for 30 minutes; the worker stops using it a little before.
RESPONSE_URL_LIFE = timedelta(minutes=29)


@dataclass(frozen=True)
class Pressed:
    """A button press in a message: its response_url and the message the button is in."""

    response_url: str
    channel: str
    ts: str
    at: datetime  # wall clock, when the press reached the bot

    @classmethod
    def of(cls, response_url: str | None, message: Mapping[str, Any] | None,
           channel: str | None) -> "Pressed | None":
        """From a request's response_url and the message of the button (None if either is
        missing, e.g. a slash command or a button in a modal)."""
        ts = (message or {}).get("ts")
        if not response_url or not isinstance(ts, str) or not ts or not channel:
            return None
        return cls(response_url, channel, ts, datetime.now(timezone.utc))


def _fold(session: Session, waiting: OutboxMessage, payload: dict[str, Any],
          via: Pressed | None = None) -> bool:
    """Gives a waiting row new content (and a fresher response_url), unless a worker took
    it meanwhile (a conditional UPDATE: on PostgreSQL it waits for a concurrent claim and
    then sees it)."""
    values: dict[str, Any] = {"payload": payload}
    if via is not None and waiting.op == "update":
        values.update(response_url=via.response_url, response_url_until=via.at + RESPONSE_URL_LIFE)
    done = session.execute(
        sa_update(OutboxMessage).where(OutboxMessage.id == waiting.id, *_untouched()).values(**values)
        .execution_options(synchronize_session=False)).rowcount == 1
    session.expire(waiting, list(values))
    return done


def update(session: Session, now: datetime, ref: str, text: str,
           blocks: list[dict[str, Any]] | None = None, *, via: Pressed | None = None) -> OutboxMessage:
    """Queues an edit of the message named `ref` (which must have been queued with post).
    `via`: the button press that caused it (its response_url is used if the button was in
    this message)."""
    waiting, own, posted_in, posted_ts = _lookup(session, ref)
    if via is not None and (via.ts != posted_ts or via.channel != posted_in):
        via = None  # a press in another copy (an ephemeral list) cannot replace this message
    if waiting is not None:
        payload = {**waiting.payload, **_payload(text, blocks, None)}
        if not blocks:
            payload.pop("blocks", None)
        if own:  # queued in this transaction: nobody else can have taken it
            waiting.payload = payload
            if via is not None and waiting.op == "update":
                waiting.response_url, waiting.response_url_until = via.response_url, via.at + RESPONSE_URL_LIFE
            return _queued(session, waiting)
        if _fold(session, waiting, payload, via):
            return _queued(session, waiting)
    with session.no_autoflush:
        # the original post gives the channel (not posted yet) or the region (a session of no region)
        original = None if posted_in is not None and session.info.get(REGION_KEY) is not None else session.scalars(
            select(OutboxMessage).where(OutboxMessage.ref == ref, OutboxMessage.op == "post")
            .order_by(OutboxMessage.id)).first()
    if posted_in is None and original is None:
        raise LookupError(f"no message with ref {ref!r} to update")
    channel = posted_in if posted_in is not None else original.channel
    region = original.region_id if original is not None else None
    msg = _add(session, op="update", region_id=_region(session, region), channel=channel, ref=ref,
               payload=_payload(text, blocks, None), not_before=now, created_at=now,
               response_url=via.response_url if via else None,
               response_url_until=via.at + RESPONSE_URL_LIFE if via else None)
    return _queued(session, msg)


def post_or_update(session: Session, now: datetime, channel: str, ref: str, text: str,
                   blocks: list[dict[str, Any]] | None = None, *, thread_ref: str | None = None,
                   via: Pressed | None = None) -> OutboxMessage:
    """Posts the message named `ref` the first time, edits it every time after."""
    exists = _mine(session, ref) or session.get(SlackMessage, ref) is not None or session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.ref == ref, OutboxMessage.op == "post")).first() is not None
    if exists:
        return update(session, now, ref, text, blocks, via=via)
    return post(session, now, channel, text, blocks, ref=ref, thread_ref=thread_ref)


def is_queued(session: Session, ref: str) -> bool:
    """True if a message with this ref was queued or posted (whatever its state)."""
    return _mine(session, ref) or session.get(SlackMessage, ref) is not None or session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.ref == ref)).first() is not None


def posted_ts(session: Session, ref: str) -> str | None:
    m = session.get(SlackMessage, ref)
    return m.ts if m else None


# ---- what operators and /healthz, /metrics see --------------------------------------------
def outbox_figures(session: Session, region_id: int, now: datetime | None = None) -> dict[str, Any]:
    """The region's outbox in figures (stable keys, read by /healthz and /metrics):
    `pending` (still to post), `failed` (refused by Slack for good, waiting for an operator:
    `samverkan outbox`), `oldest_pending_age_seconds` (0.0 when nothing waits)."""
    now = now or datetime.now(timezone.utc)
    counts = dict(session.execute(
        select(OutboxMessage.status, func.count()).where(OutboxMessage.region_id == region_id,
                                                         OutboxMessage.status.in_((PENDING, FAILED)))
        .group_by(OutboxMessage.status)).all())
    oldest = session.scalar(select(func.min(OutboxMessage.created_at)).where(
        OutboxMessage.region_id == region_id, OutboxMessage.status == PENDING))
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=timezone.utc)
    return {"pending": int(counts.get(PENDING, 0)), "failed": int(counts.get(FAILED, 0)),
            "oldest_pending_age_seconds": max(0.0, (now - oldest).total_seconds()) if oldest else 0.0}


def waiting_and_failed(session: Session, region_id: int, limit: int = 200) -> list[OutboxMessage]:
    """The region's rows still to post and those Slack refused for good, oldest first."""
    return list(session.scalars(
        select(OutboxMessage).where(OutboxMessage.region_id == region_id,
                                    OutboxMessage.status.in_((PENDING, FAILED)))
        .order_by(OutboxMessage.id).limit(limit)))


def retry(session: Session, region_id: int, now: datetime, msg_id: int | None = None) -> list[int]:
    """Puts a failed row (or, without `msg_id`, every failed row of the region) back in the
    queue, to be posted at once; a pending row is moved to the front of its wait.
    Returns the ids changed."""
    query = select(OutboxMessage).where(OutboxMessage.region_id == region_id)
    query = query.where(OutboxMessage.id == msg_id) if msg_id is not None else query.where(
        OutboxMessage.status == FAILED)
    changed = []
    for row in session.scalars(query):
        if row.status not in (PENDING, FAILED):
            continue
        row.status, row.not_before = PENDING, now
        changed.append(row.id)
    if changed:
        session.info[QUEUED] = True
    return changed
