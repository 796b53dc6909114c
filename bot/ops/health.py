"""`GET /healthz`: is the bot doing its job? One JSON report; `ok` false means HTTP 503.

503 (`problems`) when something is wrong now and needs waiting or an operator:
- the database does not answer;
- the scheduler has not finished a tick in `scheduler_ticks` × its interval;
- a message has waited in the outbox longer than `outbox_max_age`;
- Slack has not answered for longer than `slack_down_after` (every call failing:
  connection errors, timeouts, 5xx), or in Socket Mode the websocket has been down as long;
- Slack refuses the bot token (invalid_auth, token_revoked, …);
- the bot is not in the conference channel (the last post there was refused with
  not_in_channel or channel_not_found): nothing the conference needs can be posted.

200 with `degraded: true` (`warnings`) when the bot works but something was lost:
messages Slack refused for good (failed outbox rows) wait for an operator
(`samverkan outbox list`, `samverkan outbox retry --failed`); the start-up check found
the bot is not a member of the conference channel (nothing refused yet).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Protocol

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.ops.slack_watch import SlackWatch
from bot.slack.models import FAILED, SENT, OutboxMessage
from bot.slack.outbox import outbox_figures

NOT_IN_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived"}


@dataclass(frozen=True)
class HealthLimits:
    outbox_max_age: timedelta = timedelta(minutes=5)
    slack_down_after: timedelta = timedelta(minutes=2)
    scheduler_ticks: int = 3  # missed ticks before the scheduler counts as stuck


class Scheduler(Protocol):
    interval: timedelta
    last_tick: datetime | None
    started_at: datetime | None


class HealthCheck:
    def __init__(self, sf: sessionmaker, clock: Clock, region_id: int, channel: str, scheduler: Scheduler,
                 watch: SlackWatch, limits: HealthLimits = HealthLimits(),
                 startup_warnings: Callable[[], dict[str, str]] = dict):
        self.sf, self.clock, self.region_id, self.channel = sf, clock, region_id, channel
        self.scheduler, self.watch, self.limits = scheduler, watch, limits
        self.startup_warnings = startup_warnings  # e.g. {"conference_channel": "not_in_channel"}

    def __call__(self) -> dict[str, Any]:
        now = self.clock.now()
        problems: list[str] = []
        warnings: list[str] = []
        report: dict[str, Any] = {}
        try:
            with self.sf() as s:
                s.execute(text("SELECT 1"))
                figures = outbox_figures(s, self.region_id, now)
                refused = self._conference_channel_refused(s)
            report["database"] = "ok"
        except Exception as e:  # noqa: BLE001 - the report says what failed, never raises
            report["database"] = type(e).__name__
            problems.append(f"database: does not answer ({type(e).__name__})")
            figures, refused = None, None
        if figures is not None:
            report.update(outbox=figures, outbox_pending=figures["pending"])
            age, limit = figures["oldest_pending_age_seconds"], self.limits.outbox_max_age.total_seconds()
            if age > limit:
                problems.append(f"outbox: a message has waited {age:.0f} s (limit {limit:.0f} s)")
            if figures["failed"]:
                warnings.append(f"outbox: {figures['failed']} message(s) refused by Slack for good; "
                                "see samverkan outbox list")
        member = self.startup_warnings().get("conference_channel")
        if member and not refused:
            warnings.append(f"slack: the bot is not a member of the conference channel {self.channel} "
                            f"({member}); invite it to the channel")
        if refused:
            problems.append(f"slack: the bot cannot post in the conference channel {self.channel} "
                            f"({refused}); invite it to the channel")
        report["scheduler"] = self._scheduler(now, problems)
        report["slack"] = self._slack(now, problems)
        report.update(ok=not problems, degraded=bool(warnings), problems=problems, warnings=warnings)
        return report

    def _conference_channel_refused(self, s: Session) -> str | None:
        """Slack's error if the latest finished post to the conference channel was refused
        because the bot is not there."""
        last = s.execute(select(OutboxMessage.status, OutboxMessage.last_error)
                         .where(OutboxMessage.channel == self.channel, OutboxMessage.status.in_((SENT, FAILED)))
                         .order_by(OutboxMessage.id.desc()).limit(1)).first()
        if last is not None and last.status == FAILED and (last.last_error or "") in NOT_IN_CHANNEL:
            return last.last_error
        return None

    def _scheduler(self, now: datetime, problems: list[str]) -> dict[str, Any]:
        sched = self.scheduler
        if sched.started_at is None:
            return {"running": False}
        limit = sched.interval * self.limits.scheduler_ticks
        since = sched.last_tick or sched.started_at
        age = (now - since).total_seconds()
        if now - since > limit:
            what = "last tick" if sched.last_tick else "no tick since start"
            problems.append(f"scheduler: {what} {age:.0f} s ago (limit {limit.total_seconds():.0f} s)")
        return {"running": True, "last_tick": sched.last_tick.isoformat() if sched.last_tick else None,
                "seconds_since_tick": round(age, 1)}

    def _slack(self, now: datetime, problems: list[str]) -> dict[str, Any]:
        limit = self.limits.slack_down_after
        down = self.watch.unanswered_for(now)
        out: dict[str, Any] = {"unanswered_seconds": round(down.total_seconds(), 1),
                               "failures_in_a_row": self.watch.failures}
        if self.watch.auth_error:
            problems.append(f"slack: the bot token is refused ({self.watch.auth_error})")
        if down > limit:
            problems.append(f"slack: no answer for {down.total_seconds():.0f} s (limit {limit.total_seconds():.0f} s; "
                            f"last error {self.watch.last_error})")
        socket_down = self.watch.socket_down_for(now)
        if socket_down is not None:
            out["socket_mode"] = "connected" if not socket_down else "disconnected"
            if socket_down > limit:
                problems.append(f"slack: the Socket Mode connection has been down {socket_down.total_seconds():.0f} s "
                                f"(limit {limit.total_seconds():.0f} s)")
        return out
