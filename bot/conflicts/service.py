"""Målkonflikter in plain Python over the database, and parsing `<aktör> [<aktör> …]: <text>`."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conflicts.models import Conflict
from bot.region.models import Actor
from bot.region.service import active_actors

MAX_TEXT = 2500
MAX_NAME_WORDS = 8


class ParseError(Exception):
    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key, self.values = key, values


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def parse(s: Session, region_id: int, text: str) -> tuple[list[Actor], str]:
    """The actors (ids or names, by spaces or commas, the longest name first) before the
    first colon, and the text after it."""
    head, colon, body = (text or "").partition(":")
    if not colon or not head.strip():
        raise ParseError("conflict_usage")
    body = body.strip()
    if not body:
        raise ParseError("conflict_no_text")
    if len(body) > MAX_TEXT:
        raise ParseError("after_too_long", length=len(body), limit=MAX_TEXT)
    index: dict[str, Actor] = {}
    for a in active_actors(s, region_id):
        index.setdefault(_fold(a.key), a)
        index.setdefault(_fold(a.name), a)
    words = re.split(r"[\s,]+", head.strip())
    found: list[Actor] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            actor = index.get(_fold(" ".join(words[i:i + n])))
            if actor is not None:
                break
        else:
            raise ParseError("conflict_unknown_actor", word=words[i])
        if actor not in found:
            found.append(actor)
        i += n
    return found, body


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


def actor_names(s: Session, conflict: Conflict) -> list[str]:
    names = {a.id: a.name for a in s.scalars(select(Actor).where(Actor.id.in_(conflict.actor_ids or [])))}
    return [names[i] for i in conflict.actor_ids or [] if i in names]
