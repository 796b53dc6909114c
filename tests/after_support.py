"""Helpers for the after-the-conference tests (no tests here)."""
from __future__ import annotations

from sqlalchemy import select

from tests.helpers import text_of

KOORD, KOORD2, POLIS, TRV, OUTSIDER = "U0LST001", "U0LST002", "U0POL001", "U0TRV001", "U0OUTSIDER"


def samverkan(bot, text: str, user: str = KOORD, *, modal: bool = False) -> str:
    """`/samverkan <text>`: the acknowledgement's text (an empty ack: the first response_url post;
    `modal`: the command opens a modal and says nothing)."""
    before = len(bot.emu.response_posts)
    r = bot.slack.slash_command("/samverkan", text, user_id=user, channel_id=bot.cfg.channel)
    assert r.status_code == 200, r.text
    body = r.json() if r.text else {}
    if body.get("text") or body.get("blocks"):
        bot.drain()
        return text_of(body)
    if modal:
        return ""
    assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) > before, timeout=20), "no answer"
    bot.drain()
    return text_of(bot.emu.response_posts[before]["json"])


def press(bot, user: str, action_id: str, *, message: dict | None = None, value: str | None = None) -> list[dict]:
    """A button press; the ephemeral answers it caused (none if it opened a modal)."""
    before = len(bot.emu.response_posts)
    r = bot.slack.block_action(user, action_id, value=value, message=message, channel_id=bot.cfg.channel)
    assert r.status_code == 200, r.text
    bot.drain()
    bot.emu.wait_for(lambda: len(bot.emu.response_posts) > before, timeout=1)
    return [p["json"] for p in bot.emu.response_posts[before:]]


def new_view(bot, known: set, callback_id: str) -> dict:
    def found():
        return [v for k, v in bot.emu.views.items() if k not in known and v.get("callback_id") == callback_id]

    assert bot.emu.wait_for(found, timeout=10), f"no new {callback_id} modal"
    return found()[-1]


def rows(bot, model, *where):
    with bot.ctx.sf() as s:
        return list(s.scalars(select(model).where(*where).order_by(model.id)))
