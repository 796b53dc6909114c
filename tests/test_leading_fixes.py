"""Found when tried as a new user (issue 10, item 8), over HTTP against the emulator."""
from __future__ import annotations

from bot.floor.messages import NEXT, REQ
from tests.helpers import block_text
from tests.test_activation import CH, KOORD, activate, activation_root, command
from tests.test_leading_support import LEADER, TRV_DELTAGARE, open_conference, press, thread


def _headline(messages: list[dict]) -> dict:
    return next(m for m in messages if any(b.get("block_id", "").startswith("floor:") for b in m.get("blocks") or []))


def test_after_avaktivera_the_speaking_order_has_no_buttons_and_names_the_activation_by_number(bot):
    activate(bot)
    root = activation_root(bot)
    headline = _headline(bot.emu.thread(CH, root["ts"]))
    assert "*Talarordning, aktiverat läge nr 1*" in block_text(headline) and "v. 48" not in block_text(headline)
    assert any(b["type"] == "actions" for b in headline["blocks"])
    command(bot, "/avaktivera", "Klart", KOORD)
    bot.drain()
    after = next(m for m in bot.emu.thread(CH, root["ts"]) if m["ts"] == headline["ts"])
    assert after.get("edits") and not any(b["type"] == "actions" for b in after["blocks"])


def test_har_talat_counts_turns_not_questions(bot):
    conf = open_conference(bot)
    press(bot, LEADER, _headline(thread(bot, conf)), NEXT)  # the host spoke; Polisen has the floor
    press(bot, TRV_DELTAGARE, _headline(thread(bot, conf)), REQ)  # a question by Trafikverket, after Polisen
    press(bot, LEADER, _headline(thread(bot, conf)), NEXT)  # Polisen spoke; the question is asked
    press(bot, LEADER, _headline(thread(bot, conf)), NEXT)  # the question is done; SOS Alarm has the floor
    shown = block_text(_headline(thread(bot, conf)))
    assert "*Har talat (2 av 37):*" in shown and "Trafikverket (fråga/kommentar)" in shown
