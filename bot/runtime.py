"""Assembles a running bot from settings and a region file: database, Slack client,
outbox worker, scheduler and the Bolt app. Used by `samverkan run`, the demo and tests."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from slack_sdk import WebClient

from bot.app import create_app
from bot.clock import Clock, SystemClock
from bot.conference.flows import FLOWS
from bot.context import BotContext
from bot.db.base import make_engine, make_session_factory
from bot.db.schema import check_current
from bot.region.service import sync_region
from bot.report.flows import publish_missing
from bot.render import Renderer
from bot.schedule.runner import ConferenceScheduler
from bot.server import health_check, make_wsgi
from bot.slack.client import make_web_client
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
    token_verification: bool = True

    def __post_init__(self) -> None:
        self.engine = make_engine(self.database_url)
        check_current(self.engine)
        self.sf = make_session_factory(self.engine)
        with self.sf.begin() as s:
            region_id = sync_region(s, self.cfg, self.clock.now()).id
        self.ctx = BotContext(cfg=self.cfg, sf=self.sf, clock=self.clock,
                              renderer=Renderer(self.cfg.language, self.cfg.tz), region_id=region_id)
        self.client: WebClient = make_web_client(self.bot_token, self.api_url)
        self.worker = OutboxWorker(self.sf, self.client, self.clock, channel_interval=self.channel_interval)
        self.scheduler = ConferenceScheduler(self.ctx, FLOWS)
        self.listeners = ThreadPoolExecutor(max_workers=32, thread_name_prefix="listener")
        self.app = create_app(self.ctx, self.client, self.signing_secret,
                              token_verification=self.token_verification, executor=self.listeners)
        self.wsgi = make_wsgi(self.app, health_check(self.sf, self.worker))

    def start_background(self, *, scheduler: bool = True) -> None:
        self.worker.start()
        if scheduler:
            self.scheduler.start()
        self.ctx.follow_up(publish_missing, self.ctx)  # reports stored just before a restart

    def stop(self) -> None:
        self.listeners.shutdown(wait=True)  # let running listeners finish their work
        self.ctx.shutdown()
        self.scheduler.shutdown()
        self.worker.stop()
        self.engine.dispose()
