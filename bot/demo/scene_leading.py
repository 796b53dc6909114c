"""Demo scenes of leading the conference: the agenda set the day before, a question
between actors and its answer, a note and *Till protokollet*, a trade-off acknowledged,
a declined action item, the joint analysis, the close warning and an extension."""
from __future__ import annotations

from datetime import datetime, time as dtime, timedelta
from typing import Any

from samverkan_emulator.client import message_shortcut

from bot.demo.printer import plain
from bot.demo.scenes import DemoWorld

KOORDINATOR, HOST_TIB = "U0LST002", "U0LST001"
POLICE, TRV, TRV_DELTAGARE = "U0POL001", "U0TRV001", "U0TRV002"


def _answer_text(w: DemoWorld, response: Any) -> str:
    """The answer the person sees, with people named (never by user id)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if "view" in body:
        text = " ".join(b.get("text", {}).get("text", "") for b in body["view"].get("blocks", []))
    else:
        text = body.get("text") or ""
    return " ".join(plain(text, lambda uid: (w.emu.state.users.get(uid) or {}).get("name", "?")).split())


def _samverkan(w: DemoWorld, who: str, user: str, text: str) -> None:
    w.say(who, f"/samverkan {text}")
    answer = _answer_text(w, w.slack.slash_command("/samverkan", text, user_id=user, channel_id=w.cfg.channel))
    if answer:
        w.out(f"      (bara för {who.split(' (')[0]}) {answer}")
    w.drain()


def _values(view: dict, changes: dict[str, Any]) -> dict:
    """state.values as Slack's client sends them: inputs keep their initial values unless changed."""
    out: dict = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        el, bid = block["element"], block["block_id"]
        if el["type"] == "plain_text_input":
            entry = {"type": el["type"], "value": changes.get(bid, el.get("initial_value"))}
        elif el["type"] == "static_select":
            chosen = next((o for o in el["options"] if o["value"] == changes.get(bid)), el.get("initial_option"))
            entry = {"type": el["type"], "selected_option": chosen}
        else:  # multi_static_select
            wanted = changes.get(bid)
            chosen = ([o for o in el["options"] if o["value"] in wanted] if wanted is not None
                      else el.get("initial_options", []))
            entry = {"type": el["type"], "selected_options": chosen}
        out[bid] = {el["action_id"]: entry}
    return out


def _submit_modal(w: DemoWorld, who: str, user: str, known: set[str], callback_id: str, changes: dict[str, Any],
                  what: str) -> None:
    found: list[dict] = []

    def opened() -> bool:
        found[:] = [v for k, v in w.emu.views.items() if k not in known and v.get("callback_id") == callback_id]
        return bool(found)

    if not w.emu.wait_for(opened, timeout=5):
        w.out("      (formuläret öppnades inte)")
        return
    w.say(who, f"fyller i formuläret och skickar ({what})")
    answer = _answer_text(w, w.slack.view_submission(user, found[-1], _values(found[-1], changes)))
    if answer:
        w.out(f"      (i formuläret) {answer}")
    w.drain()


def _find(w: DemoWorld, needle: str, channel: str | None = None) -> dict | None:
    posts = w.emu.all_posts()
    return next((m for m in reversed(posts) if needle in str(m.get("blocks") or m.get("text"))
                 and (channel is None or m["channel"] == channel)), None)


def _press(w: DemoWorld, who: str, user: str, message: dict | None, action_id: str) -> None:
    """Presses a button; an answer only for that person is shown (the flow runs before the
    acknowledgement, so it is there once the press returns)."""
    if message is None:
        w.out("      (meddelandet hittades inte)")
        return
    before = len(w.emu.response_posts)
    w.slack.block_action(user, action_id, message=message)
    w.drain()
    if w.emu.wait_for(lambda: len(w.emu.response_posts) > before, timeout=0.1):
        text = " ".join(plain(w.emu.response_posts[-1]["json"].get("text") or "",
                              lambda uid: (w.emu.state.users.get(uid) or {}).get("name", "?")).split())
        if text:
            w.out(f"      (bara för {who.split(' (')[0]}) {text}")


def _at_day_before(w: DemoWorld, hhmm: str) -> None:
    h, m = map(int, hhmm.split(":"))
    w.clock.set(datetime.combine(w.day - timedelta(days=1), dtime(h, m), w.cfg.tz))
    w.rt.scheduler.tick()


# ---- the day before ---------------------------------------------------------------------------

def agenda_the_day_before(w: DemoWorld) -> None:
    w.out("Onsdag 14.00  Koordinatorn sätter morgondagens dagordning och ber Trafikverket förbereda en punkt.")
    _at_day_before(w, "14:00")
    known = set(w.emu.views)
    w.say("Koordinatorn (Länsstyrelsen)", "/samverkan dagordning  (formuläret öppnas, ifyllt med standardpunkterna)")
    w.slack.slash_command("/samverkan", "dagordning", user_id=KOORDINATOR, channel_id=w.cfg.channel)
    _submit_modal(w, "Koordinatorn (Länsstyrelsen)", KOORDINATOR, known, "agenda_modal", {
        "p3_title": "Vinterväglag och kollektivtrafik", "p3_kind": "diskussion",
        "p3_purpose": "Läget på vägarna och vad det betyder för bussar och pendeltåg.", "p3_prepare": ["trafikverket"],
        "p4_title": "Kommunikation", "p4_kind": "överenskommelse",
        "p4_purpose": "Gemensamt budskap om halka och resor inför helgen."},
        "punkt 3 Vinterväglag, förbereds av Trafikverket; punkt 4 Kommunikation, överenskommelse")
    dm = _find(w, "ombeds förbereda", "D" + TRV[1:])
    if dm is not None:
        w.out("      Trafikverkets TiB får ett direktmeddelande: Trafikverket ombeds förbereda punkten.")

    w.out("Onsdag 15.30  Polisen frågar Trafikverket mellan konferenserna.")
    _at_day_before(w, "15:30")
    _samverkan(w, "TiB Polisen", POLICE, "fråga trafikverket Hur länge blir E4 norrut avstängd vid Häggvik?")
    _samverkan(w, "TiB Region Stockholm", "U0RST001",
               "fråga polisen Behöver ni stöd av sjukvården vid demonstrationen på fredag?")


# ---- the conference day ------------------------------------------------------------------------

def answer_question(w: DemoWorld) -> None:
    w.out("08.15  Trafikverkets TiB svarar på Polisens fråga med Svara i direktmeddelandet.")
    w.at("08:15")
    dm = _find(w, "question_answer", "D" + TRV_DELTAGARE[1:]) or _find(w, "question_answer", "D" + TRV[1:])
    if dm is None:
        w.out("      (frågan hittades inte)")
        return
    known = set(w.emu.views)
    answerer = TRV if dm["channel"] == "D" + TRV[1:] else TRV_DELTAGARE
    w.slack.block_action(answerer, "question_answer", message=dm)
    _submit_modal(w, "TiB Trafikverket", answerer, known, "question_answer_modal",
                  {"answer": "Till kl. 05 i natt; omledning via Enköpingsvägen."}, "svaret")
    w.out("      Polisens TiB får svaret i ett direktmeddelande. Region Stockholms fråga till Polisen är obesvarad.")


def reports_during_activation(w: DemoWorld) -> None:
    w.out("11.00  Under aktiverat läge rapporterar aktörerna i det aktiverade lägets tråd.")
    w.at("11:00")
    for who, user, text in (
            ("TiB Trafikverket", TRV, "Plogning pågår på E4 och E18; risk för köer i eftermiddag."),
            ("TiB Stockholms stad", "U0STH001", "Extra snöröjning beställd; skolorna öppna.")):
        w.say(who, f"/lagesbild {text}")
        answer = _answer_text(w, w.slack.slash_command("/lagesbild", text, user_id=user, channel_id=w.cfg.channel))
        if answer:
            w.out(f"      (bara för {who}) {answer}")
    w.drain()


def record_and_trade_off(w: DemoWorld) -> None:
    w.out("16.25  Protokollet: koordinatorn antecknar, och lägger Trafikverkets inlägg i tråden till protokollet.")
    w.at("16:25")
    root = _conference_root(w)
    _samverkan(w, "Koordinatorn (Länsstyrelsen)", KOORDINATOR,
               "notera Polisen och Trafikverket samordnar avstängningar vid demonstrationen.")
    if root is not None:
        said = w.emu.post_as_user(w.cfg.channel, TRV, "Vi skyltar om omledningen vid Häggvik till kl. 05.",
                                  thread_ts=root["ts"])
        w.say("TiB Trafikverket", "skriver i tråden: Vi skyltar om omledningen vid Häggvik till kl. 05.")
        w.say("Koordinatorn (Länsstyrelsen)", "väljer Till protokollet i meddelandets meny")
        message_shortcut(w.slack, KOORDINATOR, "till_protokollet", said)
        w.drain()

    w.out("16.30  En avgörande avvägning upprepas så att den är tydlig för alla; aktörerna trycker Uppfattat.")
    w.at("16:30")
    _samverkan(w, "Koordinatorn (Länsstyrelsen)", KOORDINATOR,
               "avvägning Vi prioriterar framkomlighet för blåljus före kollektivtrafik på E4 i kväll.")
    tradeoff = _find(w, "tradeoff_ack")
    for who, user in (("TiB Trafikverket", TRV), ("TiB Polisen", POLICE), ("Trafikverkets deltagare", TRV_DELTAGARE)):
        w.say(who, "trycker Uppfattat")
        _press(w, who, user, tradeoff, "tradeoff_ack")
        tradeoff = _find(w, "tradeoff_ack")


def _conference_root(w: DemoWorld) -> dict | None:
    return next((m for m in reversed(w.emu.messages(w.cfg.channel))
                 if "Regional samverkanskonferens v." in (m.get("text") or "") and "öppen" in (m.get("text") or "")),
                None)


def decline_item(w: DemoWorld) -> None:
    w.out("16.42  Koordinatorn föreslår en åtgärd för Polisen; Polisen avböjer med ett skäl.")
    w.at("16:42")
    text = "polisen Skylta om trafiken vid Sergels torg senast fredag"
    w.say("Koordinatorn (Länsstyrelsen)", f"/atgard {text}")
    w.slack.slash_command("/atgard", text, user_id=KOORDINATOR, channel_id=w.cfg.channel)
    w.drain()
    item = _find(w, "Skylta om trafiken")
    if item is None:
        return
    known = set(w.emu.views)
    w.say("TiB Polisen", "trycker Avböj")
    w.slack.block_action(POLICE, "action_decline", message=item)
    _submit_modal(w, "TiB Polisen", POLICE, known, "action_decline_modal",
                  {"reason": "Skyltning är kommunens ansvar; Polisen dirigerar på plats."}, "skälet")


def analysis(w: DemoWorld) -> None:
    w.out("16.45  Koordinatorn skriver den gemensamma analysen, det som är överenskommet och nästa steg.")
    w.at("16:45")
    known = set(w.emu.views)
    w.say("Koordinatorn (Länsstyrelsen)", "/samverkan analys  (formuläret öppnas)")
    w.slack.slash_command("/samverkan", "analys", user_id=KOORDINATOR, channel_id=w.cfg.channel)
    _submit_modal(w, "Koordinatorn (Länsstyrelsen)", KOORDINATOR, known, "analysis_modal", {
        "analysis": "Snön och halkan ger köer och fler olyckor; sjukvården är hårt belastad av influensan.",
        "agreed": "Gemensamt budskap om halka och att undvika onödiga resor; varje aktör sprider det i sina kanaler.",
        "next_steps": "Avstämning fredag kl. 09.00 om vädret förvärras; nästa konferens torsdag som vanligt."},
        "analys, överenskommet, nästa steg")


def close_warning_and_extension(w: DemoWorld) -> None:
    w.out("16.50  Tio minuter kvar: boten varnar i tråden. Många aktörer har inte fått ordet; koordinatorn förlänger.")
    w.at("16:50")
    w.drain()
    warning = _find(w, "close_extend")
    w.say("Koordinatorn (Länsstyrelsen)", "trycker Förläng 15 min")
    _press(w, "Koordinatorn (Länsstyrelsen)", KOORDINATOR, warning, "close_extend")
    w.out("17.00  Den ordinarie stängningstiden: konferensen är förlängd och fortsätter.")
    w.at("17:00")
    w.out("17.05  Nästa varning; koordinatorn låter konferensen stängas kl. 17.15.")
    w.at("17:05")


def extended_close(w: DemoWorld) -> None:
    w.out("17.15  Konferensen stängs; den samlade lägesbilden inleds med den gemensamma analysen.")
    w.at("17:15")
