"""The bot's WebClient: pointed at SLACK_API_URL, retrying as Slack asks."""
from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.slack.observed import CallObserver, ObservedWebClient


def make_web_client(token: str | None, base_url: str, *, timeout: int = 10,
                    observer: CallObserver | None = None) -> WebClient:
    """A WebClient that retries 429 (honouring Retry-After), 5xx and connection errors.

    The outbox retries again on top of this with its own back-off, so a long Slack
    outage delays messages without losing them. `observer` hears how every call went.
    """
    if observer is not None:
        client: WebClient = ObservedWebClient(token=token, base_url=base_url, timeout=timeout, observer=observer)
    else:
        client = WebClient(token=token, base_url=base_url, timeout=timeout)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    return client
