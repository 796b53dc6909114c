"""The bot's WebClients, pointed at SLACK_API_URL.

Two kinds: `make_web_client` (Bolt's client: views, ephemeral answers, channel set-up),
which retries 429 (honouring Retry-After), 5xx and connection errors itself; and
`make_outbox_client` (the outbox worker's), which retries nothing. A post is not
idempotent: when Slack stored a message and the answer was lost, a retry inside the
client would post a copy. The outbox retries instead, after looking the message up
(see bot.slack.worker), and a 429 there waits in its own channel's queue, not in a
sleeping thread. `observer` (both) hears how every call went (/healthz, /metrics).
"""
from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.slack.observed import CallObserver, ObservedWebClient


def _client(token: str | None, base_url: str, timeout: int, observer: CallObserver | None) -> WebClient:
    if observer is not None:
        return ObservedWebClient(token=token, base_url=base_url, timeout=timeout, observer=observer)
    return WebClient(token=token, base_url=base_url, timeout=timeout)


def make_web_client(token: str | None, base_url: str, *, timeout: int = 10,
                    observer: CallObserver | None = None) -> WebClient:
    """A WebClient that retries 429 (honouring Retry-After), 5xx and connection errors."""
    client = _client(token, base_url, timeout, observer)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    return client


def make_outbox_client(token: str | None, base_url: str, *, timeout: int = 15,
                       observer: CallObserver | None = None) -> WebClient:
    """A WebClient without retry handlers (slack_sdk's default retries connection errors):
    every call is made once, and the outbox decides what happens next."""
    client = _client(token, base_url, timeout, observer)
    client.retry_handlers = []
    return client
