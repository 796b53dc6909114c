"""Requests to activate: `/aktivera <anledning>` by a member who is not a koordinator,
posted to the koordinators (DM and the conference channel) with Aktivera/Avböj buttons.

A request moves pending -> accepting -> accepted, or pending -> declined, by
compare-and-set on its status (service.claim_request): of two koordinators pressing at
once, one wins and the other is told what happened. Accepting is two transactions so
that the activation's own channel can be created in between (a Slack call, made by the
handler); if the second cannot complete, the request is pending again.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot import throttle
from bot.activation import messages, service
from bot.activation.flows import (Activation, audit, check_reason, open_activation, retrying_once,
                                  update_request_messages)
from bot.activation.models import ACCEPTING, DECLINED
from bot.conference.models import Conference
from bot.context import BotContext
from bot.region.models import Actor
from bot.slack import outbox
from bot.slack.text import user_mention


def request_activation(ctx: BotContext, user_id: str, reason: str, channel_id: str | None) -> str:
    """`/aktivera <anledning>` by a member who is not a koordinator."""
    reason = check_reason(reason)
    r, now = ctx.renderer, ctx.now()
    with ctx.tx() as s:
        service.require_member(s, ctx.region_id, user_id)
        service.refuse_if_active(s, ctx.region_id, "activation_already_active_request")
        throttle.take(s, ctx.region_id, user_id, "activation_request", now)  # it DMs every koordinator
        req = service.create_request(s, ctx.region_id, user_id=user_id, reason=reason, channel=channel_id, now=now)
        actor = s.get(Actor, req.actor_id) if req.actor_id else None
        payload = messages.request(r, req, requester_actor=actor.name if actor else None)
        refs = [f"{req.ref_prefix}:channel"]
        outbox.post(s, now, ctx.cfg.channel, ref=refs[0], **payload)
        koords = service.koordinators(s, ctx.region_id)
        for k in koords:
            refs.append(f"{req.ref_prefix}:dm:{k}")
            outbox.post(s, now, k, ref=refs[-1], **payload)
        req.message_refs = refs
        audit(ctx, s, "activation.requested", user_id, req.ref_prefix, reason=reason, koordinators=koords)
        return r.t("activation_requested", count=len(koords))


@dataclass
class Claim:
    request_id: int
    reason: str


def claim_request(ctx: BotContext, user_id: str, request_id: int) -> Claim:
    """Aktivera pressed: the request moves pending -> accepting for this koordinator
    (compare-and-set); everyone else pressing meanwhile is refused."""
    with ctx.tx() as s:
        service.require_koordinator(s, ctx.region_id, user_id, "activation_not_koordinator_press")
        req = service.get_request(s, ctx.region_id, request_id)
        if req.status == service.PENDING:
            service.refuse_if_active(s, ctx.region_id, "activation_already_active_accept")
        service.claim_request(s, req, ACCEPTING, user_id, ctx.now())
        return Claim(req.id, req.reason)


def accept_request(ctx: BotContext, user_id: str, claim: Claim, *, channel: str | None = None) -> Activation:
    """Completes a claimed request: the activation opens. If it cannot (an activation
    was opened meanwhile), the request is pending again and the refusal is raised."""
    r = ctx.renderer

    def run() -> Activation:
        with ctx.tx() as s:
            req = service.get_request(s, ctx.region_id, claim.request_id)
            act = open_activation(ctx, s, user_id, req.reason, channel or ctx.cfg.channel, req)
            conf = s.get(Conference, act.conference_id)
            where = messages.where(r, conf, ctx.cfg.channel)
            service.complete_request(req, conf)
            update_request_messages(ctx, s, req, conf)
            outbox.post(s, ctx.now(), req.requested_by, **messages.plain(r.t(
                "activation_requester_accepted", by=user_mention(user_id), number=conf.number, where=where)))
            audit(ctx, s, "activation.request_accepted", user_id, req.ref_prefix, conference=conf.ref)
            act.reply = r.t("activation_accepted_reply", number=act.number, where=where)
            return act

    try:
        return retrying_once(run)
    except BaseException:
        release_request(ctx, claim.request_id)
        raise


def release_request(ctx: BotContext, request_id: int) -> None:
    with ctx.tx() as s:
        service.release_request(s, service.get_request(s, ctx.region_id, request_id))


def decline_request(ctx: BotContext, user_id: str, request_id: int) -> str:
    r = ctx.renderer
    with ctx.tx() as s:
        service.require_koordinator(s, ctx.region_id, user_id, "activation_not_koordinator_press")
        req = service.get_request(s, ctx.region_id, request_id)
        service.claim_request(s, req, DECLINED, user_id, ctx.now())
        update_request_messages(ctx, s, req, None)
        outbox.post(s, ctx.now(), req.requested_by, **messages.plain(r.t(
            "activation_requester_declined", reason=req.reason, by=user_mention(user_id))))
        audit(ctx, s, "activation.request_declined", user_id, req.ref_prefix)
        return r.t("activation_declined_reply")
