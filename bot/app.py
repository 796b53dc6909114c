"""Builds the Bolt app: Slack request verification, event de-duplication, handlers."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.audit.models import ProcessedEvent
from bot.context import CONTEXT_KEY, BotContext
from bot.schedule.calendar import week_plan
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
    app.use(_context_and_deduplication(ctx))  # one middleware: each costs Bolt an argument injection per request
    handlers.register_all(app)
    threading.Thread(target=_warm_up, args=(ctx,), name="warm-up", daemon=True).start()
    return app


def _warm_up(ctx: BotContext) -> None:
    """Loads on a side thread at start-up what the first request would otherwise load
    while Slack waits for its ack: the holiday calendar (which conference a report goes
    to) and Babel's locale data (dates in answers), about half a second together."""
    try:
        now = ctx.now()
        year, week, _ = now.astimezone(ctx.cfg.tz).isocalendar()
        week_plan(ctx.cfg.conference, ctx.cfg.tz, year, week)
        ctx.renderer.fmt_date(now)
        ctx.renderer.fmt_time(now)
    except Exception:  # only an optimisation: the first request loads it instead
        log.debug("warm-up failed", exc_info=True)


def _context_and_deduplication(ctx: BotContext):
    """Puts the BotContext where handlers.boundary finds it (listeners need no closure).
    Slack retries an Events API delivery it thinks failed (X-Slack-Retry-Num); the event
    id is stored once and a second delivery is acknowledged and dropped."""

    def provide_and_deduplicate(req: BoltRequest, resp: BoltResponse, next):
        req.context[CONTEXT_KEY] = ctx
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

    return provide_and_deduplicate
