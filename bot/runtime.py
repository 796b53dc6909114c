"""Assembles a running bot from settings and a region file: database, Slack client,
outbox worker, scheduler and the Bolt app. Used by `samverkan run`, the demo and tests."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from slack_sdk import WebClient

from bot import edge
from bot.app import create_app
from bot.clock import Clock, SystemClock
from bot.conference.flows import FLOWS
from bot.context import BotContext
from bot.db.base import make_engine, make_session_factory
from bot.db.schema import check_current
from bot.ops.in_flight import InFlight
from bot.ops.health import HealthCheck, HealthLimits
from bot.ops.metrics import Metrics
from bot.ops.retention import Retention, RetentionJob
from bot.ops.slack_watch import SlackProbe, SlackWatch
from bot.region.service import sync_region
from bot.report.flows import publish_missing
from bot.render import Renderer
from bot.schedule.runner import ConferenceScheduler
from bot.server import make_wsgi
from bot.slack.client import make_outbox_client, make_web_client
from bot.slack.observed import probe
from bot.slack.worker import OutboxWorker

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    database_url: str
    cfg: object  # RegionConfig
    bot_token: str
    signing_secret: str
    api_url: str
    clock: Clock = field(default_factory=SystemClock)
    channel_interval: float = 1.0
    auth_test: object | None = None  # Slack's auth.test answer if the token was verified already (else Bolt asks)
    health_limits: HealthLimits = field(default_factory=HealthLimits)
    retention: Retention = field(default_factory=Retention)
    probe_idle: timedelta = timedelta(seconds=60)  # ask Slack after this long without an answer

    def __post_init__(self) -> None:
        self.engine = make_engine(self.database_url)
        check_current(self.engine)
        self.sf = make_session_factory(self.engine)
        with self.sf.begin() as s:
            region_id = sync_region(s, self.cfg, self.clock.now()).id
        self.ctx = BotContext(cfg=self.cfg, sf=self.sf, clock=self.clock,
                              renderer=Renderer(self.cfg.language, self.cfg.tz), region_id=region_id)
        self.watch = SlackWatch(self.clock)
        self.scheduler = ConferenceScheduler(self.ctx, FLOWS)
        self.metrics = Metrics(self.sf, self.clock, region_id, lambda: self.scheduler.last_tick, self.ctx.writer)
        self.client: WebClient = make_web_client(self.bot_token, self.api_url, observer=self._observe)
        self.in_flight = InFlight()  # Slack requests being answered: the outbox waits for them
        self.worker = OutboxWorker(self.sf, make_outbox_client(self.bot_token, self.api_url, observer=self._observe),
                                   self.clock, region_id=region_id, renderer=self.ctx.renderer,
                                   channel_interval=self.channel_interval, idle=self.in_flight.wait_idle)
        self.health = HealthCheck(self.sf, self.clock, region_id, self.cfg.channel, self.scheduler, self.watch,
                                  self.health_limits, startup_warnings=lambda: dict(self.worker.warnings))
        self.listeners = self.ctx.after_ack_pool  # what runs after an acknowledgement
        self.app = create_app(self.ctx, self.client, self.signing_secret,
                              auth_test=self.auth_test)
        self.wsgi = edge.guard(make_wsgi(self.app, self.health, self.metrics, self.in_flight), self.signing_secret)

    def _observe(self, method: str, error: str | None, answered: bool) -> None:
        self.watch.record(method, error, answered)
        self.metrics.slack_call(method, error, answered)

    def housekeeping_jobs(self) -> list:
        """What the scheduler's tick does besides the calendar: retention, the Slack probe."""
        return [RetentionJob(self.sf, self.retention),
                SlackProbe(self.watch, lambda: probe(self.client), idle=self.probe_idle)]

    def start_background(self, *, scheduler: bool = True) -> None:
        self.worker.start()
        # Can the bot post in the conference channel? A warning, not a stop (own thread:
        # start-up does not wait for Slack).
        threading.Thread(target=self.worker.check_channel, args=(self.cfg.channel,), name="channel-check",
                         daemon=True).start()
        if scheduler:
            self.scheduler.housekeeping.extend(self.housekeeping_jobs())
            self.scheduler.start()
        self.ctx.follow_up(publish_missing, self.ctx)  # reports stored just before a restart

    def stop(self) -> None:
        self.ctx.shutdown()  # lets the work after acknowledgements finish
        self.scheduler.shutdown()
        self.worker.stop()
        self.engine.dispose()
