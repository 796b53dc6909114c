"""Whether Slack answers: every Web API call's outcome (bot.slack.observed reports them)
and, in Socket Mode, whether the websocket is up. Times come from the bot's clock."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Callable

from bot.clock import Clock

# Slack answers, but refuses the bot itself: nothing will work until an operator acts.
AUTH_ERRORS = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}


class SlackWatch:
    def __init__(self, clock: Clock):
        self.clock = clock
        self._lock = threading.Lock()
        self.last_answer: datetime | None = None  # Slack last answered a call (even with an error)
        self.failing_since: datetime | None = None  # first unanswered call since the last answer
        self.failures = 0  # unanswered calls in a row
        self.last_error: str | None = None
        self.auth_error: str | None = None  # the token was refused (cleared by a success)
        self.socket: Callable[[], bool] | None = None  # Socket Mode: is the websocket up?
        self.socket_down_since: datetime | None = None

    def record(self, method: str, error: str | None, answered: bool) -> None:
        now = self.clock.now()
        with self._lock:
            if answered:
                self.last_answer, self.failing_since, self.failures = now, None, 0
                if error is None:
                    self.auth_error = None
                elif error in AUTH_ERRORS:
                    self.auth_error = f"{method}: {error}"
            else:
                self.failing_since = self.failing_since or now
                self.failures += 1
                self.last_error = f"{method}: {error}"

    def unanswered_for(self, now: datetime | None = None) -> timedelta:
        """How long Slack has not answered (zero while it answers)."""
        now = now or self.clock.now()
        with self._lock:
            return now - self.failing_since if self.failing_since is not None else timedelta(0)

    def idle_for(self, now: datetime) -> timedelta | None:
        """Time since Slack last answered; None if it never has."""
        with self._lock:
            return None if self.last_answer is None else now - self.last_answer

    def socket_down_for(self, now: datetime | None = None) -> timedelta | None:
        """Socket Mode: how long the websocket has been down (zero while up); None in HTTP mode."""
        if self.socket is None:
            return None
        now = now or self.clock.now()
        up = self.socket()
        with self._lock:
            if up:
                self.socket_down_since = None
                return timedelta(0)
            self.socket_down_since = self.socket_down_since or now
            return now - self.socket_down_since


class SlackProbe:
    """Housekeeping for the scheduler's tick: when Slack has not answered anything for
    `idle`, one cheap call finds out whether it still does (so /healthz notices an outage
    even when the bot has nothing to post)."""

    def __init__(self, watch: SlackWatch, call: Callable[[], bool], idle: timedelta = timedelta(seconds=60)):
        self.watch, self.call, self.idle = watch, call, idle
        self._last_probe: datetime | None = None

    def __call__(self, now: datetime) -> None:
        now = self.watch.clock.now()
        idle = self.watch.idle_for(now)
        if idle is not None and idle < self.idle:
            return
        if self._last_probe is not None and now - self._last_probe < self.idle:
            return
        self._last_probe = now
        self.call()
