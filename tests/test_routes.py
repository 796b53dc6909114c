"""handlers.routes: one Bolt listener per kind hands each request to the listener named
for it; a name nobody registered is not matched (Bolt answers 404 as before)."""
from __future__ import annotations

import json
import re

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest

from handlers.routes import Routes


@pytest.fixture
def routed():
    from slack_bolt.authorization import AuthorizeResult

    def authorize(enterprise_id, team_id, user_id):  # no auth.test: Slack is not reachable here
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token="xoxb-test",
                               bot_user_id="UBOT", bot_id="BBOT")

    app = App(signing_secret="s", authorize=authorize, request_verification_enabled=False,
              process_before_response=True)
    seen: list[tuple[str, str]] = []
    routes = Routes(app)

    def listener(name):
        def fn(ack, body, context):  # names only what it needs, as the modules' listeners do
            seen.append((name, body.get("command") or body["actions"][0]["action_id"] if "actions" in body
                         else body.get("command") or body["view"]["callback_id"]))
            ack()
        return fn

    routes.command("/atgard")(listener("atgard"))
    routes.command("/lagesbild")(listener("lagesbild"))
    routes.action("action_ack")(listener("ack"))
    routes.action(re.compile("^floor_(next|skip)$"))(listener("floor"))
    routes.view("report_modal")(listener("report"))
    routes.install()
    return app, seen


def _command(name: str) -> BoltRequest:
    return BoltRequest(body=f"command={name}&text=x&user_id=U1&team_id=T1", headers={
        "content-type": ["application/x-www-form-urlencoded"]})


def _interaction(payload: dict) -> BoltRequest:
    from urllib.parse import urlencode
    return BoltRequest(body=urlencode({"payload": json.dumps(payload)}), headers={
        "content-type": ["application/x-www-form-urlencoded"]})


def test_each_request_reaches_the_listener_named_for_it(routed):
    app, seen = routed
    assert [type(m).__name__ for l in app._listeners for m in l.matchers] == ["BuiltinListenerMatcher"] * 3
    assert app.dispatch(_command("/lagesbild")).status == 200
    assert app.dispatch(_command("/atgard")).status == 200
    for action_id in ("action_ack", "floor_skip"):
        assert app.dispatch(_interaction({"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T1"},
                                          "actions": [{"action_id": action_id, "block_id": "b"}]})).status == 200
    assert app.dispatch(_interaction({"type": "view_submission", "user": {"id": "U1"}, "team": {"id": "T1"},
                                      "view": {"type": "modal", "callback_id": "report_modal", "state": {"values": {}}}})).status == 200
    assert seen == [("lagesbild", "/lagesbild"), ("atgard", "/atgard"), ("ack", "action_ack"),
                    ("floor", "floor_skip"), ("report", "report_modal")]


def test_a_name_nobody_registered_is_not_matched(routed):
    app, seen = routed
    assert app.dispatch(_command("/atgardx")).status == 404  # not a prefix match
    assert app.dispatch(_interaction({"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T1"},
                                      "actions": [{"action_id": "floor_next_x", "block_id": "b"}]})).status == 404
    assert seen == []


def test_a_name_registered_twice_is_refused():
    routes = Routes(App(token="xoxb-test", signing_secret="s", token_verification_enabled=False))
    routes.command("/atgard")(lambda ack: None)
    with pytest.raises(ValueError, match="already"):
        routes.command("/atgard")(lambda ack: None)
