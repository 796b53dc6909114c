"""The request edge: what reaches Bolt on `POST /slack/events` is a signed, well-formed
Slack request, or it is answered here with 400, 401 or 413 (never a 500, never a traceback).

In order, before anything is parsed:

1. size: a Content-Length above MAX_BODY is refused (413) without reading; the read
   itself is capped, so a body without (or lying about) its length cannot grow either;
2. signature: `X-Slack-Request-Timestamp` must be whole seconds within five minutes of
   now, `X-Slack-Signature` the HMAC-SHA256 of `v0:{timestamp}:{body}` (401);
3. form: valid UTF-8; JSON (the Events API) or a form (slash commands) whose `payload`,
   if any, is a JSON object (interactivity); nested at most MAX_DEPTH deep (400);
4. shape: the fields Bolt and the listeners rely on are there, of the right type (400).

Bolt then gets the parsed request as JSON (so its own parsing cannot fail, and a command
text holding the word "payload" is no longer mistaken for interactivity). Bolt's own
signature check is off: it would see a re-encoded body; this module is the check.

MAX_BODY is 1 MiB. Slack's largest deliveries are view submissions and block actions that
carry a whole modal or message: at most 100 blocks (50 in a message) of at most 3000
characters, about 300 kB as JSON and under 1 MB form-encoded in the worst case. Anything
larger is not from Slack.

Nothing unverified is logged beyond a one-line reason; a short excerpt of the body goes
to DEBUG only.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import re
import time
from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]

PATH = "/slack/events"
MAX_BODY = 1 << 20
MAX_DEPTH = 64
MAX_FORM_FIELDS = 100
TOLERANCE_SECONDS = 300
EXCERPT = 120

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
USER_ID = re.compile(r"[UW][A-Z0-9]{1,30}")
_SLACK_ID = re.compile(r"[A-Z][A-Z0-9]{1,30}")
_TOKEN_LIKE = re.compile(r"[\x21-\x7e]{1,255}")  # event ids, trigger ids: printable ASCII, bounded
INTERACTIONS = {"block_actions", "view_submission", "view_closed", "shortcut", "message_action",
                "block_suggestion"}


class Rejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


_STATUS = {400: "400 Bad Request", 401: "401 Unauthorized", 413: "413 Payload Too Large"}


def guard(inner: WSGIApp, signing_secret: str, *, now: Callable[[], float] = time.time,
          path: str = PATH) -> WSGIApp:
    """WSGI middleware in front of `inner`: requests to `path` pass only when signed and
    well-formed (see the module doc); everything else goes to `inner` unchanged."""
    secret = signing_secret.encode()

    def wsgi(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != path or environ.get("REQUEST_METHOD") != "POST":
            return inner(environ, start_response)
        body = b""
        try:
            body = read_body(environ)
            verify(environ, body, secret, now())
            request = parse(body, environ.get("CONTENT_TYPE") or "")
            check_shape(request)
        except Rejected as r:
            log.info("refused a request to %s: %d %s (%d bytes)", path, r.status, r.reason, len(body))
            log.debug("refused body starts %r", body[:EXCERPT])
            return _answer(start_response, r.status, r.reason)
        # ASCII JSON: a lone surrogate (JSON allows "\ud800") cannot be UTF-8 encoded;
        # escaped, it reaches Bolt, whose text cleaning drops it
        forwarded = json.dumps(request).encode()
        environ = dict(environ)
        environ.update({"wsgi.input": io.BytesIO(forwarded), "CONTENT_LENGTH": str(len(forwarded)),
                        "CONTENT_TYPE": "application/json"})
        return inner(environ, start_response)

    return wsgi


def _answer(start_response: Callable, status: int, reason: str) -> list[bytes]:
    body = json.dumps({"error": reason}).encode()
    start_response(_STATUS[status], [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def read_body(environ: dict) -> bytes:
    declared = (environ.get("CONTENT_LENGTH") or "").strip()
    if declared and not declared.isdigit():
        raise Rejected(400, "bad Content-Length")
    if declared and int(declared) > MAX_BODY:
        raise Rejected(413, "body too large")
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    limit = int(declared) if declared else MAX_BODY + 1
    body = stream.read(limit)
    if len(body) > MAX_BODY:
        raise Rejected(413, "body too large")
    return body


def verify(environ: dict, body: bytes, secret: bytes, now: float) -> None:
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
    signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
    if not _TIMESTAMP.fullmatch(timestamp):
        raise Rejected(401, "bad timestamp")
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        raise Rejected(401, "stale timestamp")
    if not _SIGNATURE.fullmatch(signature):
        raise Rejected(401, "bad signature")
    expected = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Rejected(401, "bad signature")


def parse(body: bytes, content_type: str) -> dict[str, Any]:
    """The request as one JSON object: the Events API's body, an interaction's payload,
    or a slash command's form fields."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(400, "body is not UTF-8") from None
    if content_type.split(";")[0].strip().lower() == "application/json":
        return _json_object(text)
    try:
        fields = parse_qsl(text, keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FORM_FIELDS,
                           errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise Rejected(400, "bad form") from None
    form = dict(fields)
    if "payload" in form:
        return _json_object(form["payload"])
    return form


def _json_object(text: str) -> dict[str, Any]:
    if len(text) - len(text.lstrip("[{ \t\r\n")) > MAX_DEPTH:  # cheap early refusal of deep nesting
        raise Rejected(400, "nested too deep")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError, int digits limit, deep nesting
        raise Rejected(400, "not JSON") from None
    if not isinstance(value, dict):
        raise Rejected(400, "not a JSON object")
    if depth(value) > MAX_DEPTH:
        raise Rejected(400, "nested too deep")
    return value


def depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (iterative: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, d)
        stack.extend((c, d + 1) for c in children if isinstance(c, (dict, list)))
    return deepest


# ---- shapes ---------------------------------------------------------------------------
def _need(ok: bool, what: str) -> None:
    if not ok:
        raise Rejected(400, what)


def _str(value: Any, pattern: re.Pattern | None = None) -> bool:
    return isinstance(value, str) and (pattern is None or pattern.fullmatch(value) is not None)


def _optional_str(d: dict, key: str, pattern: re.Pattern | None = None) -> bool:
    return key not in d or d[key] is None or _str(d[key], pattern)


def check_shape(request: dict[str, Any]) -> None:
    """Refuses (400) a request whose fields Bolt or the listeners would trip over."""
    _envelope(request)
    if "command" in request:
        return _command(request)
    if request.get("ssl_check") == "1":
        return None
    kind = request.get("type")
    _need(isinstance(kind, str), "no type")
    if kind in INTERACTIONS:
        return _interaction(request, kind)
    if kind == "event_callback":
        return _event(request)
    if kind == "url_verification":
        return _need(_str(request.get("challenge")), "bad challenge")
    raise Rejected(400, "unknown request type")


def _envelope(request: dict[str, Any]) -> None:
    """The fields Bolt reads from every request to find the team and the enterprise."""
    auths = request.get("authorizations")
    _need(auths is None or (isinstance(auths, list) and all(isinstance(a, dict) for a in auths)),
          "bad authorizations")
    for key in ("enterprise", "team"):
        _need(request.get(key) is None or isinstance(request[key], (dict, str)), f"bad {key}")
    for key in ("team_id", "enterprise_id", "api_app_id"):
        _need(_optional_str(request, key), f"bad {key}")


def _command(form: dict[str, Any]) -> None:
    _need(_str(form.get("command")) and form["command"].startswith("/"), "bad command")
    _need(_str(form.get("user_id"), USER_ID), "bad user")
    _need(_optional_str(form, "channel_id", _SLACK_ID), "bad channel")
    _need(_optional_str(form, "trigger_id", _TOKEN_LIKE), "bad trigger")
    _need(_optional_str(form, "text"), "bad text")
    _need(_optional_str(form, "response_url"), "bad response_url")


def _interaction(payload: dict[str, Any], kind: str) -> None:
    user = payload.get("user")
    _need(isinstance(user, dict) and _str(user.get("id"), USER_ID), "bad user")
    _need(_optional_str(payload, "trigger_id", _TOKEN_LIKE), "bad trigger")
    _need(_optional_str(payload, "response_url"), "bad response_url")
    for key in ("channel", "container", "message"):
        _need(payload.get(key) is None or isinstance(payload[key], dict), f"bad {key}")
    channel = payload.get("channel") or {}
    _need(_optional_str(channel, "id", _SLACK_ID), "bad channel")
    view = payload.get("view")
    _need(view is None or isinstance(view, dict), "bad view")
    if view is not None:
        _view(view)
    if kind == "block_actions":
        actions = payload.get("actions")
        _need(isinstance(actions, list) and actions != [], "no actions")
        for act in actions:
            _action(act)
    elif kind in ("view_submission", "view_closed"):
        _need(view is not None and _str(view.get("type")) and _str(view.get("callback_id")), "bad view")
        urls = payload.get("response_urls", [])
        _need(isinstance(urls, list) and all(isinstance(u, dict) for u in urls), "bad response_urls")
    elif kind in ("shortcut", "message_action"):
        _need(_str(payload.get("callback_id")), "bad callback_id")


def _view(view: dict[str, Any]) -> None:
    for key in ("id", "callback_id", "private_metadata", "hash", "type"):
        _need(_optional_str(view, key), f"bad view {key}")
    state = view.get("state")
    _need(state is None or (isinstance(state, dict) and isinstance(state.get("values", {}), dict)), "bad state")
    for block in ((state or {}).get("values") or {}).values():
        _need(isinstance(block, dict) and all(isinstance(v, dict) for v in block.values()), "bad state")


def _action(act: Any) -> None:
    _need(isinstance(act, dict) and _str(act.get("action_id")), "bad action")
    _need(_optional_str(act, "value") and _optional_str(act, "block_id"), "bad action value")
    option = act.get("selected_option")
    _need(option is None or (isinstance(option, dict) and _optional_str(option, "value")), "bad option")


def _event(envelope: dict[str, Any]) -> None:
    _need(_str(envelope.get("event_id"), _TOKEN_LIKE) and len(envelope["event_id"]) <= 64, "bad event_id")
    event = envelope.get("event")
    _need(isinstance(event, dict) and _str(event.get("type")), "bad event")
    # Every event the bot subscribes to is about a person: one without a user is not Slack's.
    _need(_str(event.get("user"), USER_ID), "event without user")
