"""What the emulated workspace holds: channels, users, messages, views, files, calls.

One :class:`State` per emulator; every read and write happens under ``state.lock``.
"""

from __future__ import annotations

import re
import threading
import secrets
import time
from typing import Any

from .limits import LimitError

MENTION_RE = re.compile(r"<(!(?:channel|here|everyone|subteam\^[A-Z0-9]+)|@[UW][A-Z0-9]+)(?:\|[^>]*)?>")


class ApiError(Exception):
    """An API-level error: HTTP 200 with ``{"ok": false, "error": ...}`` plus extra keys."""

    def __init__(self, error: str, **extra: Any):
        super().__init__(error)
        self.error = error
        self.extra = extra

    @classmethod
    def from_limit(cls, exc: LimitError) -> "ApiError":
        extra = {"response_metadata": {"messages": exc.messages}} if exc.messages else {}
        return cls(exc.error, **extra)


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"ratelimited, retry after {retry_after}s")
        self.retry_after = retry_after


class State:
    def __init__(self, token: str, bot_user_id: str, team_id: str, post_rate_per_second: float | None):
        self.lock = threading.RLock()
        self.token = token
        self.bot_user_id = bot_user_id
        self.bot_id = "B" + bot_user_id[1:]
        self.team_id = team_id
        self.post_rate_per_second = post_rate_per_second
        self.base_url = ""  # http://127.0.0.1:<port>, set when the server starts
        self.trigger_ttl = 3.0
        self.response_url_ttl = 30 * 60.0
        self.response_url_uses = 5
        self.clock = time.monotonic
        self.channels: dict[str, dict] = {}
        self.users: dict[str, dict] = {}
        self._last_us = 0
        self._counter = 0
        self.clear()
        self.add_user(bot_user_id, name="samverkan", real_name="Samverkan", is_bot=True)

    def clear(self) -> None:
        """Forget everything that happened; keep channels and users."""
        self.posts: list[dict] = []  # every message, all channels, in post order
        self.ephemerals: list[dict] = []
        self.views: dict[str, dict] = {}
        self.view_depth: dict[str, int] = {}  # view id -> modal stack depth
        self.homes: dict[str, str] = {}  # user id -> view id of the Home tab
        self.files: dict[str, dict] = {}
        self.scheduled: list[dict] = []
        self.calls: list[tuple] = []
        self.triggers: dict[str, dict] = {}
        self.response_urls: dict[str, dict] = {}
        self.response_posts: list[dict] = []  # answers through a response_url (ephemeral or in_channel)
        self.response_replaced: list[dict] = []  # replace_original / delete_original through a response_url
        self.mentions: list[str] = []
        self.buckets: dict[str, list[float]] = {}
        self.faults: dict[str, list] = {}
        self.down = False
        self.windows: dict[str, list] = {}  # channel id -> [until (clock), Retry-After] of a 429 window
        self.holds: list = []  # Hold: answers held back (or lost) after the call took effect

    # --- ids -----------------------------------------------------------------
    def next_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}0EMU{self._counter:05d}"

    def next_ts(self) -> str:
        """Unique, increasing message timestamps in Slack's "seconds.micros" form."""
        us = max(int(time.time() * 1_000_000), self._last_us + 1)
        self._last_us = us
        return f"{us // 1_000_000}.{us % 1_000_000:06d}"

    # --- workspace -------------------------------------------------------------
    def add_user(self, user_id: str, name: str | None = None, real_name: str | None = None, **extra: Any) -> dict:
        name = name or user_id.lower()
        user = {
            "id": user_id, "team_id": self.team_id, "name": name, "real_name": real_name or name,
            "deleted": False, "is_bot": False, "tz": "Europe/Stockholm",
            "profile": {"real_name": real_name or name, "display_name": name},
        }
        user.update(extra)
        self.users[user_id] = user
        return user

    def add_channel(self, channel_id: str, name: str | None = None, members: list[str] | tuple = (),
                    is_private: bool = False, bot_member: bool = True) -> dict:
        channel = {
            "id": channel_id, "name": name or channel_id.lower(), "is_channel": not is_private,
            "is_group": is_private, "is_im": False, "is_private": is_private, "is_archived": False,
            "created": int(time.time()), "members": list(members),
        }
        if bot_member and self.bot_user_id not in channel["members"]:
            channel["members"].append(self.bot_user_id)
        self.channels[channel_id] = channel
        return channel

    def dm_channel(self, user_id: str) -> dict:
        """The bot's stable DM channel with a user (created on first use)."""
        if user_id not in self.users:
            raise ApiError("user_not_found")
        dm_id = "D" + user_id[1:]
        if dm_id not in self.channels:
            self.channels[dm_id] = {
                "id": dm_id, "is_channel": False, "is_group": False, "is_im": True, "is_private": True,
                "is_archived": False, "user": user_id, "created": int(time.time()),
                "members": [user_id, self.bot_user_id],
            }
        return self.channels[dm_id]

    def channel(self, channel_id: Any, *, must_be_member: bool = False) -> dict:
        """Resolve a channel id (a user id means the DM with that user)."""
        channel_id = str(channel_id or "")
        if channel_id[:1] in ("U", "W") and channel_id in self.users:
            return self.dm_channel(channel_id)
        channel = self.channels.get(channel_id) or next(  # Slack also accepts a channel's name
            (c for c in self.channels.values() if c.get("name") and c["name"] == channel_id.lstrip("#")), None)
        if channel is None:
            raise ApiError("channel_not_found")
        if must_be_member and self.bot_user_id not in channel["members"]:
            raise ApiError("not_in_channel")
        return channel

    # --- messages ----------------------------------------------------------------
    def find_message(self, channel_id: str, ts: Any) -> dict | None:
        for message in self.posts:
            if message["channel"] == channel_id and message["ts"] == str(ts):
                return message
        return None

    def delete_message(self, message: dict) -> None:
        """Removes a message; a thread root with replies leaves a tombstone, as in Slack."""
        if message["reply_count"]:
            message.update(text="This message was deleted.", blocks=None, subtype="tombstone")
            return
        self.posts.remove(message)
        root = self.find_message(message["channel"], message["thread_ts"]) if message["thread_ts"] else None
        if root is not None:
            root["reply_count"] -= 1

    def thread_root(self, channel_id: str, thread_ts: Any) -> dict | None:
        """The top-level message a reply may go under, or None."""
        if thread_ts in (None, ""):
            return None
        root = self.find_message(channel_id, thread_ts)
        if root is None or root["thread_ts"] is not None:
            raise ApiError("thread_not_found")
        return root

    def record_mentions(self, text: str, blocks: Any) -> None:
        texts = [text or ""]
        stack = [blocks]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                texts += [v for k, v in node.items() if k == "text" and isinstance(v, str)]
                stack += list(node.values())
            elif isinstance(node, list):
                stack += node
        for t in texts:
            self.mentions += [f"<{m.group(1)}>" for m in MENTION_RE.finditer(t)]

    def add_message(self, channel: dict, text: str, blocks: Any = None, *, user: str | None = None,
                    thread_ts: Any = None, **extra: Any) -> dict:
        root = self.thread_root(channel["id"], thread_ts)
        message = {
            "type": "message", "ts": self.next_ts(), "channel": channel["id"],
            "user": user or self.bot_user_id, "text": text, "blocks": blocks,
            "thread_ts": root["ts"] if root else None, "edits": [], "files": [], "metadata": None,
            "reply_count": 0, "attachments": None,
        }
        message.update(extra)
        if root is not None:
            root["reply_count"] += 1
        self.posts.append(message)
        if message["user"] == self.bot_user_id:
            self.record_mentions(text, blocks)
        return message

    def check_channel_window(self, channel_id: str) -> None:
        """A 429 window on one channel (set by a test): its posts are refused with
        Retry-After until the window ends; other channels go on."""
        window = self.windows.get(channel_id)
        if window is None:
            return
        left = window[0] - self.clock()
        if left <= 0:
            del self.windows[channel_id]
            return
        raise RateLimited(max(1, min(int(window[1]), int(left + 0.999))))

    def take_post_token(self, channel_id: str) -> None:
        """Per-channel token bucket (burst 3) for chat.postMessage."""
        rate = self.post_rate_per_second
        if not rate:
            return
        now = self.clock()
        tokens, last = self.buckets.get(channel_id, [3.0, now])
        tokens = min(3.0, tokens + (now - last) * rate)
        if tokens < 1.0:
            self.buckets[channel_id] = [tokens, now]
            raise RateLimited(max(1, int((1.0 - tokens) / rate + 0.999)))
        self.buckets[channel_id] = [tokens - 1.0, now]

    # --- triggers -------------------------------------------------------------
    def new_trigger(self, user_id: str | None = None, view_id: str | None = None) -> str:
        self._counter += 1
        # unique across emulators, as Slack's are across workspaces (two regions' bots may
        # share one database, where handled trigger ids are remembered)
        trigger_id = f"{self._counter}.{int(time.time())}.{secrets.token_hex(10)}"
        self.triggers[trigger_id] = {"at": self.clock(), "used": False, "user": user_id, "view": view_id}
        return trigger_id

    def exchange_trigger(self, trigger_id: Any) -> dict:
        trigger = self.triggers.get(str(trigger_id or ""))
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger["used"]:
            raise ApiError("exchanged_trigger_id")
        if self.clock() - trigger["at"] > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        trigger["used"] = True
        return trigger
