"""How fast the outbox worker may post in each channel.

Slack allows about one post a second per channel, with short bursts: a bucket of `burst`
posts per channel, refilled one per `interval` seconds. A channel whose next row waits for
another message to be posted first (a reply before its root) is held for a moment."""
from __future__ import annotations

import time


class ChannelPace:
    def __init__(self, interval: float = 1.0, burst: int = 3):
        self.interval, self.burst = interval, burst
        self._bucket: dict[str, tuple[float, float]] = {}  # channel -> (tokens, monotonic time)
        self._held: dict[str, float] = {}  # channel -> monotonic time before which it waits

    def may_post(self, channel: str, mono: float | None = None) -> bool:
        mono = time.monotonic() if mono is None else mono
        return self._held.get(channel, 0.0) <= mono and self._tokens(channel, mono) >= 1.0

    def posted(self, channel: str) -> None:
        """A call to Slack for this channel is being made: one token of its bucket."""
        mono = time.monotonic()
        self._bucket[channel] = (self._tokens(channel, mono) - 1.0, mono)

    def hold(self, channel: str, seconds: float) -> None:
        self._held[channel] = time.monotonic() + seconds

    def _tokens(self, channel: str, mono: float) -> float:
        if self.interval <= 0:
            return float(self.burst)
        tokens, last = self._bucket.get(channel, (float(self.burst), mono))
        return min(float(self.burst), tokens + (mono - last) / self.interval)
