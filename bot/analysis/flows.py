"""`/samverkan analys`: the leader's Gemensam analys, Överenskommet (målbild,
åtgärdsplan) and Nästa steg for the open conference (else the one that closed last),
editable until and after the close. They lead the samlad lägesbild."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot import modal_inputs as mi
from bot.agenda.flows import where
from bot.analysis.models import Analysis
from bot.audit.service import record
from bot.conference import target
from bot.conference.leader import require_leader
from bot.conference.models import CLOSED, OPEN, Conference
from bot.context import BotContext
from bot.reply import Refusal, Reply
from bot.summary import flows as summary_flows

CALLBACK_ID = "analysis_modal"
FIELDS = ("analysis", "agreed", "next_steps")
MAX_CHARS = 2900  # one section of the summary each


def of(s: Session, conference_id: int) -> Analysis | None:
    row = s.get(Analysis, conference_id)
    return None if row is None or row.empty else row


def modal(ctx: BotContext, user: str) -> Reply:
    r = ctx.renderer
    with ctx.sf() as s:
        require_leader(s, ctx.cfg, ctx.region_id, user)
        conf = target.open_or_latest(s, ctx.region_id)
        if conf is None:
            raise Refusal("analysis_no_conference")
        row = s.get(Analysis, conf.id)
        head = r.t("analysis_modal_head", where=where(ctx, conf), closed=conf.status == CLOSED)
        blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
        for key in FIELDS:
            blocks.append(mi.text_input(key, r.t(f"analysis_label_{key}"), initial=getattr(row, key, None),
                                        multiline=True, max_length=MAX_CHARS, hint=r.t(f"analysis_hint_{key}")))
        return Reply.modal(mi.modal(CALLBACK_ID, r.t("analysis_modal_heading"), r.t("leading_modal_save"),
                                    r.t("leading_modal_cancel"), blocks, str(conf.id)))


def read(values: dict[str, Any]) -> dict[str, str]:
    return {key: mi.read_text(values, key) for key in FIELDS}


def submit(ctx: BotContext, user: str, conference_id: int, texts: dict[str, str]) -> Reply:
    """Stores the analysis. After the close the samlad lägesbild is posted again with it."""
    texts = {k: (texts.get(k) or "").strip() for k in FIELDS}
    for key, text in texts.items():
        if len(text) > MAX_CHARS:
            raise Refusal("analysis_too_long", field=key, limit=MAX_CHARS)
    if not any(texts.values()):
        raise Refusal("analysis_empty", field="analysis")
    now = ctx.now()
    with ctx.tx() as s:
        require_leader(s, ctx.cfg, ctx.region_id, user)
        conf = s.get(Conference, conference_id)
        if conf is None or conf.region_id != ctx.region_id or conf.status not in (OPEN, CLOSED):
            raise Refusal("analysis_no_conference")
        row = s.get(Analysis, conf.id) or Analysis(conference_id=conf.id, updated_by=user, updated_at=now)
        s.add(row)
        row.analysis, row.agreed, row.next_steps = (texts[k] or None for k in FIELDS)
        row.updated_by, row.updated_at = user, now
        s.flush()
        record(s, now, "analysis.save", region_id=ctx.region_id, user_id=user, subject=conf.ref)
        if conf.status == CLOSED:
            summary_flows.post_summary(ctx, s, conf, by=user, notice=False)
            return Reply(ctx.renderer.t("analysis_saved_closed", where=where(ctx, conf)))
        return Reply(ctx.renderer.t("analysis_saved_open", where=where(ctx, conf)))
