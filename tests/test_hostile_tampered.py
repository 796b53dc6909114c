"""Tampered values in signed, well-formed requests (what a person can change in their own
Slack client): each answered with the usual Swedish refusal, never a 500, no traceback in
the log, nothing stored."""
from __future__ import annotations

import copy
import time

import pytest

from tests.hostile import capture_logs, form_payload, post, row_counts, user
from tests.test_report_support import open_modal, slack_values

HUGE = "9" * 30


def _press(bot, action_id: str, value: str | None = None, *, who: str = "U0POL001", response_url: bool = True,
           view: dict | None = None, selected: str | None = None):
    action = {"action_id": action_id, "block_id": "b", "type": "button", "action_ts": f"{time.time():.6f}"}
    if value is not None:
        action["value"] = value
    if selected is not None:
        action.update(type="static_select", selected_option={"text": {"type": "plain_text", "text": "x"},
                                                             "value": selected})
    payload = {"type": "block_actions", "user": user(who), "api_app_id": "A0SAMVERK", "token": "t",
               "team": {"id": "T0TEST", "domain": "emulator"}, "actions": [action],
               "trigger_id": bot.emu.new_trigger_id(user_id=who)}
    if view is not None:
        payload.update(view=view, container={"type": "view", "view_id": view["id"]})
    else:
        payload.update(channel={"id": bot.cfg.channel, "name": "samverkan"},
                       container={"type": "message", "channel_id": bot.cfg.channel, "message_ts": "1.000001"},
                       message={"type": "message", "ts": "1.000001", "text": "x", "blocks": []})
        if response_url:
            payload["response_url"] = bot.emu.new_response_url()
    return post(bot, form_payload(payload))


def _submit(bot, view: dict, metadata: str | None):
    tampered = copy.deepcopy(view)
    if metadata is None:
        tampered.pop("private_metadata", None)
    else:
        tampered["private_metadata"] = metadata
    return bot.slack.view_submission("U0POL001", tampered, slack_values(view, {"lage": "Lugnt i city."}))


PRESSES = {
    "Kvittera with a 30-digit id": ("action_ack", HUGE),
    "Klar with a negative id": ("action_done", "-5"),
    "Klar with text for an id": ("action_done", "abc"),
    "Klar with no value": ("action_done", None),
    "Nästa with a 30-digit conference": ("floor_next", f"{HUGE}:1"),
    "Hoppa över with a 30-digit turn": ("floor_skip", f"1:{HUGE}"),
    "Begär ordet with JSON": ("floor_request", '{"c": 1}'),
    "Aktivera with a 30-digit request": ("activation_accept", HUGE),
    "Avböj with a JSON list": ("activation_decline", "[1, 2]"),
    "report button JSON list": ("report_open_modal", "[1, 2]"),
    "report button wrong keys": ("report_open_modal", '{"a": 5}'),
    "report button 30-digit conference": ("report_open_modal", '{"a": "polisen", "c": ' + HUGE + "}"),
    "report button conference as text": ("report_open_modal", '{"a": "polisen", "c": "1"}'),
    "report button not JSON": ("report_open_modal", "{polisen"),
}

METADATA = {
    "private_metadata not JSON": "{not json",
    "private_metadata empty": "",
    "private_metadata missing": None,
    "private_metadata a JSON list": "[1, 2]",
    "private_metadata null": "null",
    "private_metadata actor null": '{"a": null, "c": null, "o": 0, "h": 0}',
    "private_metadata actor a string": '{"a": "polisen", "c": null, "o": 0, "h": 0}',
    "private_metadata 30-digit actor": '{"a": ' + HUGE + ', "c": null, "o": 0, "h": 0}',
    "private_metadata 30-digit conference": '{"a": 1, "c": ' + HUGE + ', "o": 0, "h": 0}',
}


@pytest.fixture
def logs():
    handler, undo = capture_logs()
    yield handler
    undo()


def _new_answers(bot, before: int, timeout: float = 5.0) -> list[str]:
    bot.emu.wait_for(lambda: len(bot.emu.response_posts) > before, timeout=timeout)
    bot.drain()
    return [str(p["json"]) for p in bot.emu.response_posts[before:]]


@pytest.mark.parametrize("case", sorted(PRESSES))
def test_tampered_button_value_is_refused(bot, logs, case):
    before_rows, before_posts = row_counts(bot), len(bot.emu.response_posts)
    action_id, value = PRESSES[case]
    r = _press(bot, action_id, value)
    assert r.status_code == 200, (case, r.status_code)
    answers = _new_answers(bot, before_posts)
    assert answers and "Något gick fel" not in answers[0], (case, answers)  # a refusal, not the apology
    assert logs.tracebacks() == [], case
    assert row_counts(bot) == before_rows


@pytest.mark.parametrize("case", sorted(METADATA))
def test_tampered_private_metadata_is_refused(bot, logs, case):
    view = open_modal(bot, "U0POL001")
    before = row_counts(bot)
    r = _submit(bot, view, METADATA[case])
    assert r.status_code == 200, (case, r.status_code)
    body = r.json() if r.text else {}
    shown = str(body)
    assert "inte" in shown and "Något gick fel" not in shown, (case, shown[:300])
    assert logs.tracebacks() == [], case
    assert row_counts(bot) == before


def test_actor_select_value_abc_is_refused(bot, logs):
    view = open_modal(bot, "U0POL001")
    before_rows, before_posts = row_counts(bot), len(bot.emu.response_posts)
    r = _press(bot, "report_actor_select", view=view, selected="abc")
    assert r.status_code == 200
    bot.drain()
    assert logs.tracebacks() == []
    assert row_counts(bot) == before_rows


def test_press_without_response_url_is_no_failure(bot, logs):
    assert bot.slack.slash_command("/atgard", "polisen Kontrollera larmkedjan", user_id="U0LST001").status_code == 200
    bot.drain()
    before = row_counts(bot)
    for who, action in (("U0TRV001", "action_ack"), ("U0TRV001", "action_done"), ("U0POL001", "floor_request")):
        r = _press(bot, action, "1", who=who, response_url=False)  # a stranger's refusal has nowhere to go
        assert r.status_code == 200
    bot.drain()
    assert logs.tracebacks() == []
    assert row_counts(bot) == before
