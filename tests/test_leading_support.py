"""Helpers for the tests of leading the conference (no tests here)."""
from __future__ import annotations

from tests.helpers import view_state

from tests.helpers import text_of, thread  # noqa: F401  (re-exported)
from tests.test_report_support import new_view
from tests.test_summary_support import at, close_conference, open_conference  # noqa: F401

LEADER, HOST_TIB, POLICE, TRV, TRV_DELTAGARE = "U0LST002", "U0LST001", "U0POL001", "U0TRV001", "U0TRV002"


def samverkan(bot, text: str, user: str = LEADER) -> str:
    """`/samverkan <text>`; the acknowledgement's text ("" for a modal)."""
    r = bot.slack.slash_command("/samverkan", text, user_id=user, channel_id=bot.cfg.channel)
    assert r.status_code == 200, r.text
    bot.drain()
    return r.json().get("text", "") if r.text else ""


def open_samverkan_modal(bot, text: str, callback_id: str, user: str = LEADER) -> dict:
    known = set(bot.emu.views)
    assert samverkan(bot, text, user) == ""
    return new_view(bot, known, callback_id)


def values(view: dict, changes: dict) -> dict:
    return view_state(view, changes)


def submit(bot, user: str, view: dict, **changes):
    r = bot.slack.view_submission(user, view, values(view, changes))
    assert r.status_code == 200, r.text
    bot.drain()
    return r.json() if r.text else {}


def press(bot, user: str, message: dict, action_id: str):
    """Presses a button of a posted message; returns the ephemeral answer's text, if any."""
    before = len(bot.emu.response_posts)
    r = bot.slack.block_action(user, action_id, message=message)
    assert r.status_code == 200, r.text
    bot.drain()
    bot.emu.wait_for(lambda: len(bot.emu.response_posts) > before, timeout=1.0)
    posts = bot.emu.response_posts[before:]
    return posts[-1]["json"].get("text", "") if posts else ""


def press_for_modal(bot, user: str, message: dict, action_id: str, callback_id: str) -> dict:
    known = set(bot.emu.views)
    r = bot.slack.block_action(user, action_id, message=message)
    assert r.status_code == 200, r.text
    return new_view(bot, known, callback_id)


def find(messages: list[dict], needle: str) -> dict:
    found = [m for m in messages if needle in text_of(m)]
    assert found, f"no message with {needle!r}"
    return found[-1]


def latest(bot, message: dict) -> dict:
    """The message as it stands now (after edits)."""
    return next(m for m in bot.emu.all_posts() if m["ts"] == message["ts"] and m["channel"] == message["channel"])
