"""Helpers for the hostile-input tests: a log that counts tracebacks, a count of every
stored row, and raw signed requests as an attacker would build them."""
from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import requests
from sqlalchemy import func, select

from samverkan_emulator import sign_request  # noqa: E402

SECRET = "test-signing-secret"
# Bookkeeping of requests, not the bot's data: a replayed or fuzzed command may leave its id.
BOOKKEEPING = {"processed_event", "seen_trigger", "throttle_hit"}


class LogCapture(logging.Handler):
    """Every record of every logger, from DEBUG up."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def tracebacks(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()[:200]}" for r in self.records
                if r.exc_info or "Traceback" in r.getMessage()]

    def longest(self) -> int:
        return max((len(self.format(r)) for r in self.records), default=0)


def capture_logs():
    handler = LogCapture()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    return handler, lambda: (root.removeHandler(handler), root.setLevel(previous))


def row_counts(bot) -> dict[str, int]:
    from bot.db.base import Base

    with bot.ctx.sf() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
                if t.name not in BOOKKEEPING}


def post(bot, body: bytes | str, content_type: str = "application/x-www-form-urlencoded", *,
         sign: bool = True, timestamp: str | None = None, headers: dict | None = None) -> requests.Response:
    """A raw POST to /slack/events, signed over exactly these bytes unless sign=False."""
    if isinstance(body, str):
        body = body.encode()
    ts = str(int(time.time())) if timestamp is None else timestamp
    sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sign_request(SECRET, ts, body) if sign else "v0=" + "0" * 64}
    sent.update(headers or {})
    return requests.post(f"{bot.url}/slack/events", data=body, headers=sent, timeout=30)


def form_payload(payload) -> str:
    return urlencode({"payload": payload if isinstance(payload, str) else json.dumps(payload)})


def user(uid: str = "U0POL001") -> dict:
    return {"id": uid, "username": "x", "name": "x", "team_id": "T0TEST"}
