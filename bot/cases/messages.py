"""Ärenden as Slack blocks: the list with its step buttons, the comment modal, the DM."""
from __future__ import annotations

from typing import Any

from bot.cases.models import NEXT, STATUSES, Case, CaseStep
from bot.cases.service import MAX_COMMENT
from bot.render import Renderer
from bot.slack import blocks as bk
from bot.slack.text import user_mention

MOVE_ACTION = "case_move"
CALLBACK = "case_move"
COMMENT_BLOCK, COMMENT_ACTION = "comment", "text"


def status(r: Renderer, key: str) -> str:
    """A status as people read it (an unknown word, e.g. from a forged button, as it is)."""
    return r.t(f"case_status_{key}") if key in STATUSES else key


def move_value(case: Case, to: str) -> str:
    return f"{case.id}:{to}:{case.status}"


def parse_move(value: str | None) -> tuple[int, str, str] | None:
    parts = (value or "").split(":")
    if len(parts) != 3 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1], parts[2]


def case_blocks(r: Renderer, case: Case, actor_name: str, steps: list[CaseStep], *, buttons: bool) -> list[dict]:
    body = r.render("case_line.md.j2", case=case, actor=actor_name, status=status(r, case.status),
                    owner=user_mention(case.owner) if case.owner else None,
                    raiser=user_mention(case.raised_by), last=steps[-1] if steps else None)
    out = bk.sections(body)
    if buttons and case.status in NEXT:
        out.append(bk.actions(*[bk.button(r.t("case_move_button", status=status(r, to)), MOVE_ACTION,
                                          move_value(case, to)) for to in NEXT[case.status]],
                              block_id=f"case:{case.id}"))
    return out


def modal(r: Renderer, case: Case, to: str) -> dict[str, Any]:
    return {"type": "modal", "callback_id": CALLBACK, "private_metadata": move_value(case, to),
            "title": {"type": "plain_text", "text": r.t("case_modal_title", id=case.id)},
            "submit": {"type": "plain_text", "text": r.t("case_modal_submit")},
            "close": {"type": "plain_text", "text": r.t("evaluation_cancel")},
            "blocks": [*bk.sections(r.t("case_modal_intro", id=case.id, text=case.text, status=status(r, case.status),
                                        to=status(r, to))),
                       {"type": "input", "block_id": COMMENT_BLOCK,
                        "label": {"type": "plain_text", "text": r.t("case_comment_label")},
                        "hint": {"type": "plain_text", "text": r.t("case_comment_hint")},
                        "element": {"type": "plain_text_input", "action_id": COMMENT_ACTION, "multiline": True,
                                    "max_length": MAX_COMMENT}}]}


def dm(r: Renderer, case: Case, step: CaseStep) -> dict[str, Any]:
    body = r.render("case_dm.md.j2", case=case, step=step, status=status(r, step.to_status),
                    before=status(r, step.from_status), by=user_mention(step.user_id))
    return {"text": r.t("case_dm_fallback", id=case.id, status=status(r, step.to_status)), "blocks": bk.sections(body)}
