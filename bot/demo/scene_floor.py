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
        w.say("demo", "ingen talarordning hittades (är konferensen öppen?)")
        return
    w.slack.block_action(user, action_id, message=message)
    w.drain()


def floor_round(w: Any) -> None:
    w.out("16.21  Talarordningen: värden har ordet, koordinatorn ger ordet vidare.")
    w.at("16:21")
    leader = "Länsstyrelsens TiB (koordinator)"
    w.say(leader, "trycker Nästa")
    _press(w, "U0LST001", NEXT)
    w.say("Trafikverkets deltagare", "trycker Begär ordet: en fråga till Polisen")
    _press(w, "U0TRV002", REQ)
    w.say(leader, "trycker Nästa: frågan går före nästa aktör")
    _press(w, "U0LST001", NEXT)
    w.say(leader, "trycker Nästa")
    _press(w, "U0LST001", NEXT)
    w.say(leader, "SOS Alarm har inget nytt och avstår: trycker Hoppa över")
    _press(w, "U0LST001", SKIP)
    w.say(leader, "Storstockholms brandförsvar svarar inte och har inte rapporterat: trycker Hoppa över")
    _press(w, "U0LST001", SKIP)
