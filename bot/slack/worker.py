"""Posts the outbox to Slack: per channel in order, about one post per second per
channel, retrying with back-off (and Slack's Retry-After) until Slack takes it."""
from __future__ import annotations

import base64
import json
import logging
import os
import re
import socket
import threading
import time
from datetime import timedelta
from typing import Any, Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import event, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.conference.models import Conference
from bot.slack import outbox
from bot.slack.models import FAILED, PENDING, SENT, OutboxMessage, SlackMessage
from bot.slack.text import defuse_broadcasts

log = logging.getLogger(__name__)

# Errors that no retry will fix: the message is marked failed and kept for the operator.
PERMANENT = {
    "channel_not_found", "not_in_channel", "is_archived", "invalid_blocks", "msg_too_long",
    "msg_blocks_too_long", "no_text", "invalid_arguments", "message_not_found", "cant_update_message",
    "user_not_found", "user_not_in_channel", "invalid_auth", "not_authed", "account_inactive",
    "token_revoked", "missing_scope", "restricted_action", "thread_not_found", "invalid_blocks_format",
    "edit_window_closed", "file_not_found",
}
LEASE = timedelta(seconds=120)
WAKE_GAP = 0.05  # seconds: at most this often a pass after being woken by commits
MAX_BACKOFF = 300.0


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class OutboxWorker:
    def __init__(self, session_factory: sessionmaker, client: WebClient, clock: Clock, *,
                 channel_interval: float = 1.0, poll_interval: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.sf = session_factory
        self.client = client
        self.clock = clock
        self.channel_interval = channel_interval
        self.poll_interval = poll_interval
        self.owner = owner_id()
        self._last_post: dict[str, float] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        event.listen(session_factory, "after_commit", self._on_commit)

    # ---- life cycle -------------------------------------------------------------------
    def _on_commit(self, session: Session) -> None:
        if session.info.pop(outbox.QUEUED, False):  # other commits give the worker nothing to do
            self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)
        event.remove(self.sf, "after_commit", self._on_commit)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                busy = self.run_once()
            except Exception:  # the worker must survive anything; the row stays pending
                log.exception("outbox pass failed")
                busy = 0
            if not busy:
                self._wake.wait(self.poll_interval)
                # A burst of commits (200 reports at once) wakes the worker once per
                # WAKE_GAP, not once per commit: each pass reads the pending rows.
                self._stop.wait(WAKE_GAP)

    # ---- one pass ---------------------------------------------------------------------
    def pending_count(self) -> int:
        with self.sf() as s:
            return s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == PENDING))

    def run_once(self) -> int:
        """Sends at most one message per channel; returns how many were handled."""
        handled = 0
        for msg_id in self._next_per_channel():
            if self._stop.is_set():
                break
            msg = self._claim(msg_id)
            if msg is not None and self._deliver(msg):
                handled += 1
        return handled

    def _next_per_channel(self) -> list[int]:
        now = self.clock.now()
        with self.sf() as s:
            rows = s.execute(
                select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.not_before, OutboxMessage.lease_until)
                .where(OutboxMessage.status == PENDING).order_by(OutboxMessage.id).limit(500)
            ).all()
        chosen, seen = [], set()
        mono = time.monotonic()
        for msg_id, channel, not_before, lease_until in rows:
            if channel in seen:
                continue
            seen.add(channel)  # only the oldest pending message of a channel may go
            if not_before > now or (lease_until is not None and lease_until > now):
                continue
            if mono - self._last_post.get(channel, -1e9) < self.channel_interval:
                continue
            chosen.append(msg_id)
        return chosen

    def _claim(self, msg_id: int) -> OutboxMessage | None:
        now = self.clock.now()
        with self.sf.begin() as s:
            res = s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == msg_id, OutboxMessage.status == PENDING,
                       or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now))
                .values(lease_until=now + LEASE, lease_owner=self.owner)
            )
            if res.rowcount != 1:
                return None  # another process has it
            msg = s.get(OutboxMessage, msg_id)
            s.expunge(msg)
            return msg

    def _deliver(self, msg: OutboxMessage) -> bool:
        """Sends one message; False if it must wait for another message to be posted first."""
        try:
            with self.sf() as s:
                thread_ts = self._resolve_thread(s, msg)
                edit_ts = s.get(SlackMessage, msg.ref).ts if msg.op == "update" and s.get(SlackMessage, msg.ref) else None
            if msg.op == "update" and edit_ts is None:
                raise _Permanent("message_not_found (the message to edit was never posted)")
            payload, found = defuse_broadcasts(self._resolve_permalinks(dict(msg.payload)))
            if found:
                log.error("outbox %s contained a broadcast mention; it was defused", msg.id)
            self._last_post[msg.channel] = time.monotonic()
            result = self._call(msg, payload, thread_ts, edit_ts)
        except _RootNotYetPosted:
            self._release(msg)  # the message it needs goes first (in its own channel's queue)
            return False
        except _Permanent as e:
            self._finish(msg, FAILED, error=str(e))
        except SlackApiError as e:
            error = e.response.get("error", "unknown") if e.response is not None else "unknown"
            if error in PERMANENT:
                log.error("Slack refused outbox %s (%s %s) for good: %s", msg.id, msg.op, msg.channel, error)
                self._finish(msg, FAILED, error=error)
            else:
                retry_after = _retry_after(e)
                self._retry(msg, f"{error}", retry_after)
        except Exception as e:  # connection errors, timeouts: Slack is down, try later
            self._retry(msg, f"{type(e).__name__}: {e}", None)
        else:
            self._finish(msg, SENT, result=result)
        return True

    def _release(self, msg: OutboxMessage) -> None:
        with self.sf.begin() as s:
            s.get(OutboxMessage, msg.id).lease_until = None

    def _resolve_thread(self, s: Session, msg: OutboxMessage) -> str | None:
        if not msg.thread_ref:
            return None
        root = s.get(SlackMessage, msg.thread_ref)
        if root is not None:
            return root.ts
        waiting = s.scalars(select(OutboxMessage.id).where(
            OutboxMessage.ref == msg.thread_ref, OutboxMessage.status == PENDING)).first()
        if waiting is not None:
            raise _RootNotYetPosted()
        log.warning("outbox %s: thread root %s was never posted; posting at top level", msg.id, msg.thread_ref)
        return None

    def _resolve_permalinks(self, payload: dict[str, Any]) -> dict[str, Any]:
        raw = json.dumps(payload, ensure_ascii=False)
        if outbox.PERMALINK_OPEN not in raw:
            return payload
        pattern = re.compile(re.escape(outbox.PERMALINK_OPEN) + r"(.+?)" + re.escape(outbox.PERMALINK_CLOSE))
        links: dict[str, str] = {}
        with self.sf() as s:
            for ref in set(pattern.findall(raw)):
                posted = s.get(SlackMessage, ref)
                if posted is not None:
                    links[ref] = self.client.chat_getPermalink(channel=posted.channel,
                                                               message_ts=posted.ts)["permalink"]
                elif s.scalars(select(OutboxMessage.id).where(OutboxMessage.ref == ref,
                                                              OutboxMessage.status == PENDING)).first():
                    raise _RootNotYetPosted()  # the linked message goes first; retry shortly
                else:
                    log.warning("outbox: a message links to %s, which was never posted; link left out", ref)
        # A link to a message that will never exist keeps its label and loses the link.
        dead = re.compile("<" + pattern.pattern + r"\|([^>]*)>")
        raw = dead.sub(lambda m: m.group(0) if m.group(1) in links else m.group(2), raw)
        return json.loads(pattern.sub(lambda m: json.dumps(links.get(m.group(1), ""))[1:-1], raw))

    def _call(self, msg: OutboxMessage, payload: dict[str, Any], thread_ts: str | None,
              edit_ts: str | None) -> dict[str, Any]:
        if msg.op == "post":
            args = {k: v for k, v in payload.items()}
            if thread_ts:
                args["thread_ts"] = thread_ts
            return self.client.chat_postMessage(channel=msg.channel, unfurl_links=False, **args).data
        if msg.op == "update":
            return self.client.chat_update(channel=msg.channel, ts=edit_ts, **payload).data
        if msg.op == "upload":
            return self.client.files_upload_v2(
                channel=msg.channel, file=base64.b64decode(payload["content_b64"]), filename=payload["filename"],
                title=payload["title"], initial_comment=payload["text"], thread_ts=thread_ts).data
        raise _Permanent(f"unknown outbox op {msg.op!r}")

    def _finish(self, msg: OutboxMessage, status: str, *, result: dict[str, Any] | None = None,
                error: str | None = None) -> None:
        now = self.clock.now()
        with self.sf.begin() as s:
            row = s.get(OutboxMessage, msg.id)
            row.status, row.sent_at, row.last_error = status, now if status == SENT else None, error
            row.attempts += 1
            row.lease_until = None
            if status == SENT and msg.op == "post" and msg.ref and result:
                ts = result.get("ts")
                channel = result.get("channel", msg.channel)
                existing = s.get(SlackMessage, msg.ref)
                if existing is None:
                    s.add(SlackMessage(ref=msg.ref, channel=channel, ts=ts, posted_at=now))
                if msg.ref.startswith("conference:"):
                    conf = s.get(Conference, int(msg.ref.split(":")[1]))
                    if conf is not None and conf.root_ts is None:
                        conf.root_ts = ts

    def _retry(self, msg: OutboxMessage, error: str, retry_after: float | None) -> None:
        now = self.clock.now()
        with self.sf.begin() as s:
            row = s.get(OutboxMessage, msg.id)
            row.attempts += 1
            delay = retry_after if retry_after is not None else min(MAX_BACKOFF, 2.0 ** min(row.attempts, 9))
            row.not_before = now + timedelta(seconds=delay)
            row.lease_until = None
            row.last_error = error
        log.warning("outbox %s (%s to %s) will be retried in %.0fs: %s", msg.id, msg.op, msg.channel, delay, error)


class _Permanent(Exception):
    pass


class _RootNotYetPosted(Exception):
    pass


def _retry_after(e: SlackApiError) -> float | None:
    try:
        value = e.response.headers.get("Retry-After") or e.response.headers.get("retry-after")
        return float(value[0] if isinstance(value, list) else value)
    except Exception:
        return None
