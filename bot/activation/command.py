"""The entries of `/aktivera`, `/avaktivera` and the request buttons: each takes the
context, the acting user and plain values and returns a Reply (see bot.reply)."""
from __future__ import annotations

from bot.activation import channel as own_channel
from bot.activation import flows, request_flows
from bot.activation.channel import SlackChannels
from bot.activation.parse import AVSTAMNING, CALL_IN, HELP, PHASE, STATUS, parse
from bot.context import BotContext
from bot.reply import Reply
from bot.slack import blocks as bk
from bot.slack.text import to_plain, unescape
from bot import values


def aktivera(ctx: BotContext, user_id: str, text: str, channel_id: str | None, slack: SlackChannels) -> Reply:
    """`/aktivera …` as Slack sent it (escaped; see bot/activation/parse.py)."""
    r = ctx.renderer
    active = flows.current_channel(ctx) is not None
    cmd = parse(text, active=active)
    if cmd.verb == HELP:
        return Reply(r.render("activation_help.md.j2"))
    if cmd.verb == STATUS:
        if not active and not (text or "").strip():
            return Reply(r.t("activation_none_active") + "\n\n" + r.render("activation_help.md.j2"))
        body = flows.status_text(ctx)
        return Reply(bk.fallback(body), bk.sections(body))
    if cmd.verb == AVSTAMNING:
        return Reply(flows.set_avstamning(ctx, user_id, to_plain(cmd.arg)))
    if cmd.verb == PHASE:
        return Reply(flows.set_phase(ctx, user_id, unescape(cmd.arg)))
    if cmd.verb == CALL_IN:
        return call_in(ctx, user_id, unescape(cmd.arg), slack)
    return start(ctx, user_id, to_plain(cmd.arg), channel_id, slack)


def call_in(ctx: BotContext, user_id: str, query: str, slack: SlackChannels) -> Reply:
    """One more actor; in the activation's own channel its members are invited after the answer."""
    called = flows.call_in_actor(ctx, user_id, query)
    if not called.separate:
        return Reply(called.reply)

    def invite() -> Reply:
        failed, error = slack.invite(called.channel, called.users)
        return Reply(own_channel.invite_failed(ctx, called.channel, failed, error)) if failed else Reply()

    return Reply(called.reply, then_reply=invite)


def start(ctx: BotContext, user_id: str, reason: str, channel_id: str | None, slack: SlackChannels) -> Reply:
    """A koordinator activates (in a channel of its own, created after the answer, when
    the region wants one); anyone else asks the koordinators to."""
    if not flows.may_activate_directly(ctx, user_id):
        return Reply(request_flows.request_activation(ctx, user_id, reason, channel_id))
    plan = flows.prepare_activation(ctx, user_id, reason)
    if plan is None:
        return Reply(flows.activate(ctx, user_id, reason).reply)

    def create_and_activate() -> Reply:
        channel, notes = own_channel.create_own(ctx, user_id, plan, slack)
        return Reply("\n".join([flows.activate(ctx, user_id, reason, channel=channel).reply, *notes]))

    return Reply(ctx.renderer.t("activation_creating_channel"), then_reply=create_and_activate)


def avaktivera(ctx: BotContext, user_id: str, text: str) -> Reply:
    return Reply(flows.deactivate(ctx, user_id, to_plain(text or "")))


def _request_id(value: str | None) -> int:
    return values.record_id(value)


def accept(ctx: BotContext, user_id: str, value: str | None, slack: SlackChannels) -> Reply:
    """Aktivera on a request: claimed by this koordinator, then (in a channel of its own
    if the region wants one) opened. Whatever stops it, the claimed request is pending again."""
    claim = request_flows.claim_request(ctx, user_id, _request_id(value))
    channel, notes = None, []
    if ctx.cfg.activation.separate_channel:
        try:
            channel, notes = own_channel.create_own(ctx, user_id, flows.channel_plan(ctx), slack)
        except BaseException:
            request_flows.release_request(ctx, claim.request_id)  # pending again, not stuck
            raise
    act = request_flows.accept_request(ctx, user_id, claim, channel=channel)
    return Reply("\n".join([act.reply, *notes]))


def decline(ctx: BotContext, user_id: str, value: str | None) -> Reply:
    return Reply(request_flows.decline_request(ctx, user_id, _request_id(value)))
