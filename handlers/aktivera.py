"""/aktivera, /avaktivera and the Aktivera/Avböj buttons of an activation request.

`/aktivera` is registered with should_escape: true, so its text arrives with &, <, >
escaped and @mentions as <@U…|name>; it is turned back into what the person typed.

    /aktivera <anledning>               koordinator: activates; anyone else in the region: a request
    /aktivera | /aktivera status        the ongoing activation (phases, next avstämning)
    /aktivera hjälp                     the options
    /aktivera avstämning 14:00          koordinator: next avstämning (today, or tomorrow if passed)
    /aktivera kalla <aktör|@medlem>     koordinator: call in one more actor (while active;
                                        with nothing active, "kalla …" is read as a reason)
    /aktivera fas <aktör> efterfas|pågående   koordinator: the actor's phase
    /avaktivera [kommentar]             koordinator: back to ordinarie läge

With `activation.separate_channel`, the channel is created after the acknowledgement
(Slack's answer is needed for its id). If Slack refuses, the activation still starts,
in the conference channel, and the koordinator is told why (an activation must not
wait for a channel); if only some invitations fail, the channel is used and the
koordinator is told whom to add (everyone called in also gets a DM naming the channel).
"""
from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.activation import flows, request_flows
from bot.activation.messages import ACCEPT_ACTION, DECLINE_ACTION, channel_mention, mentions, refusal_text
from bot.activation.service import Refused
from bot.context import BotContext
from bot.slack import blocks as bk
from bot.slack import channels
from bot.slack.text import to_plain, unescape

log = logging.getLogger(__name__)

HELP_WORDS = ("hjälp", "hjalp", "help")
AVSTAMNING_WORDS = ("avstämning", "avstamning", "avst")


def register(app: App, ctx: BotContext) -> None:
    r = ctx.renderer

    def answer(respond: Respond, text: str) -> None:
        try:
            respond(text=text, response_type="ephemeral", replace_original=False)
        except Exception:  # noqa: BLE001 - the response_url may have expired; the work is done
            log.warning("could not answer through response_url", exc_info=True)

    def own_channel(client: WebClient, user: str, plan: flows.ChannelPlan) -> tuple[str | None, list[str]]:
        """Creates the activation's channel; (channel id or None, notes for the koordinator)."""
        nc = channels.create_with_members(client, plan.name, plan.invite)
        if nc.channel_id is None:
            flows.channel_failed(ctx, user, plan.name, nc.error or "unknown")
            return None, [r.t("activation_channel_failed", error=nc.error or r.t("activation_unknown_error"),
                              channel=channel_mention(ctx.cfg.channel))]
        flows.channel_created(ctx, user, nc.channel_id, nc.name or plan.name, nc.not_invited, nc.invite_error)
        notes = []
        if nc.not_invited:
            notes.append(r.t("activation_invite_failed", channel=channel_mention(nc.channel_id),
                             error=nc.invite_error or r.t("activation_unknown_error"), users=mentions(nc.not_invited)))
        return nc.channel_id, notes

    class Reply:
        """Answers the person: the acknowledgement first, then through response_url."""

        def __init__(self, ack: Ack, respond: Respond):
            self.ack, self.respond, self.acked = ack, respond, False

        def __call__(self, text: str, **extra) -> None:
            if not self.acked:
                self.acked = True
                self.ack(response_type="ephemeral", text=text, **extra)
            else:
                answer(self.respond, text)

    def start(say: Reply, client: WebClient, user: str, reason: str, channel_id: str) -> None:
        if not flows.may_activate_directly(ctx, user):
            say(request_flows.request_activation(ctx, user, reason, channel_id))
            return
        plan = flows.prepare_activation(ctx, user, reason)
        if plan is None:
            say(flows.activate(ctx, user, reason).reply)
            return
        say(r.t("activation_creating_channel"))
        channel, notes = own_channel(client, user, plan)
        say("\n".join([flows.activate(ctx, user, reason, channel=channel).reply, *notes]))

    @app.command("/aktivera")
    def aktivera(ack: Ack, command: dict, respond: Respond, client: WebClient) -> None:
        user, raw = command["user_id"], (command.get("text") or "").strip()
        word, rest = (raw.split(maxsplit=1) + ["", ""])[:2]
        w, rest = word.casefold(), rest.strip()
        say = Reply(ack, respond)
        try:
            if w in HELP_WORDS:
                say(r.render("activation_help.md.j2"))
            elif w in ("", "status"):
                if not w and flows.current_channel(ctx) is None:
                    say(r.t("activation_none_active") + "\n\n" + r.render("activation_help.md.j2"))
                    return
                body = flows.status_text(ctx)
                say(bk.fallback(body), blocks=bk.sections(body))
            elif w in AVSTAMNING_WORDS:
                say(flows.set_avstamning(ctx, user, to_plain(rest)))
            elif w == "fas":
                say(flows.set_phase(ctx, user, unescape(rest)))
            elif w == "kalla" and flows.current_channel(ctx) is not None:
                called = flows.call_in_actor(ctx, user, unescape(rest))
                say(called.reply)
                if called.separate:
                    failed, error = channels.invite(client, called.channel, called.users)
                    if failed:
                        say(r.t("activation_invite_failed", channel=channel_mention(called.channel),
                                error=error or r.t("activation_unknown_error"), users=mentions(failed)))
            else:
                start(say, client, user, to_plain(raw), command.get("channel_id"))
        except Refused as e:
            say(refusal_text(r, e))
        except Exception:
            log.exception("/aktivera failed")
            say(r.t("activation_failed"))

    @app.command("/avaktivera")
    def avaktivera(ack: Ack, command: dict) -> None:
        try:
            text = flows.deactivate(ctx, command["user_id"], to_plain(command.get("text") or ""))
        except Refused as e:
            text = refusal_text(r, e)
        except Exception:
            log.exception("/avaktivera failed")
            text = r.t("activation_failed")
        ack(response_type="ephemeral", text=text)

    def _request_id(body: dict) -> int | None:
        try:
            return int(body["actions"][0].get("value", ""))
        except (KeyError, IndexError, ValueError):
            return None

    @app.action(ACCEPT_ACTION)
    def accept(ack: Ack, body: dict, respond: Respond, client: WebClient) -> None:
        ack()
        user, request_id = body["user"]["id"], _request_id(body)
        try:
            if request_id is None:
                raise Refused("activation_request_unknown")
            claim = request_flows.claim_request(ctx, user, request_id)
            channel, notes = None, []
            if ctx.cfg.activation.separate_channel:
                try:
                    channel, notes = own_channel(client, user, flows.channel_plan(ctx))
                except BaseException:
                    request_flows.release_request(ctx, claim.request_id)  # pending again, not stuck
                    raise
            act = request_flows.accept_request(ctx, user, claim, channel=channel)
            answer(respond, "\n".join([act.reply, *notes]))
        except Refused as e:
            answer(respond, refusal_text(r, e))
        except Exception:
            log.exception("accepting activation request %s failed", request_id)
            answer(respond, r.t("activation_failed"))

    @app.action(DECLINE_ACTION)
    def decline(ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        user, request_id = body["user"]["id"], _request_id(body)
        try:
            if request_id is None:
                raise Refused("activation_request_unknown")
            answer(respond, request_flows.decline_request(ctx, user, request_id))
        except Refused as e:
            answer(respond, refusal_text(r, e))
        except Exception:
            log.exception("declining activation request %s failed", request_id)
            answer(respond, r.t("activation_failed"))
