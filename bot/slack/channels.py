"""The one place that creates channels and invites members through the Web API (the
activated mode's own channel). These calls need Slack's answer before the bot can go on
(the new channel's id), so they are made directly, not through the outbox; the callers
make them after acknowledging Slack's request.

Channel names follow Slack's rules: lowercase letters, digits, "-" and "_", at most 80
characters, no spaces. A taken name gets a suffix ("-2", "-3", …).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)
NAME_MAX = 80
MAX_SUFFIX = 20


def channel_name(text: str) -> str:
    """A valid Slack channel name from `text` (å, ä, ö become a, a, o)."""
    name = text.casefold().translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"}))
    name = re.sub(r"[^a-z0-9_-]+", "-", name).strip("-") or "kanal"
    return name[:NAME_MAX].rstrip("-")


@dataclass
class NewChannel:
    channel_id: str | None = None
    name: str | None = None
    error: str | None = None  # creating failed: the channel does not exist
    invite_error: str | None = None  # created, but these users could not be invited
    not_invited: list[str] = field(default_factory=list)


def _error(e: Exception) -> str:
    if isinstance(e, SlackApiError) and e.response is not None:
        return str(e.response.get("error", "unknown_error"))
    return type(e).__name__


def create_channel(client: WebClient, name: str) -> tuple[str, str]:
    """Creates a public channel; a taken name is retried with a suffix. Returns (id, name).
    Raises SlackApiError (or a connection error) if Slack refuses."""
    base = channel_name(name)
    for n in range(1, MAX_SUFFIX + 1):
        suffix = "" if n == 1 else f"-{n}"
        candidate = base[: NAME_MAX - len(suffix)].rstrip("-") + suffix
        try:
            resp = client.conversations_create(name=candidate, is_private=False)
        except SlackApiError as e:
            if _error(e) == "name_taken":
                continue
            raise
        return resp["channel"]["id"], resp["channel"].get("name", candidate)
    raise SlackApiError("name_taken", {"ok": False, "error": "name_taken"})


def invite(client: WebClient, channel_id: str, users: list[str]) -> tuple[list[str], str | None]:
    """Invites users (all at once, then one by one if Slack refuses the batch).
    Returns the users that could not be invited and the last error."""
    users = list(dict.fromkeys(users))
    if not users:
        return [], None
    try:
        client.conversations_invite(channel=channel_id, users=",".join(users))
        return [], None
    except SlackApiError as e:
        if _error(e) == "already_in_channel":
            return [], None
        log.info("inviting %d users to %s at once failed (%s); one by one", len(users), channel_id, _error(e))
    except Exception as e:  # noqa: BLE001 - a connection error: try each, report the rest
        log.warning("inviting to %s failed: %s", channel_id, e)
    failed, last = [], None
    for u in users:
        try:
            client.conversations_invite(channel=channel_id, users=u)
        except SlackApiError as e:
            if _error(e) in ("already_in_channel", "cant_invite_self"):
                continue
            failed.append(u)
            last = _error(e)
        except Exception as e:  # noqa: BLE001
            failed.append(u)
            last = _error(e)
    return failed, last


def create_with_members(client: WebClient, name: str, users: list[str]) -> NewChannel:
    """Creates the channel and invites `users`. Never raises: a failure is reported in
    the result (`error`: no channel; `invite_error`: channel, but not everyone in it)."""
    try:
        channel_id, real_name = create_channel(client, name)
    except Exception as e:  # noqa: BLE001 - reported to the koordinator, the activation falls back
        log.warning("could not create channel %s: %s", name, _error(e))
        return NewChannel(error=_error(e))
    failed, last = invite(client, channel_id, users)
    return NewChannel(channel_id=channel_id, name=real_name, invite_error=last, not_invited=failed)
