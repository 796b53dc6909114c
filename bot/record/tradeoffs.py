"""Key trade-offs (avvägningar): `/samverkan avvägning <text>` posts one in the thread
with an `Uppfattat` button; a member of each actor acknowledges for its actor, and the
message shows who has and who has not. Acknowledging is not a joint decision: each actor
says it has understood."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.conference import target
from bot.conference.leader import require_leader, require_member
from bot.conference.models import OPEN, Conference
from bot.context import BotContext
from bot.floor import service as floor_service
from bot.region.models import Actor
from bot.region.service import active_actors
from bot.record.models import TradeOff, TradeOffAck
from bot.reply import Refusal, Reply
from bot.slack import blocks as bk
from bot.slack import outbox
from bot.slack.text import user_mention

ACK_ACTION = "tradeoff_ack"
MAX_CHARS = 2000


@dataclass(frozen=True)
class TradeOffView:
    id: int
    text: str
    posted_by: str
    acked: list[tuple[str, str]]  # (actor name, user)
    waiting: list[str]  # actor names


def concerned(s: Session, conf: Conference) -> list[int]:
    """The actors a trade-off concerns: those in the conference's speaking order (in
    aktiverat läge those called in), else every active actor."""
    floor = floor_service.get(s, conf.id)
    if floor is not None:
        ids = list(dict.fromkeys(e.actor for e in floor_service.state_of(floor).turns()))
        if ids:
            return ids
    return [a.id for a in active_actors(s, conf.region_id)]


def view(s: Session, t: TradeOff) -> TradeOffView:
    conf = s.get(Conference, t.conference_id)
    ids = concerned(s, conf)
    acked_ids = {a.actor_id for a in t.acks}
    names = {a.id: a.name for a in s.scalars(select(Actor).where(Actor.id.in_(ids + list(acked_ids))))}
    return TradeOffView(t.id, t.text, t.posted_by, [(names.get(a.actor_id, "?"), a.user_id) for a in t.acks],
                        [names[i] for i in ids if i not in acked_ids and i in names])


def of_conference(s: Session, conference_id: int) -> list[TradeOffView]:
    rows = s.scalars(select(TradeOff).where(TradeOff.conference_id == conference_id).order_by(TradeOff.id)).all()
    return [view(s, t) for t in rows]


def payload(ctx: BotContext, v: TradeOffView, *, open_: bool) -> dict:
    r = ctx.renderer
    blocks = bk.sections(r.render("tradeoff.md.j2", v=v))
    if open_:
        blocks.append(bk.actions(bk.button(r.t("tradeoff_button"), ACK_ACTION, str(v.id), style="primary"),
                                 block_id=f"tradeoff:{v.id}"))
    return {"text": bk.fallback(r.t("tradeoff_fallback", text=v.text)), "blocks": blocks}


def post(ctx: BotContext, user: str, text: str) -> Reply:
    text = text.strip()
    if not text:
        raise Refusal("tradeoff_usage")
    if len(text) > MAX_CHARS:
        raise Refusal("tradeoff_too_long", length=len(text), limit=MAX_CHARS)
    now = ctx.now()
    with ctx.tx() as s:
        require_leader(s, ctx.cfg, ctx.region_id, user)
        conf = target.open_now(s, ctx.region_id)
        if conf is None:
            raise Refusal("tradeoff_no_open")
        t = TradeOff(conference_id=conf.id, text=text, posted_by=user, created_at=now)
        s.add(t)
        s.flush()
        p = payload(ctx, view(s, t), open_=True)
        outbox.post(s, now, conf.channel, p["text"], p["blocks"], ref=t.ref, thread_ref=conf.ref)
        record(s, now, "tradeoff.post", region_id=ctx.region_id, user_id=user, subject=t.ref)
        return Reply(ctx.renderer.t("tradeoff_posted"))


def acknowledge(ctx: BotContext, user: str, trade_off_id: int) -> Reply:
    """`Uppfattat`: for every actor of the person that the trade-off concerns and that has
    not acknowledged yet. Refused when there is none."""
    try:
        return _acknowledge(ctx, user, trade_off_id)
    except IntegrityError:  # a colleague pressed at the same moment: answer as it now stands
        return _acknowledge(ctx, user, trade_off_id)


def _acknowledge(ctx: BotContext, user: str, trade_off_id: int) -> Reply:
    now = ctx.now()
    with ctx.tx() as s:
        mine = require_member(s, ctx.region_id, user)
        t = s.get(TradeOff, trade_off_id)
        conf = s.get(Conference, t.conference_id) if t is not None else None
        if t is None or conf is None or conf.region_id != ctx.region_id:
            raise Refusal("tradeoff_not_found")
        ids = set(concerned(s, conf))
        done = {a.actor_id: a for a in t.acks}
        todo = [m for m in mine if m.actor_id in ids and m.actor_id not in done]
        if not todo:
            already = next((m for m in mine if m.actor_id in done), None)
            if already is not None:
                raise Refusal("tradeoff_already", actor=already.actor_name,
                              user=user_mention(done[already.actor_id].user_id))
            raise Refusal("tradeoff_not_concerned")
        for m in todo:
            s.add(TradeOffAck(trade_off=t, actor_id=m.actor_id, user_id=user, at=now))
        s.flush()
        s.refresh(t)
        p = payload(ctx, view(s, t), open_=conf.status == OPEN)
        outbox.update(s, now, t.ref, p["text"], p["blocks"])
        record(s, now, "tradeoff.ack", region_id=ctx.region_id, user_id=user, subject=t.ref,
               actors=[m.actor_key for m in todo])
        return Reply()
