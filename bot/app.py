"""Builds the Bolt app: text cleaning, event and slash command de-duplication, handlers.

Requests are verified before Bolt sees them (bot.edge: signature, size, shape), so Bolt's
own signature check is off; in Socket Mode Slack's connection is the proof."""
from __future__ import annotations

import logging
import threading

from slack_bolt import App, BoltResponse
from slack_bolt.middleware.authorization import SingleTeamAuthorization
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.audit.models import ProcessedEvent
from bot.schedule.calendar import week_plan
import handlers
from bot.context import CONTEXT_KEY, BotContext
from bot.values import clean_tree

log = logging.getLogger(__name__)


class _DropClientTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client's token wins; it does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


class _Shorten(logging.Filter):
    """Bolt puts whole request bodies into some of its messages (an unhandled request):
    a log line holds at most MAX_LOGGED characters of it."""

    MAX_LOGGED = 500

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if len(message) > self.MAX_LOGGED:
            record.msg = f"{message[:self.MAX_LOGGED]}… ({len(message) - self.MAX_LOGGED} characters more)"
            record.args = ()
        return True


def create_app(ctx: BotContext, client: WebClient, signing_secret: str, *, auth_test: object | None = None) -> App:
    """The Bolt app. `auth_test`: Slack's answer to auth.test when the token was verified
    already (samverkan run does, for its clear start-up errors); else Bolt asks at start."""
    bolt_log = logging.getLogger("slack_bolt")
    for kind in (_DropClientTokenNotice, _Shorten):
        if not any(isinstance(f, kind) for f in bolt_log.filters):
            bolt_log.addFilter(kind())
    app = App(
        client=client,
        signing_secret=signing_secret,
        token_verification_enabled=auth_test is None,  # calls auth.test once at start
        request_verification_enabled=False,  # bot.edge verified it before anything was parsed
        # The listener runs on the request's own thread and returns as soon as it has
        # acknowledged; what comes after goes to ctx.after_ack (handlers.boundary). So
        # Slack has its answer the moment it is ready, not at Bolt's next 10 ms poll for
        # an ack made on another thread, and no thread hand-off sits in the way.
        process_before_response=True,
        listener_executor=ctx.after_ack_pool,  # Bolt's lazy listeners (none are used)
        raise_error_for_unhandled_request=False,
        logger=bolt_log,
    )
    if auth_test is not None:
        _share_auth_test(app, auth_test)
    app.error(_bolt_error)
    app.use(_prepare(ctx))
    handlers.register_all(app)
    threading.Thread(target=_warm_up, args=(ctx,), name="warm-up", daemon=True).start()
    return app


def _share_auth_test(app: App, auth_test: object) -> None:
    """Hands the start-up's auth.test answer to Bolt's authorization, which otherwise asks
    Slack on the first request: every request of a first burst at once."""
    for middleware in app._middleware_list:
        if isinstance(middleware, SingleTeamAuthorization) and not middleware.auth_test_result:
            middleware.auth_test_result = auth_test


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


def _prepare(ctx: BotContext):
    """The one middleware (Bolt builds each middleware's arguments for every request):
    cleans the request's text, drops an event delivered again, and puts the BotContext
    where handlers.boundary finds it, so listeners need no closure. (A replayed slash
    command: handlers.boundary with bot.audit.replay.)"""
    dedup_event = _event_deduplicator(ctx)

    def prepare(req: BoltRequest, resp: BoltResponse, next):
        _clean(req)
        replayed = dedup_event(req)
        if replayed is not None:
            return replayed
        req.context[CONTEXT_KEY] = ctx
        return next()

    return prepare


def _bolt_error(error: Exception, body: dict) -> BoltResponse:
    """What Bolt itself could not handle (the listeners catch their own errors, see
    handlers.boundary): a request bot.edge let through but Bolt trips over. One line in the
    log and a 400, no traceback: it is about the request, not about the bot's state."""
    kind = body.get("type") or body.get("command") if isinstance(body, dict) else None
    log.error("Bolt could not handle a request (%s): %s: %.200s", kind, type(error).__name__, error)
    return BoltResponse(status=400, body="")


def _clean(req: BoltRequest) -> None:
    """Every string of the request without what PostgreSQL cannot store (bot.values.clean):
    both databases store the same, whatever was typed or sent."""
    clean_tree(req.body)


def _event_deduplicator(ctx: BotContext):
    """Slack retries an Events API delivery it thinks failed (X-Slack-Retry-Num); the
    event id is stored once and a second delivery is acknowledged and dropped."""

    def deduplicate(req: BoltRequest) -> BoltResponse | None:
        body = req.body or {}
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not isinstance(event_id, str) or not event_id:
            return None
        try:
            with ctx.tx() as s:
                s.add(ProcessedEvent(event_id=event_id, received_at=ctx.now()))
        except IntegrityError:
            log.info("event %s delivered again (retry %s): ignored", event_id,
                     req.headers.get("x-slack-retry-num", ["?"])[0])
            return BoltResponse(status=200, body="")
        return None

    return deduplicate
