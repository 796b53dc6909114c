"""Målkonflikter in plain Python over the database, and parsing `<aktör> [<aktör> …]: <text>`."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conflicts.models import Conflict
from bot.region.models import Actor
from bot.region import resolve
from bot.reply import Refusal

MAX_TEXT = 2500


def _actors(s: Session, region_id: int, head: str) -> list[Actor]:
    """The actors named before the colon: ids, names (the longest that matches) or
    members, separated by spaces or commas; each once, in the order typed."""
    found: list[Actor] = []
    for part in head.split(","):
        rest = part.strip()
        while rest:
            hit = resolve.leading_actor(s, region_id, rest)
            if hit is None:
                word = rest.split()[0]
                actor = resolve.actor(s, region_id, word)  # a member, e.g. <@U…>
                if actor is None:
                    raise Refusal("conflict_unknown_actor", word=word)
                rest = rest[len(word):].strip()
            else:
                actor, end = hit
                rest = rest[end:].strip()
            if actor not in found:
                found.append(actor)
    return found


def parse(s: Session, region_id: int, text: str) -> tuple[list[Actor], str]:
    """`<aktör> [<aktör> …]: <text>` -> (the actors, the text)."""
    head, colon, body = (text or "").partition(":")
    if not colon or not head.strip():
        raise Refusal("conflict_usage")
    body = body.strip()
    if not body:
        raise Refusal("conflict_no_text")
    if len(body) > MAX_TEXT:
        raise Refusal("after_too_long", length=len(body), limit=MAX_TEXT)
    return _actors(s, region_id, head), body


def create(s: Session, region_id: int, conference_id: int | None, actors: list[Actor], text: str, user_id: str,
           now: datetime) -> Conflict:
    row = Conflict(region_id=region_id, conference_id=conference_id, actor_ids=[a.id for a in actors], text=text,
                   created_by=user_id, created_at=now)
    s.add(row)
    s.flush()
    return row


def open_conflicts(s: Session, region_id: int) -> list[Conflict]:
    return list(s.scalars(select(Conflict).where(Conflict.region_id == region_id, Conflict.resolved_at.is_(None))
                          .order_by(Conflict.id)))


def for_conferences(s: Session, conference_ids: list[int]) -> list[Conflict]:
    if not conference_ids:
        return []
    return list(s.scalars(select(Conflict).where(Conflict.conference_id.in_(conference_ids)).order_by(Conflict.id)))


def open_views(s: Session, region_id: int) -> list[dict]:
    """The open conflicts as shown in an opening or a summary: id, actor names, text."""
    return [{"id": c.id, "actors": actor_names(s, c), "text": c.text} for c in open_conflicts(s, region_id)]


def actor_names(s: Session, conflict: Conflict) -> list[str]:
    names = {a.id: a.name for a in s.scalars(select(Actor).where(Actor.id.in_(conflict.actor_ids or [])))}
    return [names[i] for i in conflict.actor_ids or [] if i in names]
