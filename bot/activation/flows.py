"""Aktiverat läge flows: the core's decisions, their messages and the outbox, in one
transaction each ("store first, post after").

Requests to activate (and their buttons) are in request_flows.py. Entry points called
by handlers/aktivera.py take the context and plain values, open their own transaction
and return the text to answer the person with; a refusal is raised as
`service.Refusal` and changes nothing. Slack calls that need an answer before
the core can go on (creating the activation's own channel) are the handler's, through
bot/slack/channels.py; the core only gets the resulting channel id.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import after_followup
from bot.activation import messages, service
from bot.activation.models import AFTER, PLANNED, REMINDED, ActivationRequest, Avstamning
from bot.activation.service import CallIn
from bot.reply import Refusal
from bot.audit.service import record
from bot.conference.models import ACTIVATED, OPEN, Conference
from bot.conference.opening import post_opening
from bot.context import BotContext
from bot.floor import flows as floor_flows
from bot.region import service as region
from bot.region.models import Actor
from bot.slack import outbox
from bot.slack.text import user_mention
from bot.summary import flows as summary_flows

log = logging.getLogger(__name__)
REASON_MAX = 1500
T = TypeVar("T")


# ---- hook for the ordinary conference -------------------------------------------------
def opening_note(ctx: BotContext, s: Session, conf: Conference) -> str | None:
    """A line for the ordinary opening message while an activation is ongoing."""
    if conf.kind == ACTIVATED:
        return None
    active = service.current(s, ctx.region_id)
    if active is None:
        return None
    # link to the activated thread only once it is posted (a link waits for its target)
    link = outbox.permalink(active.ref) if outbox.posted_ts(s, active.ref) else None
    return messages.opening_note(ctx.renderer, active, ctx.cfg.channel, link)


# ---- helpers ----------------------------------------------------------------------------------
def audit(ctx: BotContext, s: Session, action: str, user_id: str | None, subject: str, **details) -> None:
    record(s, ctx.now(), action, region_id=ctx.region_id, user_id=user_id, subject=subject, **details)


def retrying_once(fn: Callable[[], T]) -> T:
    """Runs a transaction once more if a concurrent one took the same running number;
    the second run then sees that activation and refuses."""
    try:
        return fn()
    except IntegrityError:
        log.info("concurrent activation: retrying once")
        return fn()


def _post_all(s: Session, now: datetime, channel: str, payloads: list[dict], thread_ref: str | None = None) -> None:
    for p in payloads:
        outbox.post(s, now, channel, thread_ref=thread_ref, **p)


def _dm_users(calls: list[CallIn], skip: str | None = None) -> dict[str, list[str]]:
    """user -> the actors they are called for (a person can be TiB of two actors)."""
    users: dict[str, list[str]] = {}
    for c in calls:
        for u in c.users:
            if u != skip:
                users.setdefault(u, []).append(c.actor.name)
    return users


def check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Refusal("activation_missing_reason")
    if len(reason) > REASON_MAX:
        raise Refusal("activation_reason_too_long", length=len(reason), limit=REASON_MAX)
    return reason


# ---- activating ----------------------------------------------------------------------------
@dataclass
class ChannelPlan:
    """What the handler needs to create the activation's own channel."""
    name: str
    invite: list[str]


def prepare_activation(ctx: BotContext, user_id: str, reason: str) -> ChannelPlan | None:
    """Checks that `user_id` may activate now with this reason (raises Refusal). With
    `activation.separate_channel`, returns the channel to create and whom to invite."""
    check_reason(reason)
    with ctx.sf() as s:
        service.require_member(s, ctx.region_id, user_id)
        service.require_koordinator(s, ctx.region_id, user_id)
        service.refuse_if_active(s, ctx.region_id)
        return _channel_plan(ctx, s) if ctx.cfg.activation.separate_channel else None


def may_activate_directly(ctx: BotContext, user_id: str) -> bool:
    """A koordinator activates at once; anyone else's /aktivera is a request."""
    with ctx.sf() as s:
        return service.is_koordinator(s, ctx.region_id, user_id)


def channel_plan(ctx: BotContext) -> ChannelPlan:
    with ctx.sf() as s:
        return _channel_plan(ctx, s)


def _channel_plan(ctx: BotContext, s: Session) -> ChannelPlan:
    now = ctx.now()
    number = service.next_number(s, ctx.region_id, now, ctx.cfg.tz)
    name = f"{ctx.cfg.activation.channel_prefix}-{number}-{now.astimezone(ctx.cfg.tz):%Y-%m-%d}".lower()[:80]
    users = list(service.koordinators(s, ctx.region_id))
    for actor in region.active_actors(s, ctx.region_id):
        users += region.actor_members(s, actor.id, service.TIB)
    return ChannelPlan(name, list(dict.fromkeys(users)))


@dataclass
class Activation:
    conference_id: int
    number: int
    year: int
    channel: str
    actors: int
    reply: str


def activate(ctx: BotContext, user_id: str, reason: str, *, channel: str | None = None) -> Activation:
    """`/aktivera <anledning>` by a koordinator: the activated conference opens at once,
    in `channel` (the activation's own channel) or in the conference channel."""
    reason = check_reason(reason)

    def run() -> Activation:
        with ctx.tx() as s:
            service.require_member(s, ctx.region_id, user_id)
            service.require_koordinator(s, ctx.region_id, user_id)
            return open_activation(ctx, s, user_id, reason, channel or ctx.cfg.channel)

    return retrying_once(run)


def open_activation(ctx: BotContext, s: Session, user_id: str, reason: str, channel: str,
              req: ActivationRequest | None = None) -> Activation:
    """Opens the activated conference and calls everyone in (`req`: on that request)."""
    r, now, main = ctx.renderer, ctx.now(), ctx.cfg.channel
    conf = service.create(s, ctx.region_id, channel=channel, reason=reason, user_id=user_id, now=now, tz=ctx.cfg.tz)
    calls = service.call_in_all(s, conf, now)
    requester_actor = s.get(Actor, req.actor_id).name if req is not None and req.actor_id else None
    payload = messages.opening(r, conf, calls, host=ctx.host_name(), requester=req.requested_by if req else None,
                               requester_actor=requester_actor,
                               extra_blocks=[*floor_flows.opening_blocks(ctx, s, conf),
                                             *after_followup.opening_blocks(ctx, s)])
    post_opening(ctx, s, conf, payload)
    where = messages.where(r, conf, main)
    for u, actors in _dm_users(calls, skip=user_id).items():
        outbox.post(s, now, u, **messages.dm_callin(r, conf, actors, where))
    if conf.channel != main:
        outbox.post(s, now, main, **messages.channel_notice(r, conf))
    if req is None:
        settle_pending(ctx, s, user_id, conf)
    audit(ctx, s, "activation.activated", user_id, conf.ref, number=conf.number, year=conf.year, reason=reason,
           channel=conf.channel, request=req.id if req else None)
    audit(ctx, s, "activation.called_in", user_id, conf.ref, actors=[c.actor.key for c in calls],
           users=sorted({u for c in calls for u in c.users}))
    reply = r.t("activation_done", number=conf.number, year=conf.year, where=where, count=len(calls))
    return Activation(conf.id, conf.number, conf.year, conf.channel, len(calls), reply)


def update_request_messages(ctx: BotContext, s: Session, req: ActivationRequest, conf: Conference | None) -> None:
    actor = s.get(Actor, req.actor_id) if req.actor_id else None
    payload = messages.request(ctx.renderer, req, requester_actor=actor.name if actor else None, conf=conf)
    for ref in req.message_refs or []:
        outbox.update(s, ctx.now(), ref, payload["text"], payload["blocks"])


def settle_pending(ctx: BotContext, s: Session, user_id: str, conf: Conference) -> None:
    """A koordinator activated directly: requests still waiting are answered by this
    activation. Their messages lose the buttons and each requester is told."""
    r, now = ctx.renderer, ctx.now()
    where = messages.where(r, conf, ctx.cfg.channel)
    for req in service.pending_requests(s, ctx.region_id):
        req.decided_by, req.decided_at = user_id, now
        service.complete_request(req, conf)
        update_request_messages(ctx, s, req, conf)
        outbox.post(s, now, req.requested_by, **messages.plain(r.t(
            "activation_requester_covered", by=user_mention(user_id), number=conf.number, where=where)))
        audit(ctx, s, "activation.request_covered", user_id, req.ref_prefix, conference=conf.ref)


def channel_failed(ctx: BotContext, user_id: str, name: str, error: str) -> None:
    """The activation's own channel could not be created: noted in the audit log; the
    activation then runs in the conference channel."""
    with ctx.tx() as s:
        audit(ctx, s, "activation.channel_failed", user_id, name, error=error)


def channel_created(ctx: BotContext, user_id: str, channel: str, name: str, not_invited: list[str],
                    error: str | None) -> None:
    with ctx.tx() as s:
        audit(ctx, s, "activation.channel_created", user_id, channel, name=name, not_invited=not_invited,
               invite_error=error)


# ---- while active ----------------------------------------------------------------------------
def status_text(ctx: BotContext) -> str:
    with ctx.sf() as s:
        conf = service.require_current(s, ctx.region_id)
        return messages.status(ctx.renderer, service.status(s, conf), ctx.cfg.channel, ctx.now())


@dataclass
class CalledIn:
    reply: str
    channel: str  # the activated conference's channel
    users: list[str] = field(default_factory=list)
    separate: bool = False


def call_in_actor(ctx: BotContext, user_id: str, query: str) -> CalledIn:
    """`/aktivera kalla <aktör>`: one more actor, by mention in the thread and by DM."""
    if not query.strip():
        raise Refusal("activation_kalla_usage")
    r, now = ctx.renderer, ctx.now()
    with ctx.tx() as s:
        service.require_koordinator(s, ctx.region_id, user_id)
        conf = service.require_current(s, ctx.region_id)
        actor = service.find_actor(s, ctx.region_id, query)
        call = service.call_in(s, conf, actor, user_id, now)
        floor_flows.on_called_in(ctx, s, conf, actor.id)
        _post_all(s, now, conf.channel, messages.callin(r, conf, [call], later_by=user_id), thread_ref=conf.ref)
        where = messages.where(r, conf, ctx.cfg.channel)
        for u in call.users:
            outbox.post(s, now, u, **messages.dm_called_later(r, conf, actor.name, user_id, where))
        audit(ctx, s, "activation.called_in", user_id, conf.ref, actors=[actor.key], users=call.users)
        return CalledIn(r.t("activation_called_reply", actor=actor.name, count=len(call.users)), conf.channel,
                        call.users, conf.channel != ctx.cfg.channel)


def set_phase(ctx: BotContext, user_id: str, args: str) -> str:
    """`/aktivera fas <aktör> efterfas|pågående`."""
    r, now = ctx.renderer, ctx.now()
    query, phase = service.parse_phase_args(args)
    with ctx.tx() as s:
        service.require_koordinator(s, ctx.region_id, user_id)
        conf = service.require_current(s, ctx.region_id)
        actor = service.find_actor(s, ctx.region_id, query)
        service.set_phase(s, conf, actor, phase, user_id, now)
        label = r.t("activation_phase_after" if phase == AFTER else "activation_phase_ongoing")
        outbox.post(s, now, conf.channel, thread_ref=conf.ref, **messages.plain(
            r.t("activation_phase_thread", actor=actor.name, phase=label, by=user_mention(user_id))))
        audit(ctx, s, "activation.phase_set", user_id, conf.ref, actor=actor.key, phase=phase)
        return r.t("activation_phase_set", actor=actor.name, phase=label)


def set_avstamning(ctx: BotContext, user_id: str, when: str) -> str:
    """`/aktivera avstämning 14:00`: calls everyone in for that time (not the actors in
    efterskede); reminded then."""
    r, now = ctx.renderer, ctx.now()
    with ctx.tx() as s:
        service.require_koordinator(s, ctx.region_id, user_id)
        conf = service.require_current(s, ctx.region_id)
        at = service.parse_avstamning_time(when, now, ctx.cfg.tz)
        a = service.set_avstamning(s, conf, at, user_id, now)
        calls = service.called_in(s, conf)
        _call_for_avstamning(ctx, s, conf, calls, at, reminder=False, by=user_id)
        audit(ctx, s, "activation.avstamning_set", user_id, conf.ref, avstamning=a.id, time=at.isoformat())
        return r.t("activation_avstamning_reply", day=messages.day_word(r, at, now), at=r.fmt_time(at),
                   count=sum(1 for c in calls if c.phase != AFTER))  # efterskede: not called in


def _call_for_avstamning(ctx: BotContext, s: Session, conf: Conference, calls: list[CallIn], at: datetime, *,
                         reminder: bool, by: str | None = None) -> None:
    r, now = ctx.renderer, ctx.now()
    resting = [c.actor.name for c in calls if c.phase == AFTER]  # named, not called in
    calls = [c for c in calls if c.phase != AFTER]
    _post_all(s, now, conf.channel, messages.avstamning(r, conf, calls, at, now=now, reminder=reminder, by=by,
                                                        resting=resting), thread_ref=conf.ref)
    where = messages.where(r, conf, ctx.cfg.channel)
    for u in _dm_users(calls, skip=by):
        outbox.post(s, now, u, **messages.dm_avstamning(r, conf, at, where, now=now, reminder=reminder))


def remind_avstamning(ctx: BotContext, s: Session, avstamning_id: int) -> None:
    """The scheduled moment of an avstämning: reminds everyone called in (thread and DM),
    except the actors in efterskede."""
    a = s.get(Avstamning, avstamning_id)
    conf = s.get(Conference, a.conference_id) if a else None
    if a is None or a.status != PLANNED or conf is None or conf.status != OPEN:
        return
    a.status = REMINDED
    _call_for_avstamning(ctx, s, conf, service.called_in(s, conf), a.at, reminder=True)
    audit(ctx, s, "activation.avstamning_reminded", None, conf.ref, avstamning=a.id)


# ---- the end ----------------------------------------------------------------------------------
def deactivate(ctx: BotContext, user_id: str, comment: str) -> str:
    """`/avaktivera [kommentar]`: the samlad lägesbild in the thread, the conference
    closed, the channel told that ordinarie läge applies; each step audited."""
    r, now, main = ctx.renderer, ctx.now(), ctx.cfg.channel
    comment = comment.strip()
    if len(comment) > REASON_MAX:
        raise Refusal("activation_comment_too_long", length=len(comment), limit=REASON_MAX)
    with ctx.tx() as s:
        service.require_member(s, ctx.region_id, user_id)
        service.require_koordinator(s, ctx.region_id, user_id, "activation_not_koordinator_deactivate")
        conf = service.current(s, ctx.region_id)
        if conf is None:
            raise Refusal("activation_none_active_deactivate")
        audit(ctx, s, "activation.deactivate", user_id, conf.ref, comment=comment or None)
        service.deactivate(s, conf, comment, now)
        floor_flows.on_close(ctx, s, conf)  # the speaking order keeps its final state, without buttons
        audit(ctx, s, "activation.closed", user_id, conf.ref, closed_at=now.isoformat())
        summary_flows.on_close(ctx, s, conf)
        audit(ctx, s, "activation.summary_posted", user_id, conf.ref)
        outbox.post(s, now, conf.channel, thread_ref=conf.ref, **messages.closed(r, conf, user_id, in_thread=True))
        separate = conf.channel != main
        outbox.post(s, now, main, **messages.closed(
            r, conf, user_id, in_thread=False, where_=messages.where(r, conf, main) if separate else None))
        if separate:
            outbox.post(s, now, conf.channel, **messages.closed(r, conf, user_id, in_thread=False))
        audit(ctx, s, "activation.ordinary_mode", user_id, conf.ref,
               channels=[main, conf.channel] if separate else [main])
        return r.t("activation_deactivated_reply", number=conf.number)


def current_channel(ctx: BotContext) -> str | None:
    with ctx.sf() as s:
        conf = service.current(s, ctx.region_id)
        return conf.channel if conf else None

