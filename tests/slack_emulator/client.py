"""The Slack side of the conversation: signed requests to the bot, built as Slack builds them.

Slash commands and interactivity are form-encoded (interactivity as ``payload=<json>``);
Events API deliveries are JSON. Every request carries ``X-Slack-Request-Timestamp`` and
``X-Slack-Signature`` = ``v0=`` HMAC-SHA256(signing secret, ``v0:{timestamp}:{body}``).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from .http_post import Response, post

_event_counter = itertools.count(1)


def sign_request(signing_secret: str, timestamp: str | int, body: bytes | str) -> str:
    if isinstance(body, str):
        body = body.encode("utf-8")
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


def _find_element(blocks: list | None, action_id: str) -> tuple[str, dict] | None:
    """(block_id, element) of the interactive element with this action_id."""
    for block in blocks or []:
        candidates = list(block.get("elements") or []) + [block.get("accessory"), block.get("element")]
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block.get("block_id", ""), element
    return None


class SlackRequestClient:
    def __init__(self, bot_url: str, signing_secret: str, emulator: Any = None, team_id: str = "T0TEST",
                 api_app_id: str = "A0SAMVERK", verification_token: str = "legacy-verification-token",
                 timeout: float = 10.0):
        self.bot_url = bot_url
        self.signing_secret = signing_secret
        self.emulator = emulator
        self.team_id = team_id
        self.api_app_id = api_app_id
        self.verification_token = verification_token
        self.timeout = timeout

    # --- helpers -------------------------------------------------------------
    def _trigger_id(self, user_id: str, view_id: str | None = None) -> str:
        if self.emulator is not None:
            return self.emulator.new_trigger_id(user_id=user_id, view_id=view_id)
        return f"{next(_event_counter)}.{int(time.time())}.offline"

    def _response_url(self, channel: str | None = None, message_ts: str | None = None) -> str:
        """A fresh response_url; for a button in a message, tied to that message (Slack's
        `replace_original` through it replaces the message the button is in)."""
        if self.emulator is not None:
            return self.emulator.new_response_url(channel, message_ts)
        return "https://hooks.slack.test/commands/offline"

    def _user(self, user_id: str) -> dict:
        name = user_id.lower()
        if self.emulator is not None:
            with self.emulator.state.lock:
                name = self.emulator.state.users.get(user_id, {}).get("name", name)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def raw(self, body: bytes | str, content_type: str, timestamp: str | int | None = None,
            signature: str | None = None, headers: dict | None = None) -> Response:
        """POST a body; signs it with the current time unless timestamp/signature are given."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        ts = str(int(time.time()) if timestamp is None else timestamp)
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature or sign_request(self.signing_secret, ts, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        sent.update(headers or {})
        return post(self.bot_url, body, sent, self.timeout)

    def _form(self, fields: dict) -> Response:
        return self.raw(urlencode(fields), "application/x-www-form-urlencoded")

    def _interaction(self, payload: dict) -> Response:
        return self._form({"payload": json.dumps(payload, ensure_ascii=False)})

    # --- what Slack sends ---------------------------------------------------------
    def slash_command(self, command: str, text: str = "", user_id: str = "U0POL001",
                      channel_id: str = "C0CONF01", channel_name: str | None = None) -> Response:
        if not command.startswith("/"):
            raise ValueError("a slash command starts with '/'")
        return self._form({
            "token": self.verification_token, "team_id": self.team_id, "team_domain": "emulator",
            "channel_id": channel_id, "channel_name": channel_name or channel_id.lower(),
            "user_id": user_id, "user_name": self._user(user_id)["name"], "command": command, "text": text,
            "api_app_id": self.api_app_id, "is_enterprise_install": "false",
            "response_url": self._response_url(), "trigger_id": self._trigger_id(user_id),
        })

    def block_action(self, user_id: str, action_id: str, value: str | None = None, block_id: str = "b",
                     channel_id: str | None = None, message: dict | None = None, view: dict | None = None,
                     selected_option: dict | None = None, values: dict | None = None) -> Response:
        """A button press or select in a message (``message``) or in a modal/Home tab (``view``).

        Given a message or view, the element must exist in its blocks (else LookupError);
        its block_id, type, text and value are taken from there.
        """
        action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "type": "button",
                                  "action_ts": f"{time.time():.6f}"}
        source = message if message is not None else view
        if source is not None:
            found = _find_element(source.get("blocks"), action_id)
            if found is None:
                raise LookupError(f"no element with action_id {action_id!r} in the given message/view")
            action["block_id"], element = found
            action["type"] = element.get("type", "button")
            if "text" in element:
                action["text"] = element["text"]
            if value is None:
                value = element.get("value")
        if value is not None:
            action["value"] = value
        if selected_option is not None:
            action["selected_option"] = selected_option
            action["type"] = action["type"] if source is not None else "static_select"
        payload: dict[str, Any] = {
            "type": "block_actions", "user": self._user(user_id), "api_app_id": self.api_app_id,
            "token": self.verification_token, "team": {"id": self.team_id, "domain": "emulator"},
            "enterprise": None, "is_enterprise_install": False, "actions": [action],
            "state": {"values": values or {}},
        }
        if view is not None:
            shown = copy.deepcopy(view)
            shown["state"] = {"values": values or {}}
            payload.update(container={"type": "view", "view_id": view["id"]}, view=shown,
                           trigger_id=self._trigger_id(user_id, view["id"]))
        else:
            channel_id = channel_id or (message or {}).get("channel")
            container: dict[str, Any] = {"type": "message", "channel_id": channel_id, "is_ephemeral": False}
            if message is not None:
                container["message_ts"] = message["ts"]
                if message.get("thread_ts"):
                    container["thread_ts"] = message["thread_ts"]
                payload["message"] = {k: message.get(k) for k in ("type", "ts", "text", "blocks", "user", "thread_ts")}
            payload.update(container=container, channel={"id": channel_id, "name": str(channel_id).lower()},
                           response_url=self._response_url(channel_id, (message or {}).get("ts")),
                           trigger_id=self._trigger_id(user_id))
        return self._interaction(payload)

    def view_submission(self, user_id: str, view: dict, values: dict) -> Response:
        """Submit a modal. ``values``: {block_id: {action_id: {"type": ..., "value": ...}}};
        a bare string stands for that element's value. Like Slack's client, refuses (ValueError)
        a submission with a required input empty, an unknown input, or a too long value."""
        inputs = {(b.get("block_id"), b["element"].get("action_id")): b for b in view.get("blocks", [])
                  if b.get("type") == "input" and isinstance(b.get("element"), dict)}
        state: dict[str, dict] = {}
        for block_id, actions in values.items():
            for action_id, entry in actions.items():
                block = inputs.get((block_id, action_id))
                if block is None:
                    raise LookupError(f"no input {block_id}/{action_id} in view {view.get('id')}")
                element = block["element"]
                if isinstance(entry, str) or entry is None:
                    entry = {"type": element.get("type", "plain_text_input"), "value": entry}
                text = entry.get("value")
                if isinstance(text, str) and element.get("max_length") and len(text) > element["max_length"]:
                    raise ValueError(f"{block_id}/{action_id}: longer than max_length {element['max_length']}")
                state.setdefault(block_id, {})[action_id] = entry
        for (block_id, action_id), block in inputs.items():
            given = state.get(block_id, {}).get(action_id)
            if given is None:
                if not block.get("optional"):
                    raise ValueError(f"required input {block_id}/{action_id} is empty")
                state.setdefault(block_id, {})[action_id] = {"type": block["element"].get("type"), "value": None}
        submitted = copy.deepcopy(view)
        submitted["state"] = {"values": state}
        return self._interaction({
            "type": "view_submission", "team": {"id": self.team_id, "domain": "emulator"},
            "user": self._user(user_id), "api_app_id": self.api_app_id, "token": self.verification_token,
            "trigger_id": self._trigger_id(user_id, view.get("id")), "view": submitted,
            "response_urls": [], "is_enterprise_install": False, "enterprise": None,
        })

    def event(self, event: dict, event_id: str | None = None, retry_num: int | None = None,
              retry_reason: str = "http_timeout") -> Response:
        event = dict(event)
        event.setdefault("event_ts", f"{time.time():.6f}")
        bot_user = self.emulator.bot_user_id if self.emulator is not None else "UBOTSAMV"
        envelope = {
            "token": self.verification_token, "team_id": self.team_id, "api_app_id": self.api_app_id,
            "event": event, "type": "event_callback", "event_id": event_id or f"Ev{next(_event_counter):08d}EMU",
            "event_time": int(time.time()), "is_ext_shared_channel": False,
            "authorizations": [{"enterprise_id": None, "team_id": self.team_id, "user_id": bot_user,
                                "is_bot": True, "is_enterprise_install": False}],
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self.raw(json.dumps(envelope), "application/json", headers=headers)

    def url_verification(self, challenge: str = "emulator-challenge") -> Response:
        body = {"token": self.verification_token, "challenge": challenge, "type": "url_verification"}
        return self.raw(json.dumps(body), "application/json")


def message_shortcut(client: SlackRequestClient, user_id: str, callback_id: str, message: dict,
                     channel_id: str | None = None) -> requests.Response:
    """A message shortcut (``message_action``) on ``message`` (as the emulator stored it),
    signed and sent as Slack sends it."""
    channel_id = channel_id or message.get("channel")
    shown = {k: message.get(k) for k in ("type", "ts", "text", "user", "thread_ts", "blocks") if message.get(k)}
    shown.setdefault("type", "message")
    return client._interaction({
        "type": "message_action", "callback_id": callback_id, "token": client.verification_token,
        "action_ts": f"{time.time():.6f}", "team": {"id": client.team_id, "domain": "emulator"},
        "user": client._user(user_id), "channel": {"id": channel_id, "name": str(channel_id).lower()},
        "is_enterprise_install": False, "enterprise": None, "message_ts": message.get("ts"),
        "message": shown, "response_url": client._response_url(), "trigger_id": client._trigger_id(user_id),
    })
