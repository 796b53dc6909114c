"""`/samverkan dagordning`: the leader's modal for a conference's agenda, its
submission, and the agenda as shown in the kallelse and the opening."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot import modal_inputs as mi
from bot.agenda import service
from bot.agenda.models import KINDS, MAX_POINTS
from bot.audit.service import record
from bot.conference import target
from bot.conference.leader import require_leader
from bot.conference.models import ACTIVATED, Conference
from bot.context import BotContext
from bot.region.service import active_actors, actor_members
from bot.reply import Refusal, Reply
from bot.slack import blocks as bk
from bot.slack import outbox

CALLBACK_ID = "agenda_modal"


def where(ctx: BotContext, conf: Conference) -> str:
    r = ctx.renderer
    if conf.kind == ACTIVATED:
        return r.t("leading_where_activated", number=conf.number)
    return r.t("leading_where_ordinary", week=conf.iso_week)


def text(ctx: BotContext, s: Session, conf: Conference) -> str:
    """The agenda as mrkdwn (the kallelse, the opening, the thread)."""
    r = ctx.renderer
    agenda = service.agenda_of(s, ctx.cfg, conf, r.language)
    return r.render("agenda_list.md.j2", points=agenda.points, kinds=_kind_labels(ctx))


def _kind_labels(ctx: BotContext) -> dict[str, str]:
    return {k: ctx.renderer.t(f"agenda_kind_{k}") for k in KINDS}


def modal(ctx: BotContext, user: str) -> Reply:
    r = ctx.renderer
    with ctx.tx() as s:
        require_leader(s, ctx.cfg, ctx.region_id, user)
        conf = target.open_or_next(ctx, s)
        if conf is None:
            raise Refusal("leading_no_conference")
        agenda = service.agenda_of(s, ctx.cfg, conf, r.language)
        actors = [(a.name, a.key) for a in active_actors(s, ctx.region_id)]
        head = r.t("agenda_modal_head", where=where(ctx, conf), count=MAX_POINTS)
        conf_id = conf.id
    kinds = [(label, k) for k, label in _kind_labels(ctx).items()]
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    for i in range(1, MAX_POINTS + 1):
        p = agenda.points[i - 1] if i <= len(agenda.points) else None
        blocks += [
            mi.text_input(f"p{i}_title", r.t("agenda_modal_title", n=i), initial=p.title if p else None,
                          max_length=service.MAX_TITLE),
            mi.select(f"p{i}_kind", r.t("agenda_modal_kind", n=i), kinds, initial=p.kind if p else None),
            mi.text_input(f"p{i}_purpose", r.t("agenda_modal_purpose", n=i), initial=p.purpose if p else None,
                          multiline=True, max_length=service.MAX_PURPOSE),
            mi.multi_select(f"p{i}_prepare", r.t("agenda_modal_prepare", n=i), actors,
                            initial=p.prepare if p else ()),
        ]
    return Reply.modal(mi.modal(CALLBACK_ID, r.t("agenda_modal_heading"), r.t("leading_modal_save"),
                                r.t("leading_modal_cancel"), blocks, str(conf_id)))


def read(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The submitted points as plain values (empty rows included, in order)."""
    return [{"title": mi.read_text(values, f"p{i}_title"), "kind": mi.read_choice(values, f"p{i}_kind"),
             "purpose": mi.read_text(values, f"p{i}_purpose"),
             "prepare": mi.read_choices(values, f"p{i}_prepare")} for i in range(1, MAX_POINTS + 1)]


def _points(rows: list[dict[str, Any]]) -> list[service.Point]:
    points = []
    for i, row in enumerate(rows[:MAX_POINTS], start=1):
        title = (row.get("title") or "").strip()
        if not title:
            if (row.get("purpose") or "").strip() or row.get("prepare"):
                raise Refusal("agenda_title_missing", field=f"p{i}_title")
            continue
        if len(title) > service.MAX_TITLE:
            raise Refusal("agenda_title_too_long", field=f"p{i}_title", limit=service.MAX_TITLE)
        kind = row.get("kind") or "information"
        if kind not in KINDS:
            raise Refusal("agenda_kind_unknown", field=f"p{i}_kind")
        purpose = (row.get("purpose") or "").strip() or None
        points.append(service.Point(title, kind, purpose, tuple(dict.fromkeys(row.get("prepare") or ()))))
    if not points:
        raise Refusal("agenda_empty", field="p1_title")
    return points


def submit(ctx: BotContext, user: str, conference_id: int, rows: list[dict[str, Any]]) -> Reply:
    points = _points(rows)
    now = ctx.now()
    with ctx.tx() as s:
        require_leader(s, ctx.cfg, ctx.region_id, user)
        conf = s.get(Conference, conference_id)
        if conf is None or conf.region_id != ctx.region_id or conf.status not in ("scheduled", "open"):
            raise Refusal("agenda_conference_gone")
        actors = {a.key: a for a in active_actors(s, ctx.region_id)}
        unknown = [k for p in points for k in p.prepare if k not in actors]
        if unknown:
            raise Refusal("agenda_unknown_actor", key=unknown[0])
        asked = service.replace(s, conf, points, user, now)
        _tell_preparers(ctx, s, conf, points, [actors[k] for k in actors if k in asked])
        if conf.status == "open":
            outbox.post_or_update(s, now, conf.channel, f"agenda:{conf.id}", ctx.renderer.t("agenda_fallback"),
                                  bk.sections(text(ctx, s, conf)),
                                  thread_ref=conf.ref)
        record(s, now, "agenda.set", region_id=ctx.region_id, user_id=user, subject=conf.ref, points=len(points))
        names = sorted(actors[k].name for k in asked)
        return Reply(ctx.renderer.t("agenda_saved", where=where(ctx, conf), count=len(points),
                                    asked=", ".join(names)))


def _tell_preparers(ctx: BotContext, s: Session, conf: Conference, points: list[service.Point], asked) -> None:
    """A DM to the TiBs (else every member) of each actor newly asked to prepare a point."""
    r, now = ctx.renderer, ctx.now()
    for actor in asked:
        mine = [p for p in points if actor.key in p.prepare]
        users = actor_members(s, actor.id, "tib") or actor_members(s, actor.id)
        body = r.render("agenda_dm.md.j2", actor=actor.name, where=where(ctx, conf), points=mine,
                        kinds=_kind_labels(ctx), open_at=conf.scheduled_at, is_open=conf.status == "open")
        for u in users:
            outbox.post(s, now, u, r.t("agenda_dm_fallback", where=where(ctx, conf)),
                        bk.sections(body))
