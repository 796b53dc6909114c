"""Demo scenes of the lägesbild capability: actors report before the opening (quick text,
the modal, "inget nytt", a revision, a refusal), and during the meeting (a report and a
revision that edits the actor's message in the thread)."""
from __future__ import annotations

from typing import Any

from bot.demo.scenes import DemoWorld
from bot.report.messages import STATUS_KEYS


def _ephemeral(response: Any) -> str:
    try:
        return " ".join((response.json().get("text") or "").split())
    except ValueError:
        return ""


def _slash(w: DemoWorld, who: str, user: str, text: str) -> str:
    w.say(who, f"/lagesbild {text}".rstrip())
    answer = _ephemeral(w.slack.slash_command("/lagesbild", text, user_id=user))
    if answer:
        w.out(f"      {w.t('demo_only_for', who=who)} {answer}")
    return answer


def _modal(w: DemoWorld, who: str, user: str, changes: dict[str, Any], words: str = "") -> None:
    """Opens the modal with `/lagesbild` and submits it."""
    known = set(w.emu.views)
    w.say(who, f"/lagesbild {words}".rstrip() + "  " + w.t("demo_modal_opens"))
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
        w.out("      " + w.t("demo_modal_not_opened"))
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
        w.say(who, w.t("demo_modal_nothing_new", option=w.t("report_nothing_new_option")))
    else:
        w.say(who, w.t("demo_modal_fill", shown=_shown(w, changes)))
    answer = w.slack.view_submission(user, view, values).json()
    text = " ".join(" ".join(b.get("text", {}).get("text", "") for b in answer.get("view", {}).get("blocks", []))
                    .split())
    if text:
        w.out(f"      {w.t('demo_in_modal')} {text}")


def _shown(w: DemoWorld, changes: dict[str, Any]) -> str:
    """What the person filled in, by the form's labels."""
    def label(key: str) -> str:
        return w.t("report_status_label") if key == "status" else w.t(f"report_field_{key}")

    def value(key: str, v: Any) -> str:
        return w.t(STATUS_KEYS[v]) if key == "status" else str(v)

    return "; ".join(f"{label(k)}: {value(k, v)}" for k, v in changes.items())


def reports_before_opening(w: DemoWorld) -> None:
    w.note("13:40", "demo_reports_before")
    w.at("13:40")
    police = w.t("demo_tib", actor="Polisen")
    _slash(w, police, "U0POL001", w.t("demo_text_police"))
    _slash(w, w.t("demo_tib", actor="SOS Alarm"), "U0SOS001", w.t("demo_word_nothing"))
    _modal(w, w.t("demo_tib", actor="Region Stockholm"), "U0RST001", {
        "lage": w.t("demo_text_region_lage"),
        "kommande": w.t("demo_text_region_kommande"),
        "behov": w.t("demo_text_region_behov"),
        "status": "påverkad"})
    _slash(w, w.t("demo_participant", actor="Trafikverket"), "U0TRV002", w.t("demo_text_trv_participant"))
    w.note("13:45", "demo_reports_revise")
    w.at("13:45")
    _slash(w, police, "U0POL001", w.t("demo_text_police_revised"))
    _slash(w, w.t("demo_the_coordinator"), "U0LST002", "status")
    w.note("15:00", "demo_reports_reminder")
    w.at("15:00")
    w.drain()
    def reminder_dm(user: str) -> dict | None:
        return next((m for m in reversed(w.emu.dms(user)) if "report_open_modal" in str(m.get("blocks"))), None)

    reminded = [m.user for m in w.cfg.members if reminder_dm(m.user)]
    button = w.t("report_button")
    w.out("      " + w.t("demo_reports_reminded", count=len(reminded), button=button))
    dm = reminder_dm("U0TYR001")
    if dm is not None:
        known = set(w.emu.views)
        tyreso = w.t("demo_tib", actor="Tyresö kommun")
        w.say(tyreso, w.t("demo_reports_press_reminder", button=button))
        w.slack.block_action("U0TYR001", "report_open_modal", message=dm)
        _submit_new_view(w, tyreso, "U0TYR001", known, {"nothing_new": True})


def reports_during(w: DemoWorld) -> None:
    w.note("16:05", "demo_reports_during")
    w.at("16:05")
    _modal(w, w.t("demo_tib", actor="Stockholms stad"), "U0STH001", {
        "lage": w.t("demo_text_city_lage"), "atgarder": w.t("demo_text_city_atgarder"), "status": "normal"})
    trv = w.t("demo_tib", actor="Trafikverket")
    _slash(w, trv, "U0TRV001", w.t("demo_text_trv"))
    w.note("16:20", "demo_reports_revise_thread")
    w.at("16:20")
    _slash(w, trv, "U0TRV001", w.t("demo_text_trv_revised"))
