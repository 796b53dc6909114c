"""Malformed requests at the edge (bot.edge): 400, 401 or 413, never a 500, no traceback
in the log, nothing stored. And a fuzzed corpus of signed requests (hypothesis)."""
from __future__ import annotations

import json
import logging
import time
from urllib.parse import quote, urlencode

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile import capture_logs, form_payload, post, row_counts, user

DEEP = 50_000
FAKE_URL = "https://hooks.invalid/x"


def _command(**over) -> str:
    fields = {"command": "/samverkan", "text": "status", "user_id": "U0POL001", "channel_id": "C0CONF01",
              "team_id": "T0TEST", "trigger_id": f"t.{time.time_ns()}", "response_url": "https://hooks.invalid/x"}
    fields.update(over)
    return urlencode(fields)


def _event(**over) -> bytes:
    envelope = {"type": "event_callback", "event_id": f"Ev{time.time_ns()}", "team_id": "T0TEST",
                "event": {"type": "app_home_opened", "user": "U0POL001", "tab": "home"}}
    envelope.update(over)
    return json.dumps(envelope).encode()


def _actions(actions) -> str:
    return form_payload({"type": "block_actions", "user": user(), "actions": actions, "trigger_id": "t.1",
                         "team": {"id": "T0TEST"}, "response_url": "https://hooks.invalid/x"})


# name -> (body, content type, how: "signed" | "unsigned" | a timestamp header to sign with)
MALFORMED = {
    "timestamp not numeric": (_command(), "application/x-www-form-urlencoded", "abc"),
    "timestamp empty": (_command(), "application/x-www-form-urlencoded", ""),
    "timestamp decimal": (_command(), "application/x-www-form-urlencoded", f"{time.time():.3f}"),
    "timestamp 40 digits": (_command(), "application/x-www-form-urlencoded", "9" * 40),
    "invalid UTF-8": (b"command=%2Fsamverkan&text=\xff\xfe&user_id=U0POL001", "application/x-www-form-urlencoded",
                      "signed"),
    "invalid UTF-8 JSON": (b'{"type": "event_callback", "x": "\xc3\x28"}', "application/json", "signed"),
    "payload not JSON": (form_payload("{not json"), "application/x-www-form-urlencoded", "signed"),
    "payload JSON array": (form_payload("[1, 2]"), "application/x-www-form-urlencoded", "signed"),
    "payload null": (form_payload("null"), "application/x-www-form-urlencoded", "signed"),
    "payload number": (form_payload("42"), "application/x-www-form-urlencoded", "signed"),
    "payload string": (form_payload('"block_actions"'), "application/x-www-form-urlencoded", "signed"),
    "payload deep": (form_payload("[" * DEEP + "]" * DEEP), "application/x-www-form-urlencoded", "signed"),
    "event deep": (('{"type":"event_callback","event":' + '{"a":' * DEEP + "1" + "}" * DEEP + "}").encode(),
                   "application/json", "signed"),
    "payload deep inside": (form_payload('{"type":"block_actions","user":' + "[" * DEEP + "]" * DEEP + "}"),
                            "application/x-www-form-urlencoded", "signed"),
    "payload huge integer": (form_payload('{"type": "block_actions", "n": ' + "9" * 5000 + "}"),
                             "application/x-www-form-urlencoded", "signed"),
    "block_actions no actions": (_actions([]), "application/x-www-form-urlencoded", "signed"),
    "block_actions actions null": (_actions(None), "application/x-www-form-urlencoded", "signed"),
    "block_actions action not object": (_actions(["x"]), "application/x-www-form-urlencoded", "signed"),
    "block_actions value number": (_actions([{"action_id": "action_ack", "value": 5}]),
                                   "application/x-www-form-urlencoded", "signed"),
    "block_actions user missing": (form_payload({"type": "block_actions", "actions": [{"action_id": "a"}]}),
                                   "application/x-www-form-urlencoded", "signed"),
    "view_submission view list": (form_payload({"type": "view_submission", "user": user(), "view": []}),
                                  "application/x-www-form-urlencoded", "signed"),
    "event_id number": (_event(event_id=123), "application/json", "signed"),
    "event_id null": (_event(event_id=None), "application/json", "signed"),
    "event_id object": (_event(event_id={"a": 1}), "application/json", "signed"),
    "event without user": (_event(event={"type": "app_home_opened", "tab": "home"}), "application/json",
                           "signed"),
    "event user number": (_event(event={"type": "app_home_opened", "tab": "home", "user": 7}),
                          "application/json", "signed"),
    "event not object": (_event(event="app_home_opened"), "application/json", "signed"),
    "JSON body array": (b"[]", "application/json", "signed"),
    "JSON body null": (b"null", "application/json", "signed"),
    "empty body": (b"", "application/json", "signed"),
    "empty form": (b"", "application/x-www-form-urlencoded", "signed"),
    "form without command": (urlencode({"user_id": "U0POL001"}), "application/x-www-form-urlencoded", "signed"),
    "command user id not Slack's": (_command(user_id="robert'); DROP TABLE"), "application/x-www-form-urlencoded",
                                    "signed"),
    "command user empty": (_command(user_id=""), "application/x-www-form-urlencoded", "signed"),
    "unknown type": (json.dumps({"type": "app_rate_limited_x"}), "application/json", "signed"),
    "unsigned command": (_command(), "application/x-www-form-urlencoded", "unsigned"),
}


@pytest.fixture
def logs():
    handler, undo = capture_logs()
    yield handler
    undo()


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_request_is_refused_at_the_edge(bot, logs, case):
    before = row_counts(bot)
    body, content_type, how = MALFORMED[case]
    if how == "signed":
        r = post(bot, body, content_type)
    elif how == "unsigned":
        r = post(bot, body, content_type, sign=False)
    else:
        r = post(bot, body, content_type, timestamp=how)
    assert r.status_code in (400, 401), (case, r.status_code, r.text[:200])
    bot.drain()
    assert logs.tracebacks() == []
    assert row_counts(bot) == before


def test_too_large_body_is_413_before_it_is_read(bot, logs):
    big = b"payload=" + b"x" * (2 << 20)
    r = post(bot, big)
    assert r.status_code == 413
    assert logs.tracebacks() == []


def test_declared_length_above_the_cap_is_413_without_reading(bot):
    import socket

    host, port = "127.0.0.1", bot.server.port
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 2097152\r\n\r\n{")
        answer = sock.recv(200)
    assert b" 413 " in answer.split(b"\r\n")[0]


def test_unsigned_1mb_body_is_401_and_not_logged(bot, logs):
    body = b"command=%2Fsamverkan&text=" + b"A" * 1_000_000
    r = post(bot, body, sign=False)
    assert r.status_code == 401
    assert logs.tracebacks() == []
    assert logs.longest() < 500
    assert all("AAAAAAAAAA" not in r.getMessage() for r in logs.records if r.levelno >= 20)


def test_signed_request_still_works(bot, logs):
    r = bot.slack.slash_command("/samverkan", "hjälp", user_id="U0POL001", channel_id=bot.cfg.channel)
    assert r.status_code == 200 and "/lagesbild" in r.json()["text"]
    assert bot.slack.url_verification("abc").json()["challenge"] == "abc"
    assert logs.tracebacks() == []


# ---- fuzzed corpus ------------------------------------------------------------------------
_ids = st.sampled_from(["U0POL001", "U0TIB001", "U0OUTSIDER", "", "u1", "U" + "9" * 40, "W0X"])
_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
                     st.floats(allow_nan=True), st.text(max_size=40), _ids,
                     st.sampled_from(["9" * 30, "-1", "0", "abc", "null", "[]", '{"a":1}', "\x00", "\ud800"]))
_json = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                     max_leaves=20)
_action_ids = st.sampled_from(["action_ack", "action_done", "floor_next", "floor_skip", "floor_request",
                               "activation_accept", "activation_decline", "report_open_modal",
                               "report_actor_select", "nonexistent"])
_values = st.one_of(st.text(max_size=30), st.builds(json.dumps, _json), st.integers().map(str),
                    st.sampled_from(["9" * 30, "1:" + "9" * 30, "1:1", "-1", "abc", "", '{"a":"polisen","c":null}',
                                     '{"a":1,"c":null,"o":0,"h":0}', '{"a":"polisen","c":' + "9" * 30 + "}"]))
_action = st.fixed_dictionaries({"action_id": _action_ids, "block_id": st.just("b"), "type": st.just("button")},
                                optional={"value": _values,
                                          "selected_option": st.fixed_dictionaries({"value": _values})})
_members = st.sampled_from(["U0POL001", "U0LST001", "U0TRV002", "U0OUTSIDER"])
_state = st.dictionaries(st.sampled_from(["status", "nothing_new", "lage", "actor", "x"]),
                         st.dictionaries(st.sampled_from(["value", "x"]), st.dictionaries(
                             st.sampled_from(["value", "selected_option", "selected_options", "type"]), _json,
                             max_size=3), max_size=2), max_size=4)
_view = st.fixed_dictionaries({"type": st.just("modal"), "callback_id": st.sampled_from(["report_modal", "x"]),
                               "id": st.just("V0FUZZ")},
                              optional={"private_metadata": _values, "state": st.builds(lambda v: {"values": v},
                                                                                        _state)})
_block_actions = st.fixed_dictionaries({
    "type": st.just("block_actions"), "user": st.builds(user, _members),
    "actions": st.lists(_action, min_size=1, max_size=2), "team": st.just({"id": "T0TEST"})},
    optional={"response_url": st.just(FAKE_URL), "trigger_id": st.just("t.fuzz"), "view": _view,
              "channel": st.just({"id": "C0CONF01"}),
              "message": st.fixed_dictionaries({"ts": st.just("1.2")}, optional={"blocks": _json})})
_submission = st.fixed_dictionaries({"type": st.just("view_submission"), "user": st.builds(user, _members),
                                     "view": _view, "team": st.just({"id": "T0TEST"})})
_malformed_interaction = st.fixed_dictionaries({"type": st.sampled_from(["block_actions", "view_submission"])},
                                               optional={"user": _json, "actions": _json, "view": _json})
_commands = st.builds(lambda c, t, u: urlencode({"command": c, "text": t, "user_id": u, "channel_id": "C0CONF01",
                                                 "trigger_id": f"t.{time.time_ns()}"}),
                      st.sampled_from(["/samverkan", "/lagesbild", "/talarordning", "/atgard", "/aktivera",
                                       "/avaktivera", "/nope", "/"]),
                      st.one_of(st.text(max_size=60), st.sampled_from(["status", "lista", "polisen x senast 9999-12-31",
                                                                       "\x00", "<!channel>", "nästa"])),
                      st.sampled_from(["U0OUTSIDER", "W0X", "u1", ""]))  # no member: nothing may be stored
_bodies = st.one_of(
    st.builds(form_payload, st.one_of(_block_actions, _submission)).map(lambda b: ("form", b)),
    st.builds(form_payload, st.one_of(_malformed_interaction, _json)).map(lambda b: ("form", b)),
    _commands.map(lambda b: ("form", b)),
    st.builds(json.dumps, st.one_of(_json, st.fixed_dictionaries(
        {"type": st.just("event_callback"), "event_id": _scalars, "event": _json}))).map(lambda b: ("json", b)),
    st.binary(max_size=200).map(lambda b: ("form", b)),
)


def test_fuzzed_signed_requests_never_fail(bot):
    """Hypothesis-generated requests, signed like Slack's: never a 500, never a traceback,
    nothing stored (the commands come from people who are no members; the presses find
    nothing to act on)."""
    handler, undo = capture_logs()
    before = row_counts(bot)
    statuses: dict[int, int] = {}
    try:
        @settings(max_examples=int(__import__("os").environ.get("SAMVERKAN_FUZZ_EXAMPLES", "150")),
                  deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(_bodies)
        def one(sample):
            kind, body = sample
            if isinstance(body, str):  # the emulator's response_url: answers reach a real sink
                url = bot.emu.new_response_url()
                body = body.replace(FAKE_URL, url).replace(quote(FAKE_URL, safe=""), quote(url, safe=""))
            content_type = "application/json" if kind == "json" else "application/x-www-form-urlencoded"
            r = post(bot, body, content_type)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            assert r.status_code != 500, body[:300]

        one()
        bot.drain()
    finally:
        undo()
    print("fuzz statuses:", statuses)
    assert 500 not in statuses
    assert handler.tracebacks() == []
    errors = [r.getMessage()[:200] for r in handler.records if r.levelno >= logging.ERROR]
    assert errors == []  # nothing the edge let through made Bolt or a listener fail
    assert row_counts(bot) == before


# ---- the edge alone (any WSGI server) ---------------------------------------------------
def _call_edge(environ: dict) -> tuple[str, bytes, list]:
    import io

    from bot.edge import guard

    reached = []

    def inner(env, start_response):
        reached.append(env)
        start_response("200 OK", [])
        return [b"inner"]

    seen = {}
    environ = {"PATH_INFO": "/slack/events", "REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO(b""), **environ}
    body = b"".join(guard(inner, "s3cret")(environ, lambda status, headers: seen.update(status=status)))
    return seen["status"], body, reached


class _Endless:
    """A body that never ends: the edge must stop reading."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, n=-1):
        n = 1 << 16 if n is None or n < 0 else n
        self.read_bytes += n
        return b"x" * n


def test_edge_refuses_by_content_length_without_reading():
    stream = _Endless()
    status, _, reached = _call_edge({"CONTENT_LENGTH": str(2 << 20), "wsgi.input": stream})
    assert status.startswith("413") and stream.read_bytes == 0 and not reached


def test_edge_caps_the_read_of_a_body_without_length():
    from bot.edge import MAX_BODY

    stream = _Endless()
    status, _, reached = _call_edge({"wsgi.input": stream})
    assert status.startswith("413") and stream.read_bytes <= MAX_BODY + 1 and not reached


def test_edge_refuses_a_content_length_that_is_no_number():
    assert _call_edge({"CONTENT_LENGTH": "12abc"})[0].startswith("400")


def test_edge_passes_other_paths_untouched():
    status, body, reached = _call_edge({"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"})
    assert status == "200 OK" and body == b"inner" and reached
