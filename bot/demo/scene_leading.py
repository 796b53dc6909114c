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


def _only_for(w: DemoWorld, who: str, answer: str) -> None:
    if answer:
        w.out(f"      {w.t('demo_only_for', who=who.split(' (')[0])} {answer}")


def _samverkan(w: DemoWorld, who: str, user: str, text: str) -> None:
    w.say(who, f"/samverkan {text}")
    _only_for(w, who, _answer_text(w, w.slack.slash_command("/samverkan", text, user_id=user,
                                                            channel_id=w.cfg.channel)))
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
        w.out("      " + w.t("demo_modal_not_opened"))
        return
    w.say(who, w.t("demo_modal_fill_form", what=what))
    answer = _answer_text(w, w.slack.view_submission(user, found[-1], _values(found[-1], changes)))
    if answer:
        w.out(f"      {w.t('demo_in_modal')} {answer}")
    w.drain()


def _find(w: DemoWorld, needle: str, channel: str | None = None) -> dict | None:
    posts = w.emu.all_posts()
    return next((m for m in reversed(posts) if needle in str(m.get("blocks") or m.get("text"))
                 and (channel is None or m["channel"] == channel)), None)


def _press(w: DemoWorld, who: str, user: str, message: dict | None, action_id: str) -> None:
    """Presses a button; an answer only for that person is shown (the flow runs before the
    acknowledgement, so it is there once the press returns)."""
    if message is None:
        w.out("      " + w.t("demo_message_missing"))
        return
    before = len(w.emu.response_posts)
    w.slack.block_action(user, action_id, message=message)
    w.drain()
    if w.emu.wait_for(lambda: len(w.emu.response_posts) > before, timeout=0.1):
        text = " ".join(plain(w.emu.response_posts[-1]["json"].get("text") or "",
                              lambda uid: (w.emu.state.users.get(uid) or {}).get("name", "?")).split())
        _only_for(w, who, text)


def _at_day_before(w: DemoWorld, hhmm: str, key: str) -> None:
    h, m = map(int, hhmm.split(":"))
    day = w.day - timedelta(days=1)
    w.out(f"{w.r.fmt_date(day, 'EEEE').capitalize()} {w.r.fmt_time(dtime(h, m))}  {w.t(key)}")
    w.clock.set(datetime.combine(day, dtime(h, m), w.cfg.tz))
    w.rt.scheduler.tick()


# ---- the day before ---------------------------------------------------------------------------

def agenda_the_day_before(w: DemoWorld) -> None:
    _at_day_before(w, "14:00", "demo_agenda_day_before")
    coordinator = w.t("demo_coordinator_lst")
    known, dms_before = set(w.emu.views), len(w.emu.dms(TRV))
    w.say(coordinator, "/samverkan dagordning  " + w.t("demo_agenda_opens"))
    w.slack.slash_command("/samverkan", "dagordning", user_id=KOORDINATOR, channel_id=w.cfg.channel)
    _submit_modal(w, coordinator, KOORDINATOR, known, "agenda_modal", {
        "p3_title": w.t("demo_text_agenda_p3_title"), "p3_kind": "diskussion",
        "p3_purpose": w.t("demo_text_agenda_p3_purpose"), "p3_prepare": ["trafikverket"],
        "p4_title": w.t("demo_text_agenda_p4_title"), "p4_kind": "överenskommelse",
        "p4_purpose": w.t("demo_text_agenda_p4_purpose")},
        w.t("demo_agenda_what"))
    if len(w.emu.dms(TRV)) > dms_before:
        w.out("      " + w.t("demo_agenda_dm"))

    _at_day_before(w, "15:30", "demo_question_day_before")
    _samverkan(w, w.t("demo_tib", actor="Polisen"), POLICE, w.t("demo_text_question_police"))
    _samverkan(w, w.t("demo_tib", actor="Region Stockholm"), "U0RST001", w.t("demo_text_question_region"))


# ---- the conference day ------------------------------------------------------------------------

def answer_question(w: DemoWorld) -> None:
    w.note("08:15", "demo_answer_question", button=w.r.t("question_button_answer"))
    w.at("08:15")
    dm = _find(w, "question_answer", "D" + TRV_DELTAGARE[1:]) or _find(w, "question_answer", "D" + TRV[1:])
    if dm is None:
        w.out("      " + w.t("demo_question_missing"))
        return
    known = set(w.emu.views)
    answerer = TRV if dm["channel"] == "D" + TRV[1:] else TRV_DELTAGARE
    w.slack.block_action(answerer, "question_answer", message=dm)
    _submit_modal(w, w.t("demo_tib", actor="Trafikverket"), answerer, known, "question_answer_modal",
                  {"answer": w.t("demo_text_answer")}, w.t("demo_what_answer"))
    w.out("      " + w.t("demo_answer_delivered"))


def reports_during_activation(w: DemoWorld) -> None:
    w.note("11:00", "demo_reports_activation")
    w.at("11:00")
    for who, user, text in (
            (w.t("demo_tib", actor="Trafikverket"), TRV, w.t("demo_text_trv_activation")),
            (w.t("demo_tib", actor="Stockholms stad"), "U0STH001", w.t("demo_text_city_activation"))):
        w.say(who, f"/lagesbild {text}")
        _only_for(w, who, _answer_text(w, w.slack.slash_command("/lagesbild", text, user_id=user,
                                                                channel_id=w.cfg.channel)))
    w.drain()


def record_and_trade_off(w: DemoWorld) -> None:
    w.note("16:25", "demo_record")
    w.at("16:25")
    coordinator, trv = w.t("demo_coordinator_lst"), w.t("demo_tib", actor="Trafikverket")
    root = _conference_root(w)
    _samverkan(w, coordinator, KOORDINATOR, w.t("demo_text_note"))
    if root is not None:
        post = w.t("demo_text_thread_post")
        said = w.emu.post_as_user(w.cfg.channel, TRV, post, thread_ts=root["ts"])
        w.say(trv, w.t("demo_writes_in_thread", text=post))
        w.say(coordinator, w.t("demo_shortcut"))
        message_shortcut(w.slack, KOORDINATOR, "till_protokollet", said)
        w.drain()

    understood = w.r.t("tradeoff_button")
    w.note("16:30", "demo_tradeoff", button=understood)
    w.at("16:30")
    _samverkan(w, coordinator, KOORDINATOR, w.t("demo_text_tradeoff"))
    tradeoff = _find(w, "tradeoff_ack")
    for who, user in ((trv, TRV), (w.t("demo_tib", actor="Polisen"), POLICE),
                      (w.t("demo_trv_participant"), TRV_DELTAGARE)):
        w.say(who, w.t("demo_press", button=understood))
        _press(w, who, user, tradeoff, "tradeoff_ack")
        tradeoff = _find(w, "tradeoff_ack")


def _conference_root(w: DemoWorld) -> dict | None:
    opened = w.t("opening_fallback", week=w.day.isocalendar()[1])
    return next((m for m in reversed(w.emu.messages(w.cfg.channel)) if opened in (m.get("text") or "")), None)


def decline_item(w: DemoWorld) -> None:
    w.note("16:42", "demo_decline")
    w.at("16:42")
    coordinator, police = w.t("demo_coordinator_lst"), w.t("demo_tib", actor="Polisen")
    text = w.t("demo_text_decline_item")
    w.say(coordinator, f"/atgard {text}")
    w.slack.slash_command("/atgard", text, user_id=KOORDINATOR, channel_id=w.cfg.channel)
    w.drain()
    item = _find(w, "action_decline")
    if item is None:
        return
    known = set(w.emu.views)
    w.say(police, w.t("demo_press", button=w.r.t("action_button_decline")))
    w.slack.block_action(POLICE, "action_decline", message=item)
    _submit_modal(w, police, POLICE, known, "action_decline_modal",
                  {"reason": w.t("demo_text_decline_reason")}, w.t("demo_what_reason"))


def analysis(w: DemoWorld) -> None:
    w.note("16:45", "demo_analysis")
    w.at("16:45")
    coordinator = w.t("demo_coordinator_lst")
    known = set(w.emu.views)
    w.say(coordinator, "/samverkan analys  " + w.t("demo_modal_opens"))
    w.slack.slash_command("/samverkan", "analys", user_id=KOORDINATOR, channel_id=w.cfg.channel)
    _submit_modal(w, coordinator, KOORDINATOR, known, "analysis_modal", {
        "analysis": w.t("demo_text_analysis"), "agreed": w.t("demo_text_agreed"),
        "next_steps": w.t("demo_text_next_steps")}, w.t("demo_what_analysis"))


def close_warning_and_extension(w: DemoWorld) -> None:
    w.note("16:50", "demo_close_warning")
    w.at("16:50")
    w.drain()
    coordinator = w.t("demo_coordinator_lst")
    warning = _find(w, "close_extend")
    w.say(coordinator, w.t("demo_press", button=w.r.t("close_button_extend", minutes=15)))
    _press(w, coordinator, KOORDINATOR, warning, "close_extend")
    w.note("17:00", "demo_close_extended")
    w.at("17:00")
    w.note("17:05", "demo_close_next_warning", at=w.r.fmt_time(dtime(17, 15)))
    w.at("17:05")


def extended_close(w: DemoWorld) -> None:
    w.note("17:15", "demo_extended_close")
    w.at("17:15")
