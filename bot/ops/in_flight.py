"""Acks first: how many Slack requests the bot is answering right now.

Slack gives an acknowledgement 3 seconds; an edit or a post from the outbox has no such
limit. During a burst (two hundred presses at once) the outbox waits until no request
has been answered for a short quiet moment (`QUIET`: a burst arrives over tens of
milliseconds, and its first answers must not look like its end), for at most a second
(`OutboxWorker(idle=…)`), so the acknowledgements have the CPU (and on SQLite the
database's one write lock) to themselves, and the posts follow right after the burst.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator

QUIET = 0.05  # seconds without a request being answered: the burst is over


class InFlight:
    def __init__(self) -> None:
        self._count = 0
        self._last_end = float("-inf")  # time.monotonic() when the last answer was given
        self._idle = threading.Condition(threading.Lock())

    @property
    def count(self) -> int:
        return self._count

    @contextmanager
    def request(self) -> Iterator[None]:
        with self._idle:
            self._count += 1
        try:
            yield
        finally:
            with self._idle:
                self._count -= 1
                self._last_end = time.monotonic()
                if self._count == 0:
                    self._idle.notify_all()

    def wait_idle(self, timeout: float, quiet: float = QUIET) -> bool:
        """Waits until no request has been answered for `quiet` seconds, at most `timeout`
        seconds; True if so."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while True:
                now = time.monotonic()
                calm = now - self._last_end
                if self._count == 0 and calm >= quiet:
                    return True
                if now >= deadline:
                    return False
                self._idle.wait(deadline - now if self._count else min(deadline - now, quiet - calm))
