"""Demo scene: a short activation. Trafikverket's TiB asks for activated mode on an SMHI
class-2 snow warning, a koordinator accepts with the button and sets one avstämning
(`short_activation`); after actors have reported in it, the bot calls everyone in again
at that time and the koordinator returns to ordinarie läge (`activation_end`)."""
from __future__ import annotations

from bot.activation.messages import ACCEPT_ACTION
from bot.demo.scenes import DemoWorld

REQUESTER = "U0TRV001"  # Trafikverket's TiB
KOORDINATOR = "U0LST002"  # regional samverkanskoordinator at Länsstyrelsen
REASON = "SMHI klass 2-varning: mycket snö, 20–30 cm inom 24 timmar i hela länet"


def _request_message(w: DemoWorld) -> dict | None:
    for m in reversed(w.emu.messages(w.cfg.channel)):
        if any(b.get("type") == "actions" and any(e.get("action_id") == ACCEPT_ACTION for e in b["elements"])
               for b in m.get("blocks") or []):
            return m
    return None


def short_activation(w: DemoWorld) -> None:
    w.out("10.30  SMHI varnar för mycket snö. Trafikverkets TiB begär aktiverat läge.")
    w.at("10:30")
    w.say("TiB Trafikverket", f"/aktivera {REASON}")
    w.slack.slash_command("/aktivera", REASON, user_id=REQUESTER, channel_id=w.cfg.channel)
    w.drain()

    w.out("10.32  Koordinatorn trycker Aktivera: alla aktörers TiB kallas.")
    w.at("10:32")
    request = _request_message(w)
    if request is None:
        w.out("  (ingen begäran syns i kanalen)")
        return
    answered = len(w.emu.response_posts)
    w.slack.block_action(KOORDINATOR, ACCEPT_ACTION, message=request)
    w.emu.wait_for(lambda: len(w.emu.response_posts) > answered, timeout=10)
    w.drain()

    w.say("Koordinatorn (Länsstyrelsen)", "/aktivera avstämning 13:00")
    w.slack.slash_command("/aktivera", "avstämning 13:00", user_id=KOORDINATOR, channel_id=w.cfg.channel)
    w.drain()


def activation_end(w: DemoWorld) -> None:
    w.out("13.00  Avstämning: boten påminner de kallade aktörerna i tråden och per DM.")
    w.at("13:00")
    w.drain()

    w.out("13.30  Varningen är nedgraderad. Koordinatorn återgår till ordinarie läge.")
    w.at("13:30")
    w.say("Koordinatorn (Länsstyrelsen)", "/avaktivera Varningen nedgraderad till klass 1; vägarna plogade.")
    w.slack.slash_command("/avaktivera", "Varningen nedgraderad till klass 1; vägarna plogade.",
                          user_id=KOORDINATOR, channel_id=w.cfg.channel)
    w.drain()
