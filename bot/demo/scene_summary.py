"""Demo scenes of the summary capability: an action item during the meeting (run after
the opening scene) and its acknowledgement after the close (run after the closing scene,
whose close posts the samlad lägesbild through summary_flows.on_close)."""
from __future__ import annotations

from typing import Any

from bot.actions.messages import ACK_ACTION


def _item_message(w: Any, item_id: int) -> dict | None:
    for post in w.emu.all_posts():
        if any(b.get("block_id") == f"action:{item_id}" for b in post.get("blocks") or []):
            return post
    return None


def action_items(w: Any) -> None:
    w.out("16.40  Åtgärder: koordinatorn registrerar en åtgärdspunkt för Trafikverket.")
    w.at("16:40")
    text = "trafikverket Samordna information om vägläget senast fredag"
    w.say("Länsstyrelsens TiB (koordinator)", f"/atgard {text}")
    r = w.slack.slash_command("/atgard", text, user_id="U0LST001", channel_id=w.cfg.channel)
    w.out("      (bara för Länsstyrelsens TiB) " + (r.json().get("text", "") if r.text else f"HTTP {r.status_code}"))
    lyft = "lyft Behov av gemensam kommunikation om vinterväglag inför helgen"
    w.say("Länsstyrelsens TiB (koordinator)", f"/atgard {lyft}")
    w.slack.slash_command("/atgard", lyft, user_id="U0LST001", channel_id=w.cfg.channel)
    w.drain()


def acknowledge(w: Any) -> None:
    w.out("17.20  Trafikverkets TiB kvitterar åtgärdspunkten.")
    w.at("17:20")
    w.drain()
    message = _item_message(w, 1)
    if message is None:
        w.say("demo", "åtgärdspunkten hittades inte")
        return
    w.say("TiB Polisen", "trycker Kvittera (fel aktör: avvisas, bara för honom)")
    w.slack.block_action("U0POL001", ACK_ACTION, message=message, channel_id=message["channel"])
    w.say("TiB Trafikverket", "trycker Kvittera")
    w.slack.block_action("U0TRV001", ACK_ACTION, message=message, channel_id=message["channel"])
    w.drain()
