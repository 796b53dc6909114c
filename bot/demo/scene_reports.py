"""Demo scenes of the lägesbild capability: actors report before the opening (quick text,
the modal, "inget nytt", a revision, a refusal), and during the meeting (a report and a
revision that edits the actor's message in the thread)."""
from __future__ import annotations

from typing import Any

from bot.demo.scenes import DemoWorld


def _ephemeral(response: Any) -> str:
    try:
        return " ".join((response.json().get("text") or "").split())
    except ValueError:
        return ""


def _slash(w: DemoWorld, who: str, user: str, text: str) -> str:
    w.say(who, f"/lagesbild {text}".rstrip())
    answer = _ephemeral(w.slack.slash_command("/lagesbild", text, user_id=user))
    if answer:
        w.out(f"      (bara för {who}) {answer}")
    return answer


def _modal(w: DemoWorld, who: str, user: str, changes: dict[str, Any], words: str = "") -> None:
    """Opens the modal with `/lagesbild` and submits it."""
    known = set(w.emu.views)
    w.say(who, f"/lagesbild {words}".rstrip() + "  (formuläret öppnas)")
    w.slack.slash_command("/lagesbild", words, user_id=user)
    _submit_new_view(w, who, user, known, changes)


def _submit_new_view(w: DemoWorld, who: str, user: str, known: set[str], changes: dict[str, Any]) -> None:
    """Submits the modal opened after `known` as Slack's client does: every field keeps what
    it was filled in with unless changed here."""
    found: list[dict] = []

    def opened() -> bool:
        found[:] = [v for k, v in w.emu.views.items() if k not in known and v.get("callback_id") == "report_modal"]
        return bool(found)

    if not w.emu.wait_for(opened, timeout=5):
        w.out("      (formuläret öppnades inte)")
        return
    view = found[-1]
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        el, bid = block["element"], block["block_id"]
        if el["type"] == "plain_text_input":
            entry = {"type": el["type"], "value": changes.get(bid, el.get("initial_value"))}
        elif el["type"] == "radio_buttons":
            chosen = next((o for o in el["options"] if o["value"] == changes.get(bid)), el.get("initial_option"))
            entry = {"type": el["type"], "selected_option": chosen}
        else:  # the "inget nytt" checkbox
            entry = {"type": el["type"], "selected_options": el["options"] if changes.get(bid) else []}
        values[bid] = {el["action_id"]: entry}
    if changes.get("nothing_new"):
        w.say(who, "kryssar i ”Inget nytt att rapportera” och skickar")
    else:
        shown = "; ".join(f"{_label(w, k)}: {_label(w, v) if k == 'status' else v}" for k, v in changes.items())
        w.say(who, f"fyller i och skickar ({shown})")
    answer = w.slack.view_submission(user, view, values).json()
    text = " ".join(" ".join(b.get("text", {}).get("text", "") for b in answer.get("view", {}).get("blocks", []))
                    .split())
    if text:
        w.out(f"      (i formuläret) {text}")


def _label(w: DemoWorld, key: str) -> str:
    """What the person sees in the form (never the field's internal key)."""
    r = w.rt.ctx.renderer
    for name in (f"report_field_{key}", f"report_status_{key}"):
        try:
            return r.t(name)
        except KeyError:
            continue
    return key


def reports_before_opening(w: DemoWorld) -> None:
    w.out("13.40  Aktörerna lämnar lägesbilder före konferensen.")
    w.at("13:40")
    _slash(w, "TiB Polisen", "U0POL001", "Lugnt i länet. Ökad närvaro i city inför helgens evenemang.")
    _slash(w, "TiB SOS Alarm", "U0SOS001", "inget")
    _modal(w, "TiB Region Stockholm", "U0RST001", {
        "lage": "Hög belastning på akutmottagningarna, influensan ökar.",
        "kommande": "Vaccinationsveckan börjar måndag.",
        "behov": "Gemensamt budskap om vaccination och 1177.",
        "status": "påverkad"})
    _slash(w, "Trafikverket (deltagare)", "U0TRV002", "E4 stängd norrut.")
    w.out("13.45  Polisen reviderar sin lägesbild (en ny version; den tidigare sparas).")
    w.at("13:45")
    _slash(w, "TiB Polisen", "U0POL001",
           "Lugnt i länet. Ökad närvaro i city inför helgens evenemang; demonstration på Sergels torg kl. 18.")
    _slash(w, "Koordinatorn", "U0LST002", "status")
    w.out("15.00  Påminnelse: direktmeddelande till TiB för varje aktör utan lägesbild.")
    w.at("15:00")
    w.drain()
    def reminder_dm(user: str) -> dict | None:
        return next((m for m in reversed(w.emu.dms(user)) if "report_open_modal" in str(m.get("blocks"))), None)

    reminded = [m.user for m in w.cfg.members if reminder_dm(m.user)]
    w.out(f"      {len(reminded)} TiB fick en påminnelse med knappen ”Rapportera lägesbild” "
          f"(inte Polisen, SOS Alarm eller Region Stockholm, som redan rapporterat).")
    dm = reminder_dm("U0TYR001")
    if dm is not None:
        known = set(w.emu.views)
        w.say("TiB Tyresö kommun", "trycker på ”Rapportera lägesbild” i påminnelsen")
        w.slack.block_action("U0TYR001", "report_open_modal", message=dm)
        _submit_new_view(w, "TiB Tyresö kommun", "U0TYR001", known, {"nothing_new": True})


def reports_during(w: DemoWorld) -> None:
    w.out("16.05  Under konferensen: lägesbilder hamnar direkt i tråden.")
    w.at("16:05")
    _modal(w, "TiB Stockholms stad", "U0STH001", {
        "lage": "Snöröjning pågår i hela staden.", "atgarder": "Extra plogbilar inhyrda.", "status": "normal"})
    _slash(w, "TiB Trafikverket", "U0TRV001", "Olycka på E4 vid Häggvik, ett körfält avstängt.")
    w.out("16.20  Trafikverket reviderar: meddelandet i tråden redigeras, inget nytt inlägg.")
    w.at("16:20")
    _slash(w, "TiB Trafikverket", "U0TRV001", "E4 vid Häggvik öppen igen sedan 16.15. Fortsatt halka.")
