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


def unescape(text: str) -> str:
    """Text as Slack sends it in commands and payloads (&, <, > as entities) back to
    characters; &amp; last, so a typed "&lt;" stays "&lt;"."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_SUBTEAM = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\|[^>]*)?>")
_URL = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


def to_plain(text: str) -> str:
    """Slack-formatted text (should_escape) as the person typed it: <@U1|anna> -> @anna,
    <#C1|kanal> -> #kanal, <!here> -> @here, <https://x|y> -> y (https://x), entities decoded.
    The result is plain text, to be stored and escaped again when shown."""
    text = _USER.sub(lambda m: "@" + (m.group(2) or m.group(1)).lstrip("@"), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)).lstrip("#"), text)
    text = _SUBTEAM.sub(lambda m: "@" + (m.group(2) or m.group(1)).lstrip("@"), text)
    text = _SPECIAL.sub(r"@\1", text)
    text = _URL.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) and m.group(2) != m.group(1)
                    else m.group(1), text)
    return unescape(text)
