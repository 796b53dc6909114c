"""The lägesbild modal: the view (Block Kit) and reading a submission back.

Block ids are the field keys (so `response_action: errors` names them), plus
`nothing_new`, `status` and `actor`. `private_metadata` carries the actor and the
conference the modal was opened for (a few dozen characters, far under 3000).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot import values
from bot.region.service import Membership
from bot.render import Renderer
from bot.report import fields as F
from bot.report import messages
from bot.report.service import ConferenceInfo, Prefill
from bot.slack import blocks as bk

CALLBACK_ID = "report_modal"
ACTOR_ACTION = "report_actor_select"
VALUE = "value"  # action_id of every input element
NOTHING_NEW, STATUS, ACTOR = "nothing_new", "status", "actor"
_YES = "yes"
_HINTS = ("lage", "behov")  # fields with a hint under them (report_hint_<key>)


@dataclass(frozen=True)
class Meta:
    actor_id: int
    conference_id: int | None  # None: resolve the target when the modal is submitted
    ordinary: bool = False  # `/lagesbild ordinarie`: the ordinary conference even in activated mode
    from_home: bool = False  # opened from the App Home: refresh it after the submission

    def dump(self) -> str:
        return json.dumps({"a": self.actor_id, "c": self.conference_id, "o": int(self.ordinary),
                           "h": int(self.from_home)}, separators=(",", ":"))

    @classmethod
    def load(cls, raw: str | None) -> "Meta":
        """What dump() wrote; anything else is refused (bot.values)."""
        data = values.json_value(raw, a=int, c="int?", o=bool, h=bool)
        return cls(data["a"], data["c"], data["o"], data["h"])


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text), "value": value}


def report_view(r: Renderer, *, meta: Meta, actor: Membership, actors: list[Membership], info: ConferenceInfo,
                prefill: Prefill | None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [bk.context(r.t("report_modal_secrecy"))]
    blocks += bk.sections(r.render("report_modal_head.md.j2", actor=actor.actor_name,
                                   conference=messages.conference_label(r, info)))
    if len(actors) > 1:
        options = [_option(m.actor_name[:75], str(m.actor_id)) for m in actors][:100]
        chosen = next(o for o in options if o["value"] == str(actor.actor_id))
        blocks.append({"type": "actions", "block_id": ACTOR, "elements": [{
            "type": "static_select", "action_id": ACTOR_ACTION, "options": options, "initial_option": chosen,
            "placeholder": _plain(r.t("report_modal_actor_placeholder"))}]})
    has_prefill = prefill is not None and bool(prefill.fields)
    blocks.append(bk.context(r.t("report_modal_prefilled", week=prefill.iso_week) if has_prefill
                             else r.t("report_modal_empty")))
    blocks.append({"type": "input", "block_id": NOTHING_NEW, "optional": True,
                   "label": _plain(r.t("report_nothing_new_option")),
                   "element": {"type": "checkboxes", "action_id": VALUE, "options": [{
                       "text": _plain(r.t("report_nothing_new_option")), "value": _YES,
                       "description": _plain(r.t("report_nothing_new_hint"))}]}})
    status_options = [_option(messages.status_label(r, s), s) for s in F.STATUSES]
    status_element: dict[str, Any] = {"type": "radio_buttons", "action_id": VALUE, "options": status_options}
    if prefill is not None and prefill.status in F.STATUSES:
        status_element["initial_option"] = status_options[F.STATUSES.index(prefill.status)]
    blocks.append({"type": "input", "block_id": STATUS, "optional": True,
                   "label": _plain(r.t("report_status_label")), "element": status_element})
    for key in F.FIELDS:
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": VALUE, "multiline": True,
                                   "max_length": F.MAX_CHARS}
        initial = (prefill.fields.get(key) if prefill is not None else None) or ""
        if initial:
            element["initial_value"] = initial[:F.MAX_CHARS]
        block: dict[str, Any] = {"type": "input", "block_id": key, "optional": True,
                                 "label": _plain(messages.field_label(r, key)), "element": element}
        if key in _HINTS:
            block["hint"] = _plain(r.t(f"report_hint_{key}"))
        blocks.append(block)
    return {"type": "modal", "callback_id": CALLBACK_ID, "private_metadata": meta.dump(),
            "title": _plain(r.t("report_modal_title")), "submit": _plain(r.t("report_modal_submit")),
            "close": _plain(r.t("report_modal_close")), "blocks": blocks}


def message_view(r: Renderer, mrkdwn: str) -> dict[str, Any]:
    """A modal that only says something (the confirmation, or why not)."""
    return {"type": "modal", "callback_id": f"{CALLBACK_ID}_done", "title": _plain(r.t("report_modal_done_title")),
            "close": _plain(r.t("report_modal_done_close")), "blocks": bk.sections(mrkdwn)[:100]}


def read_submission(state: dict[str, Any]) -> tuple[dict[str, str], str | None, bool]:
    """(fields, status, nothing_new) from a view's state.values (anything not of the
    shape Slack sends counts as not given)."""
    def entry(block_id: str) -> dict[str, Any]:
        found = (state.get(block_id) or {}).get(VALUE)
        return found if isinstance(found, dict) else {}

    def text(block_id: str) -> str:
        found = entry(block_id).get("value")
        return found if isinstance(found, str) else ""

    fields = {key: text(key) for key in F.FIELDS}
    option = entry(STATUS).get("selected_option")
    status = option.get("value") if isinstance(option, dict) else None
    chosen = entry(NOTHING_NEW).get("selected_options")
    nothing_new = isinstance(chosen, list) and any(isinstance(o, dict) and o.get("value") == _YES for o in chosen)
    return fields, status if isinstance(status, str) else None, nothing_new
