"""The activation's own channel: the sequence around Slack's answer.

Slack must answer (the new channel's id) before the activation can open in it, so the
handler passes the two Slack calls in as plain callables (bot/slack/channels.py); the
core decides what follows: a refused channel means the activation runs in the
conference channel and the koordinator is told why; failed invitations mean the channel
is used and the koordinator is told whom to add.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from bot.activation import flows
from bot.activation.messages import channel_mention, mentions
from bot.context import BotContext


class NewChannel(Protocol):
    channel_id: str | None
    name: str | None
    error: str | None
    not_invited: list[str]
    invite_error: str | None


@dataclass(frozen=True)
class SlackChannels:
    """The Slack calls an activation needs, bound to a client by the handler."""

    create: Callable[[str, list[str]], NewChannel]  # (name, members to invite)
    invite: Callable[[str, list[str]], tuple[list[str], str | None]]  # (channel, users) -> (not invited, error)


def create_own(ctx: BotContext, user_id: str, plan: flows.ChannelPlan,
               slack: SlackChannels) -> tuple[str | None, list[str]]:
    """Creates the activation's channel: (its id, or None to use the conference channel;
    notes for the koordinator)."""
    r = ctx.renderer
    nc = slack.create(plan.name, plan.invite)
    if nc.channel_id is None:
        flows.channel_failed(ctx, user_id, plan.name, nc.error or "unknown")
        return None, [r.t("activation_channel_failed", error=nc.error or r.t("activation_unknown_error"),
                          channel=channel_mention(ctx.cfg.channel))]
    flows.channel_created(ctx, user_id, nc.channel_id, nc.name or plan.name, nc.not_invited, nc.invite_error)
    if not nc.not_invited:
        return nc.channel_id, []
    return nc.channel_id, [invite_failed(ctx, nc.channel_id, nc.not_invited, nc.invite_error)]


def invite_failed(ctx: BotContext, channel: str, users: list[str], error: str | None) -> str:
    r = ctx.renderer
    return r.t("activation_invite_failed", channel=channel_mention(channel),
               error=error or r.t("activation_unknown_error"), users=mentions(users))
