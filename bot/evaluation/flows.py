"""Snabbutvärdering flows: the DM at every close, the modal, and its submission."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.conference.latest import latest_held
from bot.conference.models import Conference
from bot.context import BotContext
from bot.evaluation import messages, service
from bot.evaluation.models import SCORES, TEXTS
from bot.reply import Refusal, Reply
from bot.slack import outbox
from bot.summary.messages import where


def _host_key(ctx: BotContext) -> str | None:
    first = ctx.cfg.speaking_order.first
    return first[0] if first else None


def on_close(ctx: BotContext, s: Session, conf: Conference) -> None:
    """At every close (ordinary and activated): a DM with Snabbutvärdera to the
    koordinators and the host's TiBs."""
    payload = messages.dm(ctx.renderer, where(ctx.renderer, conf), conf.id)
    for user in service.evaluators(s, ctx.region_id, _host_key(ctx)):
        outbox.post(s, ctx.now(), user, payload["text"], payload["blocks"])


def _conference(s: Session, ctx: BotContext, conference_id: int | None) -> Conference:
    if conference_id is None:
        conf = latest_held(s, ctx.region_id)
        if conf is None:
            raise Refusal("after_no_conference")
        return conf
    conf = s.get(Conference, conference_id)
    if conf is None or conf.region_id != ctx.region_id:
        raise Refusal("evaluation_unknown_conference")
    if conf.opened_at is None:
        raise Refusal("evaluation_not_held")
    return conf


def _conference_id(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        raise Refusal("evaluation_unknown_conference") from None


def form(ctx: BotContext, user: str, conference: str | None = None) -> Reply:
    """The modal for `conference` (an id, from the DM's button) or the latest held one."""
    r = ctx.renderer
    with ctx.sf() as s:
        if not service.may_evaluate(s, ctx.region_id, user, _host_key(ctx)):
            raise Refusal("evaluation_not_allowed")
        conf = _conference(s, ctx, _conference_id(conference) if conference is not None else None)
        current = service.of(s, conf.id, user)
        return Reply.modal(messages.modal(r, conf.id, where(r, conf), r.fmt_datetime(conf.opened_at), current))


def _score(values: dict[str, Any], key: str) -> int:
    chosen = ((values.get(key) or {}).get(messages.SCORE_ACTION) or {}).get("selected_option") or {}
    try:
        score = int(chosen.get("value", ""))
    except ValueError:
        score = 0
    if not 1 <= score <= 5:
        raise Refusal("evaluation_bad_score", field=key)
    return score


def _text(values: dict[str, Any], key: str) -> str | None:
    text = ((values.get(key) or {}).get(messages.TEXT_ACTION) or {}).get("value") or ""
    if len(text) > service.MAX_TEXT:
        raise Refusal("after_too_long", field=key, length=len(text), limit=service.MAX_TEXT)
    return text.strip() or None


def submit(ctx: BotContext, user: str, conference: str, values: dict[str, Any]) -> Reply:
    """The modal's submission: three scores 1–5 and three optional texts."""
    scores = {k: _score(values, k) for k in SCORES}
    texts = {k: _text(values, k) for k in TEXTS}
    now = ctx.now()
    with ctx.tx() as s:
        if not service.may_evaluate(s, ctx.region_id, user, _host_key(ctx)):
            raise Refusal("evaluation_not_allowed")
        conf = _conference(s, ctx, _conference_id(conference))
        _, replaced = service.save(s, ctx.region_id, conf.id, user, scores, texts, now)
        record(s, now, "evaluation.save", region_id=ctx.region_id, user_id=user, subject=conf.ref, **scores)
        return Reply(ctx.renderer.t("evaluation_saved", where=where(ctx.renderer, conf), replaced=replaced))
