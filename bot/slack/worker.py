"""Posts the outbox to Slack: each post exactly once, per channel in order, channels in
parallel, and work of a dead process taken over within seconds.

- **Claim.** A row is claimed with a short lease (`LEASE`, wall-clock time) under a row
  lock (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers with
  BEGIN IMMEDIATE). A heartbeat renews the leases of the rows this process is sending
  every `HEARTBEAT` seconds, so a live slow post keeps its row and a dead process's row is
  free `LEASE` seconds after its last renewal (at once if the owner was a process on this
  host that no longer exists).
- **Exactly once.** A post carries metadata naming its row (`bot.slack.lookup`). The claim
  marks the row `sending_since`; Slack's answer clears it. A row claimed with the mark still
  set had an attempt with an unknown outcome, and is looked up in its channel or thread
  before it is posted again; found, its `ts` is adopted. The WebClient has no retry
  handlers of its own (a lost answer must not make copies): retrying is the outbox's job.
- **Channels independent.** Only the oldest pending row of a channel may go, and one
  channel has at most one post in flight, about one a second with short bursts; different channels are posted in parallel by
  `max_parallel` threads (Slack's workspace limit is far above). A 429 delays its row (so
  its channel) by Retry-After; nothing sleeps in a thread other channels need.
- **Checked before sending.** Placeholders are resolved, a section that grew is split,
  and the payload is checked with slack_sdk's Block Kit models and Slack's limits; what
  would be refused is marked failed without being sent.
- **Edits through the press's response_url.** An edit caused by a button press carries
  that press's response_url (`outbox.Pressed`): the message is replaced through it
  (`replace_original`, not a Web API call, no per-method rate limit). A missing, stale,
  used-up or refused url falls back to `chat.update`; an edit is idempotent, so sending
  it both ways after an unclear answer is harmless. An edit with a newer edit of the
  same message queued behind it is skipped (the newer one carries the whole content).
- **Visible when refused.** A row Slack refuses for good is marked failed and the
  koordinators are told by DM (`bot.slack.refusals`), in the same transaction.

Times of leases and back-off are the wall clock (they coordinate processes); the bot's
clock (`clock`, which tests move) only stamps `sent_at`.
"""
from __future__ import annotations

import base64
import json
import logging
import os
import re
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.conference.models import Conference
from bot.render import Renderer
from bot.slack import blocks as bk
from bot.slack import lookup, outbox, refusals
from bot.slack.models import FAILED, PENDING, SENT, OutboxMessage, SlackMessage
from bot.slack.pace import ChannelPace
from bot.slack.text import defuse_broadcasts

log = logging.getLogger(__name__)

# Errors that no retry will fix: the message is marked failed and kept for the operator.
PERMANENT = {
    "channel_not_found", "not_in_channel", "is_archived", "invalid_blocks", "msg_too_long",
    "msg_blocks_too_long", "no_text", "invalid_arguments", "message_not_found", "cant_update_message",
    "user_not_found", "user_not_in_channel", "invalid_auth", "not_authed", "account_inactive",
    "token_revoked", "missing_scope", "restricted_action", "thread_not_found", "invalid_blocks_format",
    "edit_window_closed", "file_not_found", "invalid_metadata_format", "invalid_metadata_schema",
    "cannot_dm_bot", "user_disabled", "method_not_supported_for_channel_type",
}
LEASE = timedelta(seconds=5)
HEARTBEAT = 1.0
# While Slack requests are being answered, a pass waits for them this long at most: a
# burst's acknowledgements first, its posts and edits right after (bot.ops.in_flight).
YIELD_TO_ACKS = 1.0
MAX_BACKOFF = 300.0
HOLD = 0.2  # a row waiting for another message to be posted first is tried again after this
RESPONSE_URL_TIMEOUT = 10  # seconds; then the edit goes by chat.update instead
NON_IDEMPOTENT = ("post", "upload")  # a second call makes a second message


def wall() -> datetime:
    return datetime.now(timezone.utc)


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _owner_is_dead(owner: str | None) -> bool:
    """True only for a lease owner that was a process on this host and exists no more."""
    try:
        host, pid, _ = (owner or "").rsplit(":", 2)
        pid_n = int(pid)
    except ValueError:
        return False
    if host != socket.gethostname() or pid_n == os.getpid() or pid_n <= 1:
        return False
    try:
        os.kill(pid_n, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


class OutboxWorker:
    def __init__(self, session_factory: sessionmaker, client: WebClient, clock: Clock, *, region_id: int,
                 renderer: Renderer | None = None, channel_interval: float = 1.0, channel_burst: int = 3,
                 poll_interval: float = 0.5,
                 max_parallel: int = 4, idle: Callable[[float], bool] | None = None):
        self.sf = session_factory
        self.client = client
        self.clock = clock
        self.region_id = region_id
        self.renderer = renderer
        self.poll_interval = poll_interval
        self.max_parallel = max_parallel
        self._idle = idle  # waits (at most its argument, in seconds) until no Slack request is being answered
        self.owner = owner_id()
        self.warnings: dict[str, str] = {}  # e.g. {"conference_channel": "not_in_channel"} for /healthz
        self._pace = ChannelPace(channel_interval, channel_burst)
        self._busy: dict[str, int] = {}  # channel -> row id in flight in this process
        self._busy_lock = threading.Lock()
        self._wake = threading.Event()
        # why it was woken: commits that queued rows in these channels only (`_dirty`), or
        # anything else (`_look`: a post done, a retry, the poll): see _loop
        self._dirty: set[str] = set()
        self._look = True
        self._stop = threading.Event()
        self._beat_stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._pool: ThreadPoolExecutor | None = None
        event.listen(session_factory, "after_commit", self._on_commit)

    # ---- life cycle -------------------------------------------------------------------
    def _on_commit(self, session: Session) -> None:
        channels = session.info.pop(outbox.CHANNELS, None)
        if session.info.pop(outbox.QUEUED, False):  # other commits give the worker nothing to do
            with self._busy_lock:
                if channels is None:
                    self._look = True
                else:
                    self._dirty.update(channels)
            self._wake.set()

    def start(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=self.max_parallel, thread_name_prefix="outbox-post")
        for name, target in (("outbox", self._loop), ("outbox-lease", self._heartbeat)):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 5.0) -> None:
        """Stops taking rows, lets the posts in flight finish (their leases renewed till
        then), then stops renewing. Stopping twice is harmless."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._look = True
        self._wake.set()
        for t in self._threads[:1]:
            t.join(timeout)
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self._beat_stop.set()
        for t in self._threads[1:]:
            t.join(timeout)
        event.remove(self.sf, "after_commit", self._on_commit)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            with self._busy_lock:
                look, dirty = self._look, self._dirty
                self._look, self._dirty = False, set()
            try:
                # A burst of commits each queuing a row in a channel that is busy or paced
                # (one post a second) gives nothing new to start: no pass over the database
                # for them; the post in flight, the pace and the poll wake it for those.
                go = look or not self._all_blocked(dirty)
                if go and self._idle is not None:
                    self._idle(YIELD_TO_ACKS)  # acks first (bot.ops.in_flight)
                    if self._stop.is_set():
                        break
                started = self.dispatch() if go else 0
            except Exception:  # the worker must survive anything; the rows stay pending
                log.exception("outbox pass failed")
                started = 0
            if not started and not self._wake.wait(self.poll_interval):
                with self._busy_lock:
                    self._look = True

    def _all_blocked(self, channels: set[str]) -> bool:
        """True if no row of these channels may go now (each has a post in flight here,
        waits for another process or for its pace)."""
        mono = time.monotonic()
        with self._busy_lock:
            return all(ch in self._busy or not self._pace.may_post(ch, mono) for ch in channels)

    def _heartbeat(self) -> None:
        while not self._beat_stop.wait(HEARTBEAT):
            try:
                self.renew_leases()
            except Exception:  # the database may be away for a moment; the next beat tries again
                log.exception("outbox lease renewal failed")

    def renew_leases(self) -> None:
        with self._busy_lock:
            ids = list(self._busy.values())
        if not ids:
            return
        with self.sf.begin() as s:
            for row in s.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids),
                                                             OutboxMessage.lease_owner == self.owner)):
                row.lease_until = wall() + LEASE

    # ---- figures --------------------------------------------------------------------
    def pending_count(self) -> int:
        with self.sf() as s:
            return s.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.status == PENDING, OutboxMessage.region_id == self.region_id))

    # ---- choosing and claiming ----------------------------------------------------------
    def dispatch(self) -> int:
        """Starts the posts that may go now on the pool; returns how many were started."""
        started = 0
        for row in self._ready():
            with self._busy_lock:
                if len(self._busy) >= self.max_parallel or row.channel in self._busy:
                    continue
                self._busy[row.channel] = row.id
            claimed = self._claim(row.id)
            if claimed is None:
                self._done(row.channel)
                continue
            started += 1
            self._pool.submit(self._run, *claimed)
        return started

    def run_once(self) -> int:
        """One pass without threads (tests): claims and sends what may go now, in turn."""
        handled = 0
        for row in self._ready():
            claimed = self._claim(row.id)
            if claimed is not None and self._deliver(*claimed):
                handled += 1
        return handled

    def _run(self, msg: OutboxMessage, unknown: bool) -> None:
        try:
            self._deliver(msg, unknown)
        except Exception:
            log.exception("outbox %s: delivery failed unexpectedly", msg.id)
        finally:
            self._done(msg.channel)

    def _done(self, channel: str) -> None:
        with self._busy_lock:
            self._busy.pop(channel, None)
            self._look = True
        self._wake.set()

    def _ready(self) -> list[OutboxMessage]:
        """The oldest pending row of each channel of this region, if it may go now."""
        now, mono = wall(), time.monotonic()
        with self.sf() as s:
            heads = select(func.min(OutboxMessage.id)).where(
                OutboxMessage.region_id == self.region_id, OutboxMessage.status == PENDING
            ).group_by(OutboxMessage.channel)
            rows = list(s.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(heads))
                                  .order_by(OutboxMessage.id)))
            for r in rows:
                s.expunge(r)
        return [r for r in rows if self._may_go(r, now) and self._pace.may_post(r.channel, mono)]

    def _may_go(self, row: OutboxMessage, now: datetime) -> bool:
        """`not_before` of a new row is the bot's clock (queued for later); after an attempt
        it is wall-clock time (back-off, Retry-After)."""
        if row.not_before > (now if row.attempts else self.clock.now()):
            return False
        return row.lease_until is None or row.lease_until <= now or _owner_is_dead(row.lease_owner)

    def _claim(self, msg_id: int) -> tuple[OutboxMessage, bool] | None:
        """Takes the row for this process; returns it and whether its last attempt's outcome
        is unknown (then it must be looked up before it is posted again)."""
        now = wall()
        with self.sf.begin() as s:
            row = s.scalars(select(OutboxMessage).where(OutboxMessage.id == msg_id)
                            .with_for_update(skip_locked=True)).first()
            if row is None or row.status != PENDING or not self._may_go(row, now):
                return None  # another process has it, or it was sent meanwhile
            unknown = row.sending_since is not None
            row.lease_until, row.lease_owner = now + LEASE, self.owner
            if row.op in NON_IDEMPOTENT and not unknown:
                row.sending_since = now
            s.flush()
            s.expunge(row)
        return row, unknown

    # ---- sending one row ---------------------------------------------------------------
    def _deliver(self, msg: OutboxMessage, unknown: bool = False) -> bool:
        """Sends one row; False if it must wait for another message to be posted first.

        `doubt`: Slack may have this message already. True for a row claimed with an
        unknown outcome until the lookup says Slack has not; True again once a post has
        left without a clear answer. The row keeps `sending_since` while in doubt."""
        doubt, calling = unknown and msg.op in NON_IDEMPOTENT, False
        try:
            with self.sf() as s:
                thread_ts = self._resolve_thread(s, msg)
                posted = s.get(SlackMessage, msg.ref) if msg.op == "update" and msg.ref else None
            if msg.op == "update" and posted is None:
                raise _Permanent("message_not_found (the message to edit was never posted)")
            if msg.op == "update" and self._superseded(msg):
                return True
            if doubt:
                found = self._look_up(msg, thread_ts)
                if found is not None:
                    log.warning("outbox %s was already in Slack (ts %s): adopted, not posted again",
                                msg.id, found["ts"])
                    return self._finish(msg, SENT, result=found)
                doubt = False  # Slack does not have it: this attempt decides
            payload = self._prepare(msg)
            if msg.op == "update" and self._replace_original(msg, payload):
                result: dict[str, Any] = {"ok": True, "ts": None}
            else:
                self._pace.posted(msg.channel)
                calling, doubt = True, msg.op in NON_IDEMPOTENT
                result = self._call(msg, payload, thread_ts, posted.ts if posted else None)
        except _RootNotYetPosted:
            self._release(msg, unknown)  # the message it needs goes first (in its own channel's queue)
            self._pace.hold(msg.channel, HOLD)
            return False
        except _Permanent as e:
            self._finish(msg, FAILED, error=str(e), doubt=doubt)
        except SlackApiError as e:
            error = str(e.response.get("error") or "unknown") if e.response is not None else "unknown"
            status = getattr(e.response, "status_code", 200) or 200
            if calling:  # Slack answered the call itself; a 5xx may have been stored before failing
                doubt = doubt and status >= 500
            else:
                error = f"{error} (while looking up whether it was posted)" if doubt else error
            if error.split(" ")[0] in PERMANENT:
                log.error("Slack refused outbox %s (%s %s) for good: %s", msg.id, msg.op, msg.channel, error)
                self._finish(msg, FAILED, error=error, doubt=doubt)
            else:
                self._retry(msg, error, _retry_after(e), doubt=doubt)
        except Exception as e:  # connection errors, timeouts: Slack may or may not have it
            self._retry(msg, f"{type(e).__name__}: {e}", None, doubt=doubt)
        else:
            self._finish(msg, SENT, result=result)
        return True

    def _prepare(self, msg: OutboxMessage) -> dict[str, Any]:
        payload, found = defuse_broadcasts(self._resolve_permalinks(dict(msg.payload)))
        if found:
            log.error("outbox %s contained a broadcast mention; it was defused", msg.id)
        if msg.op in ("post", "update"):
            if payload.get("blocks"):
                payload["blocks"] = bk.refit(payload["blocks"])
            problems = bk.payload_problems(payload)
            if problems:
                raise _Permanent("invalid_blocks (checked before sending: " + "; ".join(problems[:5]) + ")")
        return payload

    def _replace_original(self, msg: OutboxMessage, payload: dict[str, Any]) -> bool:
        """The edit, through the response_url of the press that caused it: True if Slack
        took it. False (then chat.update) without a fresh url, or when Slack refuses it
        (expired, used five times) or does not answer clearly."""
        until = msg.response_url_until
        if not msg.response_url or until is None or until <= wall():
            return False
        body = {k: v for k, v in payload.items() if k in ("text", "blocks", "attachments")}
        try:
            answer = WebhookClient(msg.response_url, timeout=RESPONSE_URL_TIMEOUT).send_dict(
                {**body, "replace_original": True})
        except Exception as e:  # noqa: BLE001 - the edit goes by chat.update instead
            log.info("outbox %s: response_url not answered (%s): edited with chat.update", msg.id, type(e).__name__)
            return False
        if answer.status_code == 200 and _said_ok(answer.body):
            return True
        # the url itself is never logged: anyone holding it may answer in its name
        log.info("outbox %s: response_url refused (%s %.40s): edited with chat.update", msg.id,
                 answer.status_code, answer.body)
        return False

    def _superseded(self, msg: OutboxMessage) -> bool:
        """True (and the row is done) if a newer edit of the same message waits behind this
        one: it carries the whole new content, so this one need not be sent. A fresh
        response_url of this row goes to the newer row if that has none."""
        now = self.clock.now()
        with self.sf.begin() as s:
            newer = s.scalars(select(OutboxMessage).where(
                OutboxMessage.ref == msg.ref, OutboxMessage.op == "update", OutboxMessage.status == PENDING,
                OutboxMessage.id > msg.id).order_by(OutboxMessage.id.desc()).with_for_update(skip_locked=True)).first()
            if newer is None:
                return False
            row = s.get(OutboxMessage, msg.id, with_for_update=True)
            if row.lease_owner != self.owner or row.status != PENDING:
                return True  # another process has it now; nothing more to do here
            if (newer.response_url is None and row.response_url and row.response_url_until
                    and row.response_url_until > wall() and newer.lease_until is None):
                newer.response_url, newer.response_url_until = row.response_url, row.response_url_until
            row.status, row.sent_at, row.lease_until = SENT, now, None
            row.response_url = row.response_url_until = None
            log.info("outbox %s: skipped, outbox %s edits the same message with newer content", msg.id, newer.id)
        return True

    def _look_up(self, msg: OutboxMessage, thread_ts: str | None) -> dict[str, Any] | None:
        since = msg.sending_since or msg.created_at
        if msg.op == "upload":
            return lookup.find_upload(self.client, channel=msg.channel, thread_ts=thread_ts,
                                      filename=msg.payload["filename"], title=msg.payload["title"], since=since)
        return lookup.find_post(self.client, channel=msg.channel, thread_ts=thread_ts, row_id=msg.id,
                                region_id=msg.region_id, since=since)

    def _release(self, msg: OutboxMessage, unknown: bool) -> None:
        with self.sf.begin() as s:
            row = s.get(OutboxMessage, msg.id)
            if row.lease_owner == self.owner:
                row.lease_until = None
                if not unknown:
                    row.sending_since = None

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
        if bk.PERMALINK_OPEN not in raw:
            return payload
        pattern = bk.PLACEHOLDER
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
            args = dict(payload)
            if thread_ts:
                args["thread_ts"] = thread_ts
            return self.client.chat_postMessage(channel=msg.channel, unfurl_links=False,
                                                metadata=lookup.metadata_for(msg.id, msg.region_id), **args).data
        if msg.op == "update":
            return self.client.chat_update(channel=msg.channel, ts=edit_ts, **payload).data
        if msg.op == "upload":
            # a DM is named by the user id: files.completeUploadExternal takes user ids in `channels` only
            where = {"channels": [msg.channel]} if msg.channel[:1] in ("U", "W") else {"channel": msg.channel}
            return self.client.files_upload_v2(
                **where, file=base64.b64decode(payload["content_b64"]), filename=payload["filename"],
                title=payload["title"], initial_comment=payload["text"], thread_ts=thread_ts).data
        raise _Permanent(f"unknown outbox op {msg.op!r}")

    # ---- recording the outcome -----------------------------------------------------------
    def _finish(self, msg: OutboxMessage, status: str, *, result: dict[str, Any] | None = None,
                error: str | None = None, doubt: bool = False) -> bool:
        now = self.clock.now()
        with self.sf.begin() as s:
            row = s.get(OutboxMessage, msg.id, with_for_update=True)
            if row.lease_owner != self.owner or row.status != PENDING:
                self._lost_lease(row, msg, result)
                return True
            row.status, row.sent_at, row.last_error = status, now if status == SENT else None, error
            row.attempts += 1
            row.lease_until = None
            row.response_url = row.response_url_until = None  # settled: the url is not kept
            if not doubt:  # failed in doubt: a retry by the operator looks it up first
                row.sending_since = None
            ts = (result or {}).get("ts")
            if status == SENT and msg.op == "post" and ts:
                row.ts = ts
                self._record_post(s, msg, ts, (result or {}).get("channel") or msg.channel, now)
            if status == FAILED:
                refusals.notify_refused(s, self.renderer, row, error or "unknown", now)
        return True

    def _record_post(self, s: Session, msg: OutboxMessage, ts: str, channel: str, now: datetime) -> None:
        if not msg.ref:
            return
        if s.get(SlackMessage, msg.ref) is None:
            s.add(SlackMessage(ref=msg.ref, channel=channel, ts=ts, posted_at=now))
        if msg.ref.startswith("conference:"):
            conf = s.get(Conference, int(msg.ref.split(":")[1]))
            if conf is not None and conf.root_ts is None:
                conf.root_ts = ts

    def _lost_lease(self, row: OutboxMessage, msg: OutboxMessage, result: dict[str, Any] | None) -> None:
        """This process was too slow to renew its lease and another took the row over.
        If that one already posted a copy of a message this process also posted, ours goes."""
        ours = (result or {}).get("ts")
        log.warning("outbox %s: lease lost to %s while sending", msg.id, row.lease_owner)
        if msg.op == "post" and ours and row.status == SENT and row.ts and row.ts != ours:
            try:
                self.client.chat_delete(channel=(result or {}).get("channel") or msg.channel, ts=ours)
                log.warning("outbox %s: removed the second copy (ts %s)", msg.id, ours)
            except Exception as e:  # noqa: BLE001 - nothing more can be done than say so
                log.error("outbox %s: a second copy (ts %s) could not be removed: %s", msg.id, ours, e)

    def _retry(self, msg: OutboxMessage, error: str, retry_after: float | None, *, doubt: bool) -> None:
        with self.sf.begin() as s:
            row = s.get(OutboxMessage, msg.id, with_for_update=True)
            if row.lease_owner != self.owner or row.status != PENDING:
                return
            row.attempts += 1
            delay = retry_after if retry_after is not None else min(MAX_BACKOFF, 2.0 ** min(row.attempts - 1, 9))
            row.not_before = wall() + timedelta(seconds=delay)
            row.lease_until = None
            row.last_error = error
            if not doubt:  # Slack answered, and did not take it
                row.sending_since = None
        log.warning("outbox %s (%s to %s) will be retried in %.0fs: %s", msg.id, msg.op, msg.channel, delay, error)

    # ---- start-up check --------------------------------------------------------------
    def check_channel(self, channel: str) -> str | None:
        """Can the bot post in the conference channel? A problem is logged as one warning
        line, kept in `warnings` (for /healthz) and DM'd to the koordinators."""
        try:
            problem = refusals.conference_channel_problem(self.client, channel)
        except Exception as e:  # noqa: BLE001 - Slack unreachable: the outbox will say so
            log.warning("could not check the conference channel %s: %s", channel, type(e).__name__)
            return None
        if problem is None:
            self.warnings.pop("conference_channel", None)
            return None
        self.warnings["conference_channel"] = problem
        log.warning("the bot cannot post in the conference channel %s (%s): invite it with /invite @samverkan",
                    channel, problem)
        if self.renderer is not None:
            with self.sf.begin() as s:
                refusals.warn_not_member(s, self.renderer, self.region_id, channel, problem, self.clock.now())
        return problem


class _Permanent(Exception):
    pass


class _RootNotYetPosted(Exception):
    pass


def _said_ok(body: str | None) -> bool:
    """Slack answers a response_url post with `ok` (or a JSON object with `"ok": true`)."""
    text = (body or "").strip()
    if text.startswith("{"):
        try:
            return json.loads(text).get("ok") is True
        except (ValueError, AttributeError):
            return False
    return text == "ok"


def _retry_after(e: SlackApiError) -> float | None:
    try:
        value = e.response.headers.get("Retry-After") or e.response.headers.get("retry-after")
        return float(value[0] if isinstance(value, list) else value)
    except Exception:
        return None
