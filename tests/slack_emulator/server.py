"""SlackEmulator: a strict, in-process Slack Web API over real HTTP on 127.0.0.1.

Routes: ``/api/<method>`` (the Web API), ``/upload/<file_id>`` (file bytes, as
files.slack.com), ``/response/<key>`` (response_url sink).
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, NamedTuple
from urllib.parse import parse_qs, urlsplit

from .limits import LimitError, check_message
from .methods import METHODS
from .required_args import MISSING_ARG_ERRORS, load_required
from .state import ApiError, RateLimited, State


class Call(NamedTuple):
    method: str
    args: dict
    http_status: int
    ok: bool
    error: str | None
    at: float = 0.0  # wall-clock time.time() when the emulator answered


def _form_fields(body: bytes, content_type: str) -> dict[str, Any]:
    """Fields of a urlencoded, JSON or multipart body (multipart files come back as bytes)."""
    ctype = content_type.split(";")[0].strip().lower()
    if not body:
        return {}
    if ctype == "application/json":
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        return data
    if ctype == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        fields: dict[str, Any] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            has_file = part.get_param("filename", header="content-disposition") is not None
            fields[name] = payload if has_file else payload.decode("utf-8")
        return fields
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}


class _Handler(BaseHTTPRequestHandler):
    server_version = "SlackEmulator/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        emulator = self.server.emulator
        emulator._local.hold = None
        status, payload, headers = emulator._route(self.command, self.path, self.headers, body)
        hold = emulator._local.hold
        if hold is not None:  # the call took effect; its answer is held back, or lost
            hold.stored.set()
            if hold.lose:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            time.sleep(hold.seconds)
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
        try:
            self._send(status, payload, headers, data)
        except OSError:  # the caller is gone (killed while its answer was held)
            self.close_connection = True

    def _send(self, status: int, payload: Any, headers: dict, data: bytes) -> None:
        self.send_response(status)
        ctype = "text/plain; charset=utf-8" if isinstance(payload, bytes) else "application/json; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST


class Hold:
    """The answer to matching calls of `method` is held back `seconds` after the call took
    effect (the message is stored), or lost (`lose`: the connection is closed unanswered).
    `stored` is set when a held call has taken effect; `messages` are what it stored."""

    def __init__(self, method: str, seconds: float, times: int, match: Callable[[dict], bool] | None,
                 lose: bool):
        self.method, self.seconds, self.times, self.match, self.lose = method, seconds, times, match, lose
        self.stored = threading.Event()
        self.messages: list[dict] = []

    def wants(self, method: str, args: dict) -> bool:
        return self.times > 0 and method == self.method and (self.match is None or bool(self.match(args)))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many bot threads may connect at once


class SlackEmulator:
    def __init__(self, token: str = "xoxb-test-token", bot_user_id: str = "UBOTSAMV", team_id: str = "T0TEST",
                 post_rate_per_second: float | None = None, host: str = "127.0.0.1", port: int = 0,
                 ref_dir: str | Path | None = None):
        self.state = State(token, bot_user_id, team_id, post_rate_per_second)
        self.token, self.bot_user_id, self.team_id = token, bot_user_id, team_id
        self.required = load_required(ref_dir)
        self._address = (host, port)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._local = threading.local()
        self.base_url = ""
        self.api_url = ""

    # --- lifecycle ---------------------------------------------------------------
    def start(self) -> "SlackEmulator":
        if self._server is None:
            self._server = _Server(self._address, _Handler)
            self._server.emulator = self  # type: ignore[attr-defined]
            host, port = self._server.server_address[:2]
            self.base_url = self.state.base_url = f"http://{host}:{port}"
            self.api_url = f"{self.base_url}/api/"
            self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                            name="slack-emulator", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)  # type: ignore[union-attr]
            self._server = self._thread = None

    def __enter__(self) -> "SlackEmulator":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # --- set-up ------------------------------------------------------------------------
    def add_channel(self, channel_id: str, name: str | None = None, members: list[str] | tuple = (),
                    is_private: bool = False, bot_member: bool = True) -> dict:
        with self.state.lock:
            return copy.deepcopy(self.state.add_channel(channel_id, name, members, is_private, bot_member))

    def add_user(self, user_id: str, name: str | None = None, real_name: str | None = None, **extra: Any) -> dict:
        with self.state.lock:
            return copy.deepcopy(self.state.add_user(user_id, name, real_name, **extra))

    def post_as_user(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> dict:
        """A message written by a person (for event tests); the bot may not edit it."""
        with self.state.lock:
            return copy.deepcopy(self.state.add_message(self.state.channel(channel), text, user=user,
                                                        thread_ts=thread_ts))

    def fail(self, method: str, status: int = 429, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` ("*" = any) answer ``status``."""
        with self.state.lock:
            self.state.faults[method] = [status, retry_after, times]

    def hold_answer(self, method: str, seconds: float, times: int = 1,
                    match: Callable[[dict], bool] | None = None) -> Hold:
        """The next `times` successful calls of `method` (those whose arguments `match`)
        take effect at once, and are answered `seconds` later: a test can kill the caller
        after Slack has the message and before it knows."""
        with self.state.lock:
            hold = Hold(method, seconds, times, match, lose=False)
            self.state.holds.append(hold)
            return hold

    def lose_answer(self, method: str, times: int = 1, match: Callable[[dict], bool] | None = None) -> Hold:
        """The next `times` successful calls of `method` take effect, and the connection is
        closed without an answer (a lost answer)."""
        with self.state.lock:
            hold = Hold(method, 0.0, times, match, lose=True)
            self.state.holds.append(hold)
            return hold

    def rate_limit_channel(self, channel: str, seconds: float, retry_after: int = 1) -> None:
        """For `seconds`, every chat.postMessage to `channel` answers 429 with Retry-After
        (at most `retry_after`, at least 1); other channels are not affected."""
        with self.state.lock:
            self.state.windows[channel] = [self.state.clock() + seconds, retry_after]

    def set_bot_member(self, channel: str, member: bool = True) -> None:
        """Invites the bot to (or removes it from) a channel."""
        with self.state.lock:
            members = self.state.channels[channel]["members"]
            if member and self.bot_user_id not in members:
                members.append(self.bot_user_id)
            if not member and self.bot_user_id in members:
                members.remove(self.bot_user_id)

    def set_down(self, down: bool = True) -> None:
        with self.state.lock:
            self.state.down = down

    def reset(self) -> None:
        with self.state.lock:
            self.state.clear()

    def new_trigger_id(self, user_id: str | None = None, view_id: str | None = None) -> str:
        with self.state.lock:
            return self.state.new_trigger(user_id, view_id)

    def new_response_url(self, channel: str | None = None, message_ts: str | None = None) -> str:
        """A response_url as Slack gives one with a request. Given the message a button was
        pressed in (`channel`, `message_ts`), a post to it with `replace_original` or
        `delete_original` acts on that message, as Slack's does."""
        if not self.base_url:
            raise RuntimeError("start() the emulator before asking for a response_url")
        with self.state.lock:
            key = self.state.next_id("R")
            url = f"{self.base_url}/response/{key}"
            self.state.response_urls[key] = {"url": url, "at": self.state.clock(), "uses": 0,
                                             "channel": channel, "message_ts": message_ts}
            return url

    # --- read-back -----------------------------------------------------------------------
    def _copy(self, fn: Callable[[State], Any]) -> Any:
        with self.state.lock:
            return copy.deepcopy(fn(self.state))

    def messages(self, channel: str) -> list[dict]:
        return self._copy(lambda s: [m for m in s.posts if m["channel"] == channel and m["thread_ts"] is None])

    def thread(self, channel: str, ts: str) -> list[dict]:
        return self._copy(lambda s: [m for m in s.posts if m["channel"] == channel
                                     and (m["ts"] == ts and m["thread_ts"] is None or m["thread_ts"] == ts)])

    def all_posts(self) -> list[dict]:
        return self._copy(lambda s: s.posts)

    def dms(self, user_id: str) -> list[dict]:
        return self._copy(lambda s: [m for m in s.posts if m["channel"] == "D" + user_id[1:]])

    def home(self, user_id: str) -> dict | None:
        return self._copy(lambda s: s.views.get(s.homes.get(user_id, "")))

    def mentions_sent(self) -> list[str]:
        return self._copy(lambda s: s.mentions)

    ephemerals = property(lambda self: self._copy(lambda s: s.ephemerals))
    views = property(lambda self: self._copy(lambda s: s.views))
    files = property(lambda self: self._copy(lambda s: [f for f in s.files.values() if f["bytes"] is not None]))
    calls = property(lambda self: self._copy(lambda s: s.calls))
    response_posts = property(lambda self: self._copy(lambda s: s.response_posts))
    response_replaced = property(lambda self: self._copy(lambda s: s.response_replaced))
    scheduled = property(lambda self: self._copy(lambda s: s.scheduled))

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if predicate():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    # --- HTTP ------------------------------------------------------------------------------
    def _route(self, verb: str, path: str, headers: Any, body: bytes) -> tuple[int, Any, dict]:
        url = urlsplit(path)
        kind, _, name = url.path.lstrip("/").partition("/")
        with self.state.lock:
            if kind == "api":
                return self._api(name, url.query, headers, body)
            if kind == "upload" and verb == "POST":
                return self._upload(name, headers, body)
            if kind == "response" and verb == "POST":
                return self._response_url(name, body)
        return 404, b"not_found", {}

    def _api(self, method: str, query: str, headers: Any, body: bytes) -> tuple[int, Any, dict]:
        st = self.state
        try:
            args = {k: v[0] for k, v in parse_qs(query).items()}
            args.update(_form_fields(body, headers.get("Content-Type", "")))
        except (ValueError, UnicodeDecodeError):
            return self._answer(method, {}, 200, {"ok": False, "error": "invalid_form_data"})
        auth = headers.get("Authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else args.get("token")
        args.pop("token", None)
        fault = st.faults.get(method) or st.faults.get("*")
        if st.down or fault:
            status, retry_after = (503, None) if st.down else (fault[0], fault[1])
            if not st.down:
                fault[2] -= 1
                if fault[2] <= 0:
                    st.faults = {k: v for k, v in st.faults.items() if v is not fault}
            return self._failure(method, args, status, retry_after)
        if method not in METHODS:
            return self._answer(method, args, 200, {"ok": False, "error": "unknown_method"})
        if not token:
            return self._answer(method, args, 200, {"ok": False, "error": "not_authed"})
        if token != self.token:
            return self._answer(method, args, 200, {"ok": False, "error": "invalid_auth"})
        for name in self.required.get(method, []):
            if name != "token" and args.get(name) in (None, ""):
                error = MISSING_ARG_ERRORS.get((method, name), "invalid_arguments")
                messages = {"response_metadata": {"messages": [f"[ERROR] missing required field: {name}"]}}
                return self._answer(method, args, 200, {"ok": False, "error": error, **messages})
        try:
            result = {"ok": True, **METHODS[method](st, args)}
        except ApiError as exc:
            result = {"ok": False, "error": exc.error, **exc.extra}
        except RateLimited as exc:
            return self._failure(method, args, 429, exc.retry_after)
        if result["ok"]:
            hold = next((h for h in st.holds if h.wants(method, args)), None)
            if hold is not None:
                hold.times -= 1
                hold.messages.append(copy.deepcopy(result.get("message") or result))
                self._local.hold = hold
        return self._answer(method, args, 200, result)

    def _answer(self, method: str, args: dict, status: int, result: dict, headers: dict | None = None):
        self.state.calls.append(Call(method, copy.deepcopy(args), status, bool(result.get("ok")), result.get("error"),
                                     time.time()))
        return status, result, headers or {}

    def _failure(self, method: str, args: dict, status: int, retry_after: int | None):
        if status == 429:
            return self._answer(method, args, 429, {"ok": False, "error": "ratelimited"},
                                {"Retry-After": str(retry_after if retry_after is not None else 1)})
        error = {503: "service_unavailable", 500: "internal_error"}.get(status, "fatal_error")
        return self._answer(method, args, status, {"ok": False, "error": error})

    def _upload(self, file_id: str, headers: Any, body: bytes) -> tuple[int, Any, dict]:
        f = self.state.files.get(file_id)
        if self.state.down:
            return 503, b"service_unavailable", {}
        if f is None:
            return 404, b"file_not_found", {}
        data = body
        if headers.get("Content-Type", "").lower().startswith("multipart/form-data"):
            parts = [v for v in _form_fields(body, headers["Content-Type"]).values() if isinstance(v, bytes)]
            data = parts[0] if parts else b""
        f["bytes"] = data
        return 200, f"OK - {len(data)}".encode(), {}

    def _response_url(self, key: str, body: bytes) -> tuple[int, Any, dict]:
        st = self.state
        entry = st.response_urls.get(key)
        if entry is None:
            return 404, b"invalid_url", {}
        if st.clock() - entry["at"] > st.response_url_ttl:
            return 404, b"expired_url", {}
        if entry["uses"] >= st.response_url_uses:
            return 404, b"used_url", {}
        try:
            payload = json.loads(body.decode("utf-8"))
            if not payload.get("delete_original"):
                text, blocks = check_message(payload.get("text"), payload.get("blocks"), payload.get("attachments"))
        except (ValueError, AttributeError, UnicodeDecodeError):
            return 400, b"invalid_payload", {}
        except LimitError as exc:
            return 400, exc.error.encode(), {}
        if _flag(payload.get("replace_original")) or _flag(payload.get("delete_original")):
            # acts on the message the action came from (a slash command's url has none)
            message = st.find_message(entry.get("channel") or "", entry.get("message_ts"))
            if message is None:
                return 404, b"message_not_found", {}
            entry["uses"] += 1
            if _flag(payload.get("delete_original")):
                st.delete_message(message)
                st.response_replaced.append({"url": entry["url"], "json": payload, "ts": message["ts"]})
                return 200, b"ok", {}
            message["edits"].append({k: copy.deepcopy(message[k]) for k in ("text", "blocks", "attachments",
                                                                              "metadata")})
            message["text"], message["blocks"] = text, blocks or None  # the whole message is replaced
            message["attachments"] = None
            st.response_replaced.append({"url": entry["url"], "json": payload, "ts": message["ts"]})
            st.record_mentions(text or "", blocks)
            return 200, b"ok", {}
        entry["uses"] += 1
        st.response_posts.append({"url": entry["url"], "json": payload})
        st.record_mentions(payload.get("text") or "", payload.get("blocks"))
        return 200, b"ok", {}


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"
