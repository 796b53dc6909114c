"""The one error boundary between Slack and the core.

A listener is a small top-level function `(ctx, req) -> Reply` decorated with one of
`command`, `action`, `submission` or `shortcut`. The decorator gives Bolt a listener that:

- reads the request into a plain `Request` (user, text, value, view, …);
- runs the function; a `Refusal` becomes its text for that person (ephemeral, or beside
  the modal input it is about); anything unexpected is logged with its traceback and
  the person gets a short apology, never Slack's generic failure;
- answers: the acknowledgement, up to five further pages through response_url, a modal
  opened with the trigger id, or the submitted modal replaced or closed;
- then runs the reply's follow-up work.

The core's flows hold their changes in one transaction, so an exception leaves nothing
half-done. The BotContext reaches listeners through Bolt's context (`context["samverkan"]`,
set by bot.app), so listeners need no closure.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.audit import replay
from bot.audit.replay import Replayed
from bot.context import CONTEXT_KEY, BotContext
from bot.reply import MAX_FOLLOW_UPS, Refusal, Reply
from bot.slack import blocks as bk
from bot.slack import views

log = logging.getLogger(__name__)

Flow = Callable[[BotContext, "Request"], Reply]


@dataclass(frozen=True)
class Request:
    """What a listener needs of Slack's request, as plain values."""

    user: str
    text: str = ""  # a command's text, as Slack sent it (escaped)
    channel: str | None = None
    trigger_id: str | None = None
    action_id: str | None = None
    value: str | None = None  # the pressed button's value or the chosen option's
    view: dict[str, Any] | None = None  # the submitted modal, or the one the action came from
    message: dict[str, Any] | None = None  # the message a shortcut or button belongs to
    client: WebClient | None = None  # for the rare Slack call a flow needs (creating a channel)
    body: dict[str, Any] | None = None

    @property
    def response_url(self) -> str | None:
        """Where Slack takes answers to this request (a command, or a button in a message:
        that message can be replaced through it, without a Web API call)."""
        url = (self.body or {}).get("response_url")
        return url if isinstance(url, str) and url else None

    @property
    def private_metadata(self) -> str:
        return (self.view or {}).get("private_metadata") or ""

    @property
    def values(self) -> dict[str, Any]:
        return ((self.view or {}).get("state") or {}).get("values") or {}


def _named(listener, flow):
    """The listener under the flow's name (Bolt's logs name it). Not functools.wraps: Bolt
    reads the listener's own parameters to know what to pass, and wraps would hide them."""
    listener.__name__ = listener.__qualname__ = flow.__name__
    listener.__doc__ = flow.__doc__
    return listener


def _ctx(context: BoltContext) -> BotContext:
    return context[CONTEXT_KEY]


def _text(ctx: BotContext, e: Refusal) -> str:
    return ctx.renderer.t(e.key, **e.values)


def _apology(ctx: BotContext, where: str) -> str:
    log.exception("%s failed", where)
    return ctx.renderer.t("unexpected_error")


def _follow(reply: Reply) -> None:
    if reply.after is not None:
        try:
            reply.after()
        except Exception:  # noqa: BLE001 - the person has their answer; the failure is logged
            log.exception("follow-up work failed")


def _continue(ctx: BotContext, respond: Respond | None, reply: Reply, where: str) -> None:
    """The reply's slow second part, under the same boundary, answered through response_url."""
    if reply.then_reply is None:
        return
    try:
        second = reply.then_reply()
    except Refusal as e:
        second = Reply(_text(ctx, e))
    except Exception:  # noqa: BLE001 - the one boundary
        second = Reply(_apology(ctx, where))
    if not second.silent:
        _respond(respond, _message(second))
    _send_pages(respond, second, where)
    _follow(second)


def _send_pages(respond: Respond | None, reply: Reply, where: str) -> None:
    pages = list(reply.more)
    if len(pages) > MAX_FOLLOW_UPS:
        log.error("%s answered %d pages; Slack takes %d: the rest is dropped", where, len(pages) + 1,
                  MAX_FOLLOW_UPS + 1)
        pages = pages[:MAX_FOLLOW_UPS]
    for page in pages:
        _respond(respond, page)


def _respond(respond: Respond | None, payload: dict[str, Any]) -> None:
    if respond is None or not getattr(respond, "response_url", None):
        # no response_url (a modal, the App Home, or a request without one): nowhere to answer
        log.info("no response_url to answer through")
        return
    try:
        respond(response_type="ephemeral", replace_original=False, **payload)
    except Exception as e:  # noqa: BLE001 - the response_url may have expired; the work is done
        log.warning("could not answer through response_url: %s: %.200s", type(e).__name__, e)


def _message(reply: Reply) -> dict[str, Any]:
    payload: dict[str, Any] = {"text": reply.text or bk.fallback_of(reply.blocks)}
    if reply.blocks:
        payload["blocks"] = reply.blocks
    return payload


def _open(req: Request, reply: Reply) -> None:
    if reply.view is None or req.client is None:
        return
    inside = (req.view or {}).get("type") == "modal" and req.view.get("id")
    if inside:
        views.update_view(req.client, req.view["id"], reply.view, req.view.get("hash"))
    elif req.trigger_id:
        views.open_view(req.client, req.trigger_id, reply.view)


def _run(ctx: BotContext, flow: Flow, req: Request, where: str) -> Reply:
    try:
        return flow(ctx, req)
    except Replayed:  # the same signed slash command again (bot.audit.replay): no effect
        _log_replay(where)
        return Reply()
    except Refusal as e:
        return Reply(_text(ctx, e))
    except Exception:  # noqa: BLE001 - the one boundary: apologise, log the traceback
        return Reply(_apology(ctx, where))


def _then_trigger(flow: Flow) -> Flow:
    """The flow, then its command's trigger id stored if no write of it stored it (a
    command that only reads; bot.audit.replay): a replay of it also answers nothing."""
    def run(ctx: BotContext, req: Request) -> Reply:
        reply = flow(ctx, req)
        ctx.store_trigger()
        return reply

    return run


def _rest(ctx: BotContext, req: Request, respond: Respond | None, reply: Reply, where: str,
          answer: bool = False) -> None:
    """What a reply asks for after the acknowledgement: a modal, its answer (`answer`: it
    was not in the acknowledgement), further pages, follow-up work, a slow second part."""
    if reply.view is not None:
        _open(req, reply)
    elif answer and not reply.silent:
        _respond(respond, _message(reply))
    _send_pages(respond, reply, where)
    _follow(reply)
    _continue(ctx, respond, reply, where)


def _has_rest(reply: Reply) -> bool:
    return reply.view is not None or bool(reply.more) or reply.after is not None or reply.then_reply is not None


def command(fn: Flow | None = None, *, slow: bool | Callable[[str], bool] = False):
    """A slash command. The flow runs before the acknowledgement, which carries its
    answer (store first: "registered" is said after the commit). `slow=True` (or a
    predicate on the command's text) acknowledges at once and answers through
    response_url (for work that may take more than a second). What comes after the
    acknowledgement runs on ctx.after_ack: the listener returns, and Bolt answers Slack."""

    def wrap(flow: Flow):
        def listener(ack: Ack, command: dict, client: WebClient, respond: Respond, context: BoltContext) -> None:
            ctx = _ctx(context)
            req = Request(user=command.get("user_id", ""), text=command.get("text") or "",
                          channel=command.get("channel_id"), trigger_id=command.get("trigger_id"),
                          client=client, body=command)
            where = command.get("command", flow.__name__)
            if isinstance(req.trigger_id, str) and req.trigger_id:  # stored by the command's first write
                replay.expect(req.trigger_id, ctx.now())
            try:
                _answer_command(ctx, flow, req, where, ack, respond, slow(req.text) if callable(slow) else slow)
            finally:
                replay.take()  # never left over for the next request on this thread

        return _named(listener, flow)

    return wrap(fn) if fn is not None else wrap


def _answer_command(ctx: BotContext, flow: Flow, req: Request, where: str, ack: Ack, respond: Respond,
                    slow: bool) -> None:
    if slow:  # the slow part runs on another thread: the trigger id is stored before the ack
        try:
            ctx.store_trigger()
        except Replayed:
            _log_replay(where)
            ack()
            return
        except Exception:  # noqa: BLE001 - the slow part will say what is wrong
            log.exception("%s: could not store the trigger id", where)
        ack()
        ctx.after_ack(lambda: _rest(ctx, req, respond, _run(ctx, flow, req, where), where, answer=True))
        return
    reply = _run(ctx, _then_trigger(flow), req, where)
    if reply.view is not None or reply.silent:
        ack()
    else:
        ack(response_type="ephemeral", **_message(reply))
    if _has_rest(reply):
        ctx.after_ack(_rest, ctx, req, respond, reply, where)


def _log_replay(where: str) -> None:
    log.warning("slash command %s replayed (trigger id seen before): ignored", where)


def action(fn: Flow | None = None, *, slow: bool = False):
    """A button or select. The flow runs before the acknowledgement (store first: when
    Slack's request returns, the change and the edit it causes are queued); `slow=True`
    acknowledges first (work that may take more than a second, such as creating a
    channel). The press itself says nothing; the flow's answer follows ephemerally, a
    modal is opened, or the modal the action came from is replaced."""
    if fn is None:
        return lambda f: _action(f, slow)
    return _action(fn, slow)


def _action_request(body: dict, client: WebClient) -> Request:
    acts = body.get("actions") or [{}]
    act = acts[0] if isinstance(acts, list) and acts and isinstance(acts[0], dict) else {}
    value = act.get("value")
    if value is None:
        value = (act.get("selected_option") or {}).get("value")
    view = body.get("view") if isinstance(body.get("view"), dict) else None
    return Request(user=(body.get("user") or {}).get("id", ""), action_id=act.get("action_id"),
                   value=value, trigger_id=body.get("trigger_id"), view=view,
                   channel=(body.get("channel") or {}).get("id"), message=body.get("message"),
                   client=client, body=body)


def _action(fn: Flow, slow: bool):
    def run(ctx: BotContext, req: Request) -> Reply:
        try:
            return fn(ctx, req)
        except Refusal as e:
            return _said(ctx, req, _text(ctx, e))
        except Exception:  # noqa: BLE001
            return _said(ctx, req, _apology(ctx, f"action {req.action_id}"))

    def listener(ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext) -> None:
        ctx = _ctx(context)
        req = _action_request(body, client)
        where = f"action {req.action_id}"
        if slow:
            ack()
            ctx.after_ack(lambda: _rest(ctx, req, respond, run(ctx, req), where, answer=True))
            return
        reply = run(ctx, req)
        ack()
        if _has_rest(reply) or not reply.silent:
            ctx.after_ack(_rest, ctx, req, respond, reply, where, True)

    return _named(listener, fn)


def submission(fn: Flow):
    """A modal's submit. A refusal about one input shows beside it; any other answer
    replaces the modal with a message (or another modal), or closes it."""

    def listener(ack: Ack, body: dict, view: dict, client: WebClient, context: BoltContext) -> None:
        ctx = _ctx(context)
        req = Request(user=(body.get("user") or {}).get("id", ""), view=view, client=client, body=body)
        try:
            reply = fn(ctx, req)
        except Refusal as e:
            if e.field:
                ack(response_action="errors", errors={e.field: _text(ctx, e)})
                return
            reply = Reply(_text(ctx, e))
        except Exception:  # noqa: BLE001
            reply = Reply(_apology(ctx, f"view {view.get('callback_id')}"))
        if reply.close or reply.silent:
            ack(response_action="clear") if reply.close else ack()
        elif reply.view is not None:
            ack(response_action="update", view=reply.view)
        else:
            ack(response_action="update", view=message_view(ctx, reply.text, reply.blocks))
        if reply.after is not None:
            ctx.after_ack(_follow, reply)

    return _named(listener, fn)


def shortcut(fn: Flow):
    """A message shortcut: acknowledged at once; the answer is ephemeral or a modal."""

    def listener(ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext) -> None:
        ack()
        ctx = _ctx(context)
        req = Request(user=(body.get("user") or {}).get("id", ""), trigger_id=body.get("trigger_id"),
                      channel=(body.get("channel") or {}).get("id"), message=body.get("message"),
                      client=client, body=body)
        where = f"shortcut {body.get('callback_id')}"
        ctx.after_ack(lambda: _rest(ctx, req, respond, _run(ctx, fn, req, where), where, answer=True))

    return _named(listener, fn)


def event(fn: Callable[[BotContext, dict, WebClient], None]):
    """An Events API event: acknowledged at once (Slack retries an event it waits 3 s
    for); `fn(ctx, event, client)` runs after, its failures logged."""

    def listener(ack: Ack, event: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        context[CONTEXT_KEY].after_ack(fn, context[CONTEXT_KEY], event, client)

    return _named(listener, fn)


def _said(ctx: BotContext, req: Request, text: str) -> Reply:
    """A refusal or apology for a button: ephemeral where there is a response_url (a
    message), else in a modal (a button in a modal or in the App Home)."""
    if (req.body or {}).get("response_url") or (req.body or {}).get("response_urls"):
        return Reply(text)
    return Reply.modal(message_view(ctx, text))


def message_view(ctx: BotContext, text: str, blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A modal that only says something (a confirmation, or why not)."""
    r = ctx.renderer
    return {"type": "modal", "title": {"type": "plain_text", "text": r.t("modal_done_title")},
            "close": {"type": "plain_text", "text": r.t("modal_done_close")},
            "blocks": (blocks or bk.sections(text))[:100]}
