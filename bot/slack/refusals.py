"""Making a refusal visible: a message Slack refuses for good is kept (status failed, shown
by `samverkan outbox list` and in `outbox_figures`), and the region's koordinators get one
DM naming what failed and what to do. At start-up the bot checks that it can post in the
conference channel (conversations.info: is_member; needs channels:read/groups:read).
"""
from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.region.models import Actor, Member, MemberRole
from bot.region.roles import KOORDINATOR
from bot.render import Renderer
from bot.slack import blocks as bk
from bot.slack import outbox
from bot.slack.models import FAILED, OutboxMessage
from bot.slack.text import SlackSafe

log = logging.getLogger(__name__)
NOTICE_REF = "outbox-notice:"  # refs of the notices themselves: a refused notice starts no new one

_ADVICE = {
    "not_in_channel": "outbox_advice_not_in_channel",
    "channel_not_found": "outbox_advice_channel", "is_archived": "outbox_advice_channel",
    "user_not_found": "outbox_advice_user", "user_not_in_channel": "outbox_advice_user",
    "cannot_dm_bot": "outbox_advice_user", "user_disabled": "outbox_advice_user",
    "invalid_auth": "outbox_advice_app", "not_authed": "outbox_advice_app", "account_inactive": "outbox_advice_app",
    "token_revoked": "outbox_advice_app", "missing_scope": "outbox_advice_app", "restricted_action": "outbox_advice_app",
    "invalid_blocks": "outbox_advice_payload", "invalid_blocks_format": "outbox_advice_payload",
    "msg_too_long": "outbox_advice_payload", "msg_blocks_too_long": "outbox_advice_payload",
    "no_text": "outbox_advice_payload", "invalid_arguments": "outbox_advice_payload",
    "invalid_metadata_format": "outbox_advice_payload",
}


def koordinators(s: Session, region_id: int) -> list[str]:
    rows = s.execute(
        select(Member.user_id).join(Actor, Member.actor_id == Actor.id)
        .join(MemberRole, MemberRole.member_id == Member.id)
        .where(Member.region_id == region_id, Member.active.is_(True), Actor.active.is_(True),
               MemberRole.role == KOORDINATOR)
        .order_by(Actor.position, Member.id)).all()
    return list(dict.fromkeys(r[0] for r in rows))


def _where(r: Renderer, channel: str) -> SlackSafe:
    """Rendered (and so escaped) already: safe to put in another string."""
    if channel[:1] in ("U", "W"):
        return SlackSafe(r.t("outbox_where_dm", user=SlackSafe(f"<@{channel}>")))
    return SlackSafe(r.t("outbox_where_channel", channel=SlackSafe(f"<#{channel}>")))


def _code(error: str) -> str:
    return error.split(" ", 1)[0].strip("():")


def _dm_all(s: Session, r: Renderer, region_id: int, now: datetime, ref: str, text: str, fallback: str,
            avoid: str) -> int:
    sent = 0
    for user in koordinators(s, region_id):
        if user == avoid or (avoid[:1] == "D" and avoid[1:] == user[1:]):
            continue  # not through the conversation that fails
        outbox.post(s, now, user, bk.fallback(fallback), bk.sections(text), ref=f"{ref}:{user}",
                    region_id=region_id)
        sent += 1
    return sent


def notify_refused(s: Session, r: Renderer | None, row: OutboxMessage, error: str, now: datetime) -> int:
    """Queues (in the caller's transaction, which marks `row` failed) one DM to each
    koordinator, unless a failure of the same kind in the same conversation is already
    waiting for the operator (then they have been told). Returns the DMs queued."""
    if r is None or (row.ref or "").startswith(NOTICE_REF):
        return 0
    code = _code(error)
    told = s.scalars(select(OutboxMessage.id).where(
        OutboxMessage.region_id == row.region_id, OutboxMessage.status == FAILED, OutboxMessage.id != row.id,
        OutboxMessage.channel == row.channel, OutboxMessage.last_error.like(f"{code}%"))).first()
    if told is not None:
        return 0
    text = r.t("outbox_refused", where=_where(r, row.channel), error=code,
               advice=SlackSafe(r.t(_ADVICE.get(code, "outbox_advice_other"))))
    return _dm_all(s, r, row.region_id, now, f"{NOTICE_REF}refused:{row.id}", text,
                   r.t("outbox_refused_fallback"), row.channel)


def conference_channel_problem(client: WebClient, channel: str) -> str | None:
    """None when the bot can post in `channel`; else Slack's reason (`not_in_channel`,
    `channel_not_found`, …). Raises on connection errors."""
    try:
        info = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as e:
        return str(e.response.get("error") or "unknown_error") if e.response is not None else "unknown_error"
    if info.get("is_archived"):
        return "is_archived"
    if not info.get("is_member", False) and not info.get("is_im"):
        return "not_in_channel"
    return None


def warn_not_member(s: Session, r: Renderer, region_id: int, channel: str, problem: str, now: datetime) -> int:
    """The start-up warning as DMs to the koordinators, once a day."""
    ref = f"{NOTICE_REF}startup:{channel}:{problem}:{now.date().isoformat()}"
    if outbox.is_queued(s, f"{ref}:" + (koordinators(s, region_id) or [""])[0]):
        return 0
    text = r.t("outbox_not_member", channel=SlackSafe(f"<#{channel}>"), error=problem)
    return _dm_all(s, r, region_id, now, ref, text, r.t("outbox_not_member_fallback"), channel)
