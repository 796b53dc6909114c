"""A strict Slack emulator for samverkan-bot's tests and ``samverkan demo``.

``SlackEmulator`` plays the Slack Web API on 127.0.0.1 and records what the bot did;
``SlackRequestClient`` plays Slack calling the bot, with signed requests.
"""

from .client import SlackRequestClient, sign_request
from .limits import LimitError
from .server import Call, SlackEmulator
from .state import ApiError

__all__ = ["SlackEmulator", "SlackRequestClient", "sign_request", "Call", "ApiError", "LimitError"]
