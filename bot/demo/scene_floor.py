"""Demo scene: the floor moves through the actors (run after the opening scene)."""
from __future__ import annotations

from typing import Any

from bot.floor.messages import NEXT, REQ, SKIP


def _headline(w: Any) -> dict | None:
    """The live headline: the thread message with the floor's buttons (the latest root with one)."""
    for root in reversed(w.emu.messages(w.cfg.channel)):
        for msg in w.emu.thread(w.cfg.channel, root["ts"]):
            if any(b.get("block_id", "").startswith("floor:") for b in msg.get("blocks") or []):
                return msg
    return None


def _press(w: Any, user: str, action_id: str) -> None:
    w.drain()
    message = _headline(w)
    if message is None:
        w.say("demo", w.t("demo_floor_missing"))
        return
    w.slack.block_action(user, action_id, message=message)
    w.drain()


def floor_round(w: Any) -> None:
    w.note("16:21", "demo_floor_round")
    w.at("16:21")
    leader = w.t("demo_host_tib")
    next_button, skip_button = w.t("floor_button_next"), w.t("floor_button_skip")
    w.say(leader, w.t("demo_press", button=next_button))
    _press(w, "U0LST001", NEXT)
    w.say(w.t("demo_trv_participant"), w.t("demo_floor_request", button=w.t("floor_button_request")))
    _press(w, "U0TRV002", REQ)
    w.say(leader, w.t("demo_floor_question_first", button=next_button))
    _press(w, "U0LST001", NEXT)
    w.say(leader, w.t("demo_press", button=next_button))
    _press(w, "U0LST001", NEXT)
    w.say(leader, w.t("demo_floor_skip", button=skip_button))
    _press(w, "U0LST001", SKIP)
    w.say(leader, w.t("demo_floor_skip_silent", button=skip_button))
    _press(w, "U0LST001", SKIP)
