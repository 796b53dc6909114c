"""The Snabbutvärdera DM and the evaluation modal (Block Kit, no Slack calls)."""
from __future__ import annotations

from typing import Any

from bot.evaluation.models import SCORES, TEXTS, Evaluation
from bot.evaluation.service import MAX_TEXT
from bot.render import Renderer
from bot.slack import blocks as bk

BUTTON_ACTION = "evaluation_open"
CALLBACK = "evaluation"
SCORE_ACTION, TEXT_ACTION = "score", "text"


def dm(r: Renderer, where: str, conference_id: int) -> dict[str, Any]:
    return {"text": r.t("evaluation_dm_fallback", where=where),
            "blocks": [*bk.sections(r.t("evaluation_dm", where=where)),
                       bk.actions(bk.button(r.t("evaluation_button"), BUTTON_ACTION, str(conference_id), "primary"),
                                  block_id=f"evaluation:{conference_id}")]}


def _option(n: int) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": str(n)}, "value": str(n)}


def _score(r: Renderer, key: str, current: int | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": SCORE_ACTION,
                               "placeholder": {"type": "plain_text", "text": r.t("evaluation_score_placeholder")},
                               "options": [_option(n) for n in range(1, 6)]}
    if current:
        element["initial_option"] = _option(current)
    return {"type": "input", "block_id": key, "label": {"type": "plain_text", "text": r.t(f"evaluation_score_{key}")},
            "element": element}


def _text(r: Renderer, key: str, current: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": TEXT_ACTION, "multiline": True,
                               "max_length": MAX_TEXT}
    if current:
        element["initial_value"] = current
    return {"type": "input", "block_id": key, "optional": True,
            "label": {"type": "plain_text", "text": r.t(f"evaluation_text_{key}")}, "element": element}


def modal(r: Renderer, conference_id: int, where: str, when: str, current: Evaluation | None) -> dict[str, Any]:
    return {"type": "modal", "callback_id": CALLBACK, "private_metadata": str(conference_id),
            "title": {"type": "plain_text", "text": r.t("evaluation_title")},
            "submit": {"type": "plain_text", "text": r.t("evaluation_submit")},
            "close": {"type": "plain_text", "text": r.t("evaluation_cancel")},
            "blocks": [bk.context(r.t("evaluation_intro", where=where, when=when)),
                       *[_score(r, k, getattr(current, k, None)) for k in SCORES],
                       *[_text(r, k, getattr(current, k, None)) for k in TEXTS]]}
