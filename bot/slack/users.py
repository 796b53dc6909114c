"""Display names from Slack (users.info, scope users:read), as a plain callable for the core."""
from __future__ import annotations

import logging
from typing import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


def display_name_of(user: dict) -> str | None:
    """What Slack shows for a person: the profile's display name, else the real name, else the handle."""
    profile = user.get("profile") or {}
    for value in (profile.get("display_name"), profile.get("real_name"), user.get("real_name"), user.get("name")):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def name_lookup(client: WebClient) -> Callable[[str], str | None]:
    """`lookup(user_id)`: the person's display name, or None when Slack cannot answer."""

    def lookup(user_id: str) -> str | None:
        try:
            return display_name_of(client.users_info(user=user_id).get("user") or {})
        except SlackApiError as e:
            log.warning("users.info %s failed: %s", user_id, e.response.get("error"))
        except Exception as e:  # noqa: BLE001 - Slack unreachable: the caller shows the id with a note
            log.warning("users.info %s failed: %s", user_id, type(e).__name__)
        return None

    return lookup
