"""`Avböj` on an action item: the owning actor declines it, with a reason. There are no
formal joint decisions: each actor decides within its own responsibility, and a
declined item leaves the follow-up showing who declined, when and why."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import modal_inputs as mi
from bot.actions import messages, service
from bot.actions.decline_models import DECLINED, Decline
from bot.actions.models import DONE, ActionItem
from bot.audit.service import record
from bot.context import BotContext
from bot.region.models import Actor
from bot.region.service import memberships
from bot.reply import Refusal, Reply
from bot.slack import blocks as bk
from bot.slack import outbox
from bot.slack.text import user_mention

DECLINE_ACTION = messages.DECLINE_ACTION
CALLBACK_ID = "action_decline_modal"
REASON = "reason"
MAX_CHARS = 1000
SHOWN_FOR = timedelta(days=8)  # a declined item stays in the follow-up of the next opening


@dataclass(frozen=True)
class DeclineView:
    item_id: int
    owner_name: str
    text: str
    user_id: str
    reason: str
    at: datetime


def _item_for(s: Session, ctx: BotContext, user: str, item_id: int) -> ActionItem:
    item = s.get(ActionItem, item_id)
    if item is None or item.region_id != ctx.region_id or item.raised:
        raise Refusal("action_not_found", id=item_id)
    if not any(m.actor_id == item.owner_actor_id for m in memberships(s, ctx.region_id, user)):
        raise Refusal("action_decline_not_yours", owner=s.get(Actor, item.owner_actor_id).name)
    if item.status == DONE:
        raise Refusal("action_already_done", id=item.id)
    if item.status == DECLINED:
        raise Refusal("action_already_declined", id=item.id)
    return item


def modal(ctx: BotContext, user: str, item_id: int) -> Reply:
    r = ctx.renderer
    with ctx.sf() as s:
        item = _item_for(s, ctx, user, item_id)
        owner = s.get(Actor, item.owner_actor_id).name
        blocks = [*bk.sections(r.t("action_decline_head", id=item.id, owner=owner, text=item.text)),
                  mi.text_input(REASON, r.t("action_decline_reason"), multiline=True, max_length=MAX_CHARS,
                                optional=False, hint=r.t("action_decline_hint"))]
        return Reply.modal(mi.modal(CALLBACK_ID, r.t("action_decline_heading"), r.t("action_decline_submit"),
                                    r.t("leading_modal_cancel"), blocks, str(item.id)))


def decline(ctx: BotContext, user: str, item_id: int, reason: str) -> Reply:
    reason = reason.strip()
    if not reason:
        raise Refusal("action_decline_no_reason", field=REASON)
    if len(reason) > MAX_CHARS:
        raise Refusal("action_decline_too_long", field=REASON, limit=MAX_CHARS)
    now = ctx.now()
    with ctx.tx() as s:
        item = _item_for(s, ctx, user, item_id)
        item.status = DECLINED
        s.add(Decline(item_id=item.id, actor_id=item.owner_actor_id, user_id=user, reason=reason, at=now))
        s.flush()
        payload = item_payload(ctx, s, item)
        if outbox.is_queued(s, item.ref):
            outbox.update(s, now, item.ref, payload["text"], payload["blocks"])
        record(s, now, "action.decline", region_id=ctx.region_id, user_id=user, subject=item.ref)
        return Reply(ctx.renderer.t("action_declined_reply", id=item.id))


def view_of(s: Session, item: ActionItem) -> DeclineView | None:
    d = s.get(Decline, item.id)
    if d is None:
        return None
    return DeclineView(item.id, s.get(Actor, item.owner_actor_id).name, item.text, d.user_id, d.reason, d.at)


def item_payload(ctx: BotContext, s: Session, item: ActionItem) -> dict:
    """The item's message; a declined one says who declined it, when and why."""
    r = ctx.renderer
    payload = messages.item(r, service.view(s, item, service.local_today(ctx.now(), ctx.cfg.tz)))
    d = view_of(s, item)
    if d is None:
        return payload
    blocks = [b for b in payload["blocks"] if b.get("type") != "actions"]
    blocks[-1:-1] = bk.sections(r.render("actions_declined.md.j2", d=d, who=user_mention(d.user_id)))
    return {"text": payload["text"], "blocks": blocks}


def recently_declined(s: Session, region_id: int, now: datetime) -> list[DeclineView]:
    rows = s.scalars(select(ActionItem).join(Decline, Decline.item_id == ActionItem.id).where(
        ActionItem.region_id == region_id, Decline.at >= now - SHOWN_FOR).order_by(Decline.at)).all()
    return [v for v in (view_of(s, i) for i in rows) if v is not None]
