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
    w.note("16:40", "demo_actions")
    w.at("16:40")
    leader = w.t("demo_host_tib")
    text = w.t("demo_text_action")
    w.say(leader, f"/atgard {text}")
    r = w.slack.slash_command("/atgard", text, user_id="U0LST001", channel_id=w.cfg.channel)
    answer = r.json().get("text", "") if r.text else f"HTTP {r.status_code}"
    w.out(f"      {w.t('demo_only_for', who=leader.split(' (')[0])} {answer}")
    lyft = w.t("demo_text_raise")
    w.say(leader, f"/atgard {lyft}")
    w.slack.slash_command("/atgard", lyft, user_id="U0LST001", channel_id=w.cfg.channel)
    w.drain()


def acknowledge(w: Any) -> None:
    w.note("17:20", "demo_acknowledge")
    w.at("17:20")
    w.drain()
    message = _item_message(w, 1)
    if message is None:
        w.say("demo", w.t("demo_item_missing"))
        return
    ack = w.t("action_button_ack")
    w.say(w.t("demo_tib", actor="Polisen"), w.t("demo_press_wrong_actor", button=ack))
    w.slack.block_action("U0POL001", ACK_ACTION, message=message, channel_id=message["channel"])
    w.say(w.t("demo_tib", actor="Trafikverket"), w.t("demo_press", button=ack))
    w.slack.block_action("U0TRV001", ACK_ACTION, message=message, channel_id=message["channel"])
    w.drain()
