"""Demo scene: a short activation. Trafikverket's TiB asks for activated mode on an SMHI
class-2 snow warning, a koordinator accepts with the button and sets one avstämning
(`short_activation`); after actors have reported in it, the bot calls everyone in again
at that time and the koordinator returns to ordinarie läge (`activation_end`)."""
from __future__ import annotations

from bot.activation.messages import ACCEPT_ACTION
from bot.demo.scenes import DemoWorld

REQUESTER = "U0TRV001"  # Trafikverket's TiB
KOORDINATOR = "U0LST002"  # regional samverkanskoordinator at Länsstyrelsen


def _request_message(w: DemoWorld) -> dict | None:
    for m in reversed(w.emu.messages(w.cfg.channel)):
        if any(b.get("type") == "actions" and any(e.get("action_id") == ACCEPT_ACTION for e in b["elements"])
               for b in m.get("blocks") or []):
            return m
    return None


def short_activation(w: DemoWorld) -> None:
    w.note("10:30", "demo_activation_request")
    w.at("10:30")
    reason = w.t("demo_activation_reason")
    w.say(w.t("demo_tib", actor="Trafikverket"), f"/aktivera {reason}")
    w.slack.slash_command("/aktivera", reason, user_id=REQUESTER, channel_id=w.cfg.channel)
    w.drain()

    w.note("10:32", "demo_activation_accept", button=w.r.t("activation_button_accept"))
    w.at("10:32")
    request = _request_message(w)
    if request is None:
        w.out("  " + w.t("demo_activation_no_request"))
        return
    answered = len(w.emu.response_posts)
    w.slack.block_action(KOORDINATOR, ACCEPT_ACTION, message=request)
    w.emu.wait_for(lambda: len(w.emu.response_posts) > answered, timeout=10)
    w.drain()

    w.say(w.t("demo_coordinator_lst"), "/aktivera avstämning 13:00")
    w.slack.slash_command("/aktivera", "avstämning 13:00", user_id=KOORDINATOR, channel_id=w.cfg.channel)
    w.drain()


def activation_end(w: DemoWorld) -> None:
    w.note("13:00", "demo_activation_checkin")
    w.at("13:00")
    w.drain()

    w.note("13:30", "demo_activation_end")
    w.at("13:30")
    comment = w.t("demo_activation_comment")
    w.say(w.t("demo_coordinator_lst"), f"/avaktivera {comment}")
    w.slack.slash_command("/avaktivera", comment, user_id=KOORDINATOR, channel_id=w.cfg.channel)
    w.drain()
