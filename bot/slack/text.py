"""Slack text safety: escaping user text, and the final guard against broadcast mentions."""
from __future__ import annotations

import json
import re
from typing import Any

_BROADCAST = re.compile(r"<!(channel|here|everyone)(\|[^>]*)?>", re.IGNORECASE)


class SlackSafe(str):
    """Text the bot built itself (mentions of members, links) that must not be escaped."""


def escape(text: object) -> str:
    """Escapes & < > so user text can never become a mention, a link or a broadcast."""
    if isinstance(text, SlackSafe):
        return text
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def user_mention(user_id: str) -> SlackSafe:
    if not re.fullmatch(r"[UW][A-Z0-9]+", user_id):
        raise ValueError(f"not a Slack user id: {user_id!r}")
    return SlackSafe(f"<@{user_id}>")


def link(url: str, label: str) -> SlackSafe:
    return SlackSafe(f"<{url.replace('>', '%3E').replace('|', '%7C')}|{escape(label)}>")


def defuse_broadcasts(payload: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Last line of defence before anything leaves for Slack: no <!channel>/<!here>/<!everyone>.

    Returns the payload (rewritten if needed) and whether anything was found; finding one
    is a bug elsewhere, so the caller logs it.
    """
    raw = json.dumps(payload, ensure_ascii=False)
    if not _BROADCAST.search(raw):
        return payload, False
    cleaned = _BROADCAST.sub(lambda m: "&lt;!" + m.group(1) + "&gt;", raw)
    return json.loads(cleaned), True
