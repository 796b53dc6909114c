"""Finding a post whose outcome is unknown, before it is posted again.

Slack's chat.postMessage has no idempotency key, but a message carries `metadata`, and
conversations.history / conversations.replies return it with include_all_metadata=true.
Every post names its outbox row there (`metadata_for`). A row whose last attempt's
outcome is unknown (the process died mid-post, the connection broke after sending) is
looked up in its channel, or in its thread, before it is posted again: if Slack has it,
its `ts` is adopted.

Scopes: conversations.history/replies need channels:history (public conference channel),
groups:history (private channel) and im:history (the bot's DMs, found through
conversations.open, which needs im:write).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterator

from slack_sdk import WebClient

METADATA_TYPE = "samverkan_outbox"
PAGES = 10  # at most 10 × 200 messages back: a channel rarely gets 2,000 messages in minutes
PAGE_SIZE = 200
SKEW = timedelta(seconds=120)  # clocks of processes and Slack may differ a little


def metadata_for(row_id: int, region_id: int) -> dict[str, Any]:
    return {"event_type": METADATA_TYPE, "event_payload": {"outbox_id": row_id, "region_id": region_id}}


def _names_row(message: dict[str, Any], row_id: int, region_id: int) -> bool:
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    return (meta.get("event_type") == METADATA_TYPE and str(payload.get("outbox_id")) == str(row_id)
            and str(payload.get("region_id")) == str(region_id))


def conversation_id(client: WebClient, channel: str) -> str:
    """The conversation to read: a user id (a DM) becomes the bot's DM channel with them."""
    if channel[:1] in ("U", "W"):
        return client.conversations_open(users=channel)["channel"]["id"]
    return channel


def _messages(client: WebClient, channel: str, thread_ts: str | None, oldest: str) -> Iterator[dict]:
    cursor = None
    for _ in range(PAGES):
        args: dict[str, Any] = {"channel": channel, "oldest": oldest, "inclusive": True, "limit": PAGE_SIZE,
                                "include_all_metadata": True}
        if cursor:
            args["cursor"] = cursor
        page = (client.conversations_replies(ts=thread_ts, **args) if thread_ts
                else client.conversations_history(**args))
        yield from page.get("messages") or []
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return


def find_post(client: WebClient, *, channel: str, thread_ts: str | None, row_id: int, region_id: int,
              since: datetime) -> dict[str, Any] | None:
    """The message posted for outbox row `row_id`, as {"channel", "ts"}, or None.
    Raises SlackApiError (or a connection error) when Slack cannot be asked."""
    conv = conversation_id(client, channel)
    oldest = f"{(since - SKEW).timestamp():.6f}"
    for message in _messages(client, conv, thread_ts, oldest):
        if _names_row(message, row_id, region_id):
            return {"channel": conv, "ts": message["ts"]}
    return None


def find_upload(client: WebClient, *, channel: str, thread_ts: str | None, filename: str, title: str,
                since: datetime) -> dict[str, Any] | None:
    """A file message carries no metadata: the upload is recognised by its file's name and
    title among the messages posted since the first attempt."""
    conv = conversation_id(client, channel)
    oldest = f"{(since - SKEW).timestamp():.6f}"
    for message in _messages(client, conv, thread_ts, oldest):
        for f in message.get("files") or []:
            if f.get("name") == filename and f.get("title") == title:
                return {"channel": conv, "ts": message["ts"]}
    return None
