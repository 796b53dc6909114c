"""Slack payloads of aktiverat läge, rendered from templates/sv/activation*.j2 and
templates/sv/strings/activation.yaml. Long lists are split within Slack's limits."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from bot.activation.models import AFTER, ActivationRequest
from bot.activation.service import CallIn, Status
from bot.conference.models import Conference
from bot.render import Renderer
from bot.slack import blocks as bk
from bot.slack.text import SlackSafe, user_mention

Payload = dict[str, Any]
ACCEPT_ACTION = "activation_accept"
DECLINE_ACTION = "activation_decline"


def channel_mention(channel_id: str) -> SlackSafe:
    if not re.fullmatch(r"[CG][A-Z0-9]+", channel_id):
        raise ValueError(f"not a Slack channel id: {channel_id!r}")
    return SlackSafe(f"<#{channel_id}>")


def mentions(users: Iterable[str]) -> SlackSafe:
    return SlackSafe(" ".join(user_mention(u) for u in users))


def _messages(text: str, body_blocks: list[dict[str, Any]]) -> list[Payload]:
    """One or more messages (each within 50 blocks and the text budget)."""
    return [{"text": text, "blocks": page} for page in bk.paginate(body_blocks)]


@dataclass
class Line:
    actor: str
    mentions: SlackSafe
    after: bool


def _lines(calls: list[CallIn]) -> list[Line]:
    return [Line(c.actor.name, mentions(c.users), c.phase == AFTER) for c in calls]


def where(r: Renderer, conf: Conference, main_channel: str) -> SlackSafe:
    """Where the activation runs: its own channel, or the thread in the conference channel."""
    if conf.channel != main_channel:
        return SlackSafe(r.t("activation_where_channel", channel=channel_mention(conf.channel)))
    return SlackSafe(r.t("activation_where_thread", number=conf.number, channel=channel_mention(conf.channel)))


# ---- the activation's own messages -------------------------------------------------
def opening(r: Renderer, conf: Conference, calls: list[CallIn], *, host: str, requester: str | None = None,
            requester_actor: str | None = None, extra_blocks: list[dict[str, Any]] | None = None) -> Payload:
    """The root message: header, reason, agenda and the call-in of every actor by mention
    (what does not fit one message continues in the thread, see conference.opening.post_opening)."""
    body = r.render("activation_opening.md.j2", opened_at=conf.opened_at, host=host, reason=conf.reason or "",
                    activator=user_mention(conf.activated_by), requester=user_mention(requester) if requester else None,
                    requester_actor=requester_actor)
    callin_body = r.render("activation_callin.md.j2", number=conf.number, lines=_lines(calls), later=False, by=None)
    blocks = [bk.header(r.t("activation_header", number=conf.number, year=conf.year)), *bk.sections(body),
              bk.divider(), *bk.sections(callin_body), *(extra_blocks or [])]
    return {"text": bk.fallback(r.t("activation_opening_fallback", number=conf.number, year=conf.year,
                                    reason=conf.reason or "")), "blocks": blocks}


def callin(r: Renderer, conf: Conference, calls: list[CallIn], *, later_by: str) -> list[Payload]:
    """A thread message calling in one more actor."""
    body = r.render("activation_callin.md.j2", number=conf.number, lines=_lines(calls), later=True,
                    by=user_mention(later_by))
    return _messages(bk.fallback(r.t("activation_callin_fallback", number=conf.number)), bk.sections(body))


def dm_callin(r: Renderer, conf: Conference, actors: list[str], where_: SlackSafe) -> Payload:
    body = r.render("activation_dm_callin.md.j2", number=conf.number, year=conf.year, actors=", ".join(actors),
                    reason=conf.reason or "", activator=user_mention(conf.activated_by), opened_at=conf.opened_at,
                    where=where_)
    return {"text": bk.fallback(r.t("activation_dm_fallback", number=conf.number, reason=conf.reason or "")),
            "blocks": bk.sections(body)}


def dm_called_later(r: Renderer, conf: Conference, actor: str, by: str, where_: SlackSafe) -> Payload:
    text = r.t("activation_dm_called_later", actor=actor, number=conf.number, reason=conf.reason or "",
               where=where_, by=user_mention(by))
    return {"text": bk.fallback(text), "blocks": bk.sections(text)}


def channel_notice(r: Renderer, conf: Conference) -> Payload:
    body = r.render("activation_channel_notice.md.j2", number=conf.number, year=conf.year, reason=conf.reason or "",
                    where=channel_mention(conf.channel), activator=user_mention(conf.activated_by),
                    opened_at=conf.opened_at)
    return {"text": bk.fallback(r.t("activation_notice_fallback", number=conf.number)), "blocks": bk.sections(body)}


def opening_note(r: Renderer, conf: Conference, main_channel: str, thread_link: str | None) -> SlackSafe:
    """The line in the ordinary opening while an activation runs. Everything in it is
    escaped by r.t (the reason included), so the result is safe as it stands."""
    if conf.channel != main_channel:
        place = where(r, conf, main_channel)
    elif thread_link:
        place = SlackSafe(f"<{thread_link}|{r.t('activation_where_thread_link')}>")
    else:
        place = where(r, conf, main_channel)
    return SlackSafe(r.t("activation_opening_note", number=conf.number, reason=conf.reason or "", where=place))


# ---- avstämning ----------------------------------------------------------------------
def day_word(r: Renderer, at: datetime, now: datetime) -> str:
    days = (r.local(at).date() - r.local(now).date()).days
    return r.t("activation_today") if days == 0 else r.t("activation_tomorrow") if days == 1 else r.fmt_date(at)


def avstamning(r: Renderer, conf: Conference, calls: list[CallIn], at: datetime, *, now: datetime,
               reminder: bool, by: str | None = None, resting: list[str] = ()) -> list[Payload]:
    """`resting`: the actors in efterskede, named but not called in."""
    body = r.render("activation_avstamning.md.j2", number=conf.number, lines=_lines(calls), at=at,
                    day=day_word(r, at, now), reminder=reminder, by=user_mention(by) if by else None,
                    resting=list(resting))
    return _messages(bk.fallback(r.t("activation_avstamning_fallback", at=r.fmt_time(at), number=conf.number)),
                     bk.sections(body))


def dm_avstamning(r: Renderer, conf: Conference, at: datetime, where_: SlackSafe, *, now: datetime,
                  reminder: bool) -> Payload:
    body = r.render("activation_dm_avstamning.md.j2", number=conf.number, reason=conf.reason or "", at=at,
                    day=day_word(r, at, now), where=where_, reminder=reminder)
    return {"text": bk.fallback(r.t("activation_avstamning_fallback", at=r.fmt_time(at), number=conf.number)),
            "blocks": bk.sections(body)}


# ---- requests -----------------------------------------------------------------------
def request(r: Renderer, req: ActivationRequest, *, requester_actor: str | None,
            conf: Conference | None = None) -> Payload:
    """The request as the koordinators see it; with buttons while pending, with the
    outcome once decided."""
    outcome = {"accepted": "accepted", "declined": "declined"}.get(req.status)
    body = r.render("activation_request.md.j2", requester=user_mention(req.requested_by),
                    requester_actor=requester_actor, created_at=req.created_at, reason=req.reason, outcome=outcome,
                    decided=user_mention(req.decided_by) if req.decided_by else None, decided_at=req.decided_at,
                    number=conf.number if conf else None)
    blocks = bk.sections(body)
    if outcome is None:
        blocks.append(bk.actions(
            bk.button(r.t("activation_button_accept"), ACCEPT_ACTION, str(req.id), style="primary"),
            bk.button(r.t("activation_button_decline"), DECLINE_ACTION, str(req.id), style="danger"),
            block_id=f"activation_request:{req.id}"))
    return {"text": bk.fallback(r.t("activation_request_fallback", reason=req.reason)), "blocks": blocks}


def plain(text: str) -> Payload:
    """A short bot-built line (already rendered by r.t) as a message."""
    return {"text": bk.fallback(text), "blocks": bk.sections(text)}


# ---- status and the end -------------------------------------------------------------------
NAMES_BUDGET = 3500  # characters of names per list: the status stays one message with 5,000 actors

def status(r: Renderer, st: Status, main_channel: str, now: datetime) -> str:
    conf = st.conf
    return r.render("activation_status.md.j2", number=conf.number, year=conf.year, where=where(r, conf, main_channel),
                    reason=conf.reason or "", activator=user_mention(conf.activated_by), opened_at=conf.opened_at,
                    next_at=st.next_avstamning,
                    next_day=day_word(r, st.next_avstamning, now) if st.next_avstamning else None,
                    ongoing=bk.names_within([a.name for a in st.ongoing], NAMES_BUDGET),
                    after=bk.names_within([a.name for a in st.after], NAMES_BUDGET))


def closed(r: Renderer, conf: Conference, by: str, *, in_thread: bool, where_: SlackSafe | None = None) -> Payload:
    body = r.render("activation_closed.md.j2", number=conf.number, reason=conf.reason or "", by=user_mention(by),
                    closed_at=conf.closed_at, comment=conf.closing_comment, in_thread=in_thread, where=where_)
    return {"text": bk.fallback(r.t("activation_closed_fallback", number=conf.number)), "blocks": bk.sections(body)}
