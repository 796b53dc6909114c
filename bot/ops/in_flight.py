"""Acks first: how many Slack requests the bot is answering right now.

Slack gives an acknowledgement 3 seconds; an edit or a post from the outbox has no such
limit. During a burst (two hundred presses at once) the outbox waits until no request is
being answered, for at most a moment (`OutboxWorker(idle=…)`), so the acknowledgements
have the CPU (and on SQLite the database's one write lock) to themselves, and the posts
follow right after the burst.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator


class InFlight:
    def __init__(self) -> None:
        self._count = 0
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
                if self._count == 0:
                    self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Waits until no request is being answered, at most `timeout` seconds; True if none is."""
        with self._idle:
            return self._idle.wait_for(lambda: self._count == 0, timeout)
