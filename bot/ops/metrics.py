"""Prometheus metrics of one running bot, in its own registry (tests run several bots in
one process). Outbox and scheduler figures are read when scraped; Slack errors and
acknowledgement latency are counted as they happen."""
from __future__ import annotations

import logging
from typing import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.orm import sessionmaker

from bot.clock import Clock
from bot.slack.outbox import outbox_figures

log = logging.getLogger(__name__)

ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)


class _Scraped(Collector):
    """Figures read from the database and the scheduler at scrape time."""

    def __init__(self, sf: sessionmaker, clock: Clock, region_id: int, last_tick: Callable[[], object],
                 writer: object | None = None):
        self.sf, self.clock, self.region_id, self.last_tick, self.writer = sf, clock, region_id, last_tick, writer

    def collect(self) -> Iterator[Metric]:
        db_up = GaugeMetricFamily("samverkan_database_up", "1 if the database answered this scrape")
        try:
            with self.sf() as s:
                figures = outbox_figures(s, self.region_id, self.clock.now())
        except Exception as e:  # noqa: BLE001 - a scrape must answer even when the database does not
            log.warning("metrics: the database did not answer: %s", type(e).__name__)
            db_up.add_metric([], 0)
            figures = None
        else:
            db_up.add_metric([], 1)
        yield db_up
        if figures is not None:
            yield GaugeMetricFamily("samverkan_outbox_pending", "messages waiting to be posted",
                                    value=figures["pending"])
            yield GaugeMetricFamily("samverkan_outbox_failed", "messages Slack refused for good",
                                    value=figures["failed"])
            yield GaugeMetricFamily("samverkan_outbox_oldest_pending_age_seconds",
                                    "how long the oldest waiting message has waited",
                                    value=figures["oldest_pending_age_seconds"])
        tick = self.last_tick()
        yield GaugeMetricFamily("samverkan_scheduler_last_tick_timestamp_seconds",
                                "Unix time of the scheduler's last finished tick (0: none yet)",
                                value=tick.timestamp() if tick is not None else 0.0)
        if self.writer is not None:  # group commit (bot.db.writer): units per transaction under load
            yield CounterMetricFamily("samverkan_write_groups", "transactions of the group writer",
                                      value=self.writer.groups)
            yield CounterMetricFamily("samverkan_write_units", "writes (reports, presses, items, trigger ids) "
                                      "committed by the group writer", value=self.writer.units)


class Metrics:
    def __init__(self, sf: sessionmaker, clock: Clock, region_id: int, last_tick: Callable[[], object],
                 writer: object | None = None):
        self.registry = CollectorRegistry(auto_describe=True)
        self.slack_calls = Counter("samverkan_slack_api_calls", "Slack Web API calls, by method",
                                   ["method"], registry=self.registry)
        self.slack_errors = Counter("samverkan_slack_api_errors",
                                    "Slack Web API calls that failed, by method and error",
                                    ["method", "error"], registry=self.registry)
        self.ack_latency = Histogram("samverkan_ack_latency_seconds",
                                     "time from Slack's request to the bot's acknowledgement",
                                     ["transport"], buckets=ACK_BUCKETS, registry=self.registry)
        self.registry.register(_Scraped(sf, clock, region_id, last_tick, writer))

    def slack_call(self, method: str, error: str | None, answered: bool) -> None:
        """A bot.slack.observed observer: counts the call and, if it failed, its error."""
        self.slack_calls.labels(method).inc()
        if error is not None:
            self.slack_errors.labels(method, error).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
