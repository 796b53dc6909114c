"""`/samverkan konflikt …`, `/samverkan konflikter` and the Löst button."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.actions.service import target_conference
from bot.audit.service import record
from bot.conflicts import service
from bot.conflicts.models import Conflict
from bot.context import BotContext
from bot.region import roles
from bot.region.service import memberships
from bot.reply import Refusal, Reply
from bot.slack import blocks as bk
from bot.slack.pages import answer_pages

RESOLVE_ACTION = "conflict_resolve"


def record_conflict(ctx: BotContext, user: str, text: str) -> Reply:
    now = ctx.now()
    with ctx.tx() as s:
        if not memberships(s, ctx.region_id, user):
            raise Refusal("after_not_member")
        actors, body = service.parse(s, ctx.region_id, text)
        conf = target_conference(s, ctx.region_id)
        row = service.create(s, ctx.region_id, conf.id if conf else None, actors, body, user, now)
        record(s, now, "conflict.create", region_id=ctx.region_id, user_id=user, subject=row.ref,
               actors=[a.key for a in actors])
        return Reply(ctx.renderer.t("conflict_saved", id=row.id, actors=", ".join(a.name for a in actors)))


def _blocks(ctx: BotContext, s: Session, c: Conflict) -> list[dict[str, Any]]:
    body = ctx.renderer.render("conflict_line.md.j2", conflict=c, actors=service.actor_names(s, c))
    return [*bk.sections(body), bk.actions(bk.button(ctx.renderer.t("conflict_resolve_button"), RESOLVE_ACTION,
                                                     str(c.id)), block_id=c.ref)]


def listing(ctx: BotContext, user: str) -> Reply:
    r = ctx.renderer
    with ctx.sf() as s:
        rows = service.open_conflicts(s, ctx.region_id)
        if not rows:
            return Reply(r.t("conflict_none"))
        body = [b for c in rows for b in _blocks(ctx, s, c)]
    return Reply.pages(answer_pages(r.t("conflict_list_header", count=len(rows)), body))


def resolve(ctx: BotContext, user: str, value: str | None) -> Reply:
    """`Löst`: a koordinator marks the conflict resolved."""
    now = ctx.now()
    with ctx.tx() as s:
        if not roles.is_koordinator(memberships(s, ctx.region_id, user)):
            raise Refusal("after_not_koordinator")
        row = s.get(Conflict, int(value)) if (value or "").isdigit() else None
        if row is None or row.region_id != ctx.region_id:
            raise Refusal("conflict_not_found", id=value or "?")
        if row.resolved_at is not None:
            raise Refusal("conflict_already_resolved", id=row.id, at=row.resolved_at)
        row.resolved_at, row.resolved_by = now, user
        record(s, now, "conflict.resolve", region_id=ctx.region_id, user_id=user, subject=row.ref)
        return Reply(ctx.renderer.t("conflict_resolved", id=row.id))


def open_lines(ctx: BotContext, s: Session) -> list[dict[str, Any]]:
    """Open conflicts for the opening and the samlad lägesbild: (id, actors, text)."""
    return service.open_views(s, ctx.region_id)
