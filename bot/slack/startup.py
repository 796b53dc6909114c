"""The start-up check of the bot token: one auth.test call, and one line for what is wrong.

`samverkan run` calls it before anything starts, so a token Slack refuses or a Slack it
cannot reach stops start-up with a sentence that names the variable to fix, never with a
traceback. The token itself is never part of the message.
"""
from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, ServerErrorRetryHandler

# slack_sdk logs every failed attempt at ERROR; at start-up the one line below says it all
_QUIET = logging.getLogger("samverkan.startup.slack_sdk")
_QUIET.setLevel(logging.CRITICAL + 1)
_QUIET.propagate = False

# auth.test errors that mean: this token is not (or no longer) a valid bot token
REFUSED_TOKEN = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                 "not_allowed_token_type", "no_permission", "missing_scope", "ekm_access_denied"}


class SlackStartupError(Exception):
    """One line for the operator."""


def verify_bot_token(token: str, api_url: str, *, timeout: int = 10) -> SlackResponse:
    """auth.test with the bot token; returns Slack's answer (team, bot user) or raises
    SlackStartupError."""
    client = WebClient(token=token, base_url=api_url, timeout=timeout, logger=_QUIET,
                       retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2),
                                       ServerErrorRetryHandler(max_retry_count=2)])
    try:
        return client.auth_test()
    except SlackApiError as e:
        error = e.response.get("error") if isinstance(e.response.data, dict) else None
        if error in REFUSED_TOKEN:
            raise SlackStartupError(
                f"Slack refused SLACK_BOT_TOKEN ({error}): use the app's Bot User OAuth Token (xoxb-…) "
                "from OAuth & Permissions, and reinstall the app if it was revoked") from None
        answer = error or f"HTTP {e.response.status_code}"
        raise SlackStartupError(f"Slack at {api_url} (SLACK_API_URL) answered auth.test with {answer}") from None
    except (OSError, SlackClientError) as e:
        reason = getattr(e, "reason", None) or e
        raise SlackStartupError(f"cannot reach Slack at {api_url} (SLACK_API_URL): {reason}") from None
