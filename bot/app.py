"""Builds the Bolt app: Slack request verification, event de-duplication, handlers."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.audit.models import ProcessedEvent
from bot.context import CONTEXT_KEY, BotContext
import handlers

log = logging.getLogger(__name__)


class _DropClientTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client's token wins; it does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def create_app(ctx: BotContext, client: WebClient, signing_secret: str, *, token_verification: bool = True,
               executor: ThreadPoolExecutor | None = None) -> App:
    bolt_log = logging.getLogger("slack_bolt")
    if not any(isinstance(f, _DropClientTokenNotice) for f in bolt_log.filters):
        bolt_log.addFilter(_DropClientTokenNotice())
    app = App(
        client=client,
        signing_secret=signing_secret,
        token_verification_enabled=token_verification,  # calls auth.test once at start
        process_before_response=False,  # ack() answers Slack at once; the listener goes on
        listener_executor=executor or ThreadPoolExecutor(max_workers=32, thread_name_prefix="listener"),
        raise_error_for_unhandled_request=False,
        logger=bolt_log,
    )
    app.use(_event_deduplicator(ctx))
    app.use(_provide_context(ctx))
    handlers.register_all(app)
    return app


def _provide_context(ctx: BotContext):
    """Puts the BotContext where handlers.boundary finds it: listeners need no closure."""
    def provide(req: BoltRequest, resp: BoltResponse, next):
        req.context[CONTEXT_KEY] = ctx
        return next()

    return provide


def _event_deduplicator(ctx: BotContext):
    """Slack retries an Events API delivery it thinks failed (X-Slack-Retry-Num); the
    event id is stored once and a second delivery is acknowledged and dropped."""

    def deduplicate(req: BoltRequest, resp: BoltResponse, next):
        body = req.body or {}
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id:
            return next()
        try:
            with ctx.tx() as s:
                s.add(ProcessedEvent(event_id=event_id, received_at=ctx.now()))
        except IntegrityError:
            log.info("event %s delivered again (retry %s): ignored", event_id,
                     req.headers.get("x-slack-retry-num", ["?"])[0])
            return BoltResponse(status=200, body="")
        return next()

    return deduplicate
