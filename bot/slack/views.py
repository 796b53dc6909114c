"""Modals and the App Home through the Web API: calls whose answer the person waits for
(a trigger id is valid for 3 s, once), so they are made directly, not through the outbox.
A refusal from Slack is logged and reported as False; it never raises."""
from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
View = dict[str, Any]


def _call(what: str, fn, **kw: Any) -> bool:
    try:
        fn(**kw)
        return True
    except SlackApiError as e:  # e.g. expired_trigger_id, hash_conflict
        log.warning("%s failed: %s", what, e.response.get("error"))
        return False


def open_view(client: WebClient, trigger_id: str, view: View) -> bool:
    return _call("views.open", client.views_open, trigger_id=trigger_id, view=view)


def update_view(client: WebClient, view_id: str, view: View, view_hash: str | None = None) -> bool:
    return _call("views.update", client.views_update, view_id=view_id, hash=view_hash, view=view)


def publish_home(client: WebClient, user: str, view: View) -> bool:
    return _call("views.publish", client.views_publish, user_id=user, view=view)


def permalink(client: WebClient, channel: str, ts: str) -> str | None:
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError as e:
        log.warning("chat.getPermalink failed: %s", e.response.get("error"))
        return None
