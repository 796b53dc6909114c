"""Slack payloads of the floor, rendered from templates/ (floor_*.j2, strings/floor.yaml)."""
from __future__ import annotations

from typing import Any, Mapping

from bot import values
from bot.conference.models import ACTIVATED, Conference
from bot.floor.order import FIRST
from bot.floor.state import REQUEST, TURN, Entry, FloorState
from bot.render import Renderer
from bot.slack import blocks as bk
from bot.slack.text import SlackSafe, user_mention

Payload = dict[str, Any]
NEXT, SKIP, REQ = "floor_next", "floor_skip", "floor_request"
UPCOMING_SHOWN = 3
# The headline is one message edited in place: it must stay within one message's limits.
HEADLINE_BUDGET = bk.MESSAGE_TEXT_BUDGET - 1000


def _mode(r: Renderer, conf: Conference) -> str:
    return r.t("mode_activated" if conf.kind == ACTIVATED else "mode_ordinary")


def _number(conf: Conference) -> int | None:
    """An activated conference is named by its number, not a week."""
    return conf.number if conf.kind == ACTIVATED else None


def marks(r: Renderer, e: Entry) -> SlackSafe:
    """The markers after an actor's name (rendered from strings, so already safe)."""
    out = ""
    if e.need:
        out += " " + r.t("floor_marker_need")
    if not e.reported:
        out += " " + r.t("floor_marker_not_reported")
    return SlackSafe(out)


def _name(actors: Mapping[int, Any], actor_id: int) -> str:
    a = actors.get(actor_id)
    return a.name if a is not None else f"#{actor_id}"


def _entry_name(r: Renderer, actors: Mapping[int, Any], e: Entry) -> str:
    name = _name(actors, e.actor)
    return f"{name} ({r.t('floor_request_label')})" if e.kind == REQUEST else name


# ---- the order in the opening message ----------------------------------------------------

def order_blocks(r: Renderer, state: FloorState, actors: Mapping[int, Any]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for number, e in enumerate(state.turns(), start=1):
        title = r.t("floor_group_first") if e.group == FIRST else (e.group or "").capitalize()
        if not groups or groups[-1]["key"] != e.group:
            groups.append({"key": e.group, "title": title, "rows": []})
        groups[-1]["rows"].append({"number": number, "name": _name(actors, e.actor), "marks": marks(r, e)})
    text = r.render("floor_order.md.j2", groups=groups, legend=SlackSafe(r.t("floor_legend")))
    return [bk.divider(), *bk.sections(text)]


# ---- the live headline --------------------------------------------------------------------

def _limited(items: list[str], limit: int | None) -> tuple[list[str], int]:
    if limit is None or len(items) <= limit:
        return items, 0
    return items[-limit:], len(items) - limit  # the latest ones: the rest is counted, not hidden


def headline(r: Renderer, conf: Conference, state: FloorState, turn: int, actors: Mapping[int, Any],
             host: str, *, closed: bool = False) -> Payload:
    """The live headline; `closed`: the conference has ended, the buttons go away."""
    cur = state.current
    waiting = state.waiting
    requests = [e for e in waiting if e.kind == REQUEST]
    upcoming_turns = [e for e in waiting if e.kind == TURN]
    upcoming = [_entry_name(r, actors, e) + marks(r, e) for e in upcoming_turns[:UPCOMING_SHOWN]]
    spoke_all = [_entry_name(r, actors, e) for e in state.entries if e.status == "spoke"]
    passed_all = [_entry_name(r, actors, e) for e in state.entries if e.status == "passed"]
    spoke_turns = sum(1 for e in state.turns() if e.status == "spoke")  # a question is not a turn
    body = ""
    for limit in (None, 40, 10, 3):  # shorten the done lists only as far as the limits need
        spoke, spoke_more = _limited(spoke_all, limit)
        passed, passed_more = _limited(passed_all, limit)
        names = [_entry_name(r, actors, e) for e in requests]  # the next ones in line matter most
        req, req_more = (names, 0) if limit is None or len(names) <= limit else (names[:limit], len(names) - limit)
        body = r.render("floor_headline.md.j2", week=conf.iso_week, number=_number(conf), mode=_mode(r, conf),
                        done=state.done,
                        current=_entry_name(r, actors, cur) if cur else None,
                        current_marks=marks(r, cur) if cur else "",
                        requests=req, requests_more=req_more, upcoming=upcoming, upcoming_more=max(0, len(upcoming_turns) - UPCOMING_SHOWN),
                        spoke=spoke, spoke_more=spoke_more, spoke_count=spoke_turns,
                        total=len(state.turns()), passed=passed, passed_more=passed_more,
                        passed_count=len(passed_all))
        if len(body) <= HEADLINE_BUDGET:
            break
    buttons = []
    if cur is not None or waiting:
        buttons.append(bk.button(r.t("floor_button_next"), NEXT, f"{conf.id}:{turn}", style="primary"))
    if cur is not None:
        buttons.append(bk.button(r.t("floor_button_skip"), SKIP, f"{conf.id}:{turn}"))
    buttons.append(bk.button(r.t("floor_button_request"), REQ, str(conf.id)))
    if closed:
        blocks = [*bk.sections(body), bk.context(r.t("floor_closed_note"))]
    else:
        blocks = [*bk.sections(body), bk.actions(*buttons, block_id=f"floor:{conf.id}"),
                  bk.context(r.t("floor_rights_hint", host=host))]
    if state.done:
        fallback_state = r.t("floor_fallback_done")
    elif cur is not None:
        fallback_state = r.t("floor_fallback_speaking", name=_name(actors, cur.actor))
    else:
        fallback_state = r.t("floor_fallback_waiting")
    return {"text": bk.fallback(r.t("floor_headline_fallback", week=conf.iso_week, number=_number(conf),
                                    state=fallback_state)),
            "blocks": blocks}


def parse_value(value: str | None) -> tuple[int, int | None]:
    """(conference id, turn) from a button's value (`12` or `12:3`); anything else is
    refused (bot.values)."""
    parts = value.split(":") if isinstance(value, str) else []
    if len(parts) == 1:
        return values.record_id(parts[0]), None
    if len(parts) == 2:
        return values.record_id(parts[0]), values.bounded_int(parts[1], 0, values.MAX_ID)
    raise values.refuse()


# ---- giving the floor ---------------------------------------------------------------------

def turn(r: Renderer, e: Entry, actors: Mapping[int, Any], members: list[str]) -> Payload:
    """"Ordet till …" with the mentions of whoever should speak now."""
    mentions = SlackSafe(" ".join(user_mention(u) for u in members))
    name = _name(actors, e.actor)
    need = SlackSafe(" " + r.t("floor_marker_need")) if e.need else ""  # "not reported" is said in words
    body = r.render("floor_turn.md.j2", actor=name, request=e.kind == REQUEST, marks=need,
                    mentions=mentions, reported=e.reported)
    return {"text": bk.fallback(r.t("floor_turn_fallback", name=name)), "blocks": bk.sections(body)}


# ---- /talarordning ------------------------------------------------------------------------

def show(r: Renderer, conf: Conference, state: FloorState, actors: Mapping[int, Any],
         planned: Any = None) -> list[Payload]:
    """The whole order and its state; one payload per message (a long order is split).
    `planned` (the opening time, or True): the conference is not open yet."""
    rows, number = [], 0
    for e in state.entries:
        if e.kind == TURN:
            number += 1
            label = f"{number}."
        else:
            label = "↳"
        rows.append({"status": e.status, "label": label, "name": _entry_name(r, actors, e), "marks": marks(r, e)})

    def render(shown: int) -> list[dict[str, Any]]:
        return bk.sections(r.render("floor_show.md.j2", week=conf.iso_week, number=_number(conf), mode=_mode(r, conf),
                                    rows=rows[:shown], more=len(rows) - shown, done=state.done,
                                    legend=SlackSafe(r.t("floor_legend")), planned=planned))

    text = bk.fallback(r.t("floor_show_fallback", week=conf.iso_week, number=_number(conf)))
    return [{"text": text, "blocks": page} for page in bk.fit_pages(render, len(rows))]


