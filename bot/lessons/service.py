"""Erfarenhetsloggen in plain Python over the database."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.lessons.models import Lesson

MAX_TEXT = 2500


def add(s: Session, region_id: int, conference_id: int | None, actor_id: int | None, text: str, user_id: str,
        now: datetime) -> Lesson:
    row = Lesson(region_id=region_id, conference_id=conference_id, actor_id=actor_id, text=text, user_id=user_id,
                 created_at=now)
    s.add(row)
    s.flush()
    return row


def latest(s: Session, region_id: int, limit: int) -> tuple[list[Lesson], int]:
    """The latest `limit` lessons (newest first) and how many there are in all."""
    total = s.scalar(select(func.count(Lesson.id)).where(Lesson.region_id == region_id)) or 0
    rows = s.scalars(select(Lesson).where(Lesson.region_id == region_id)
                     .order_by(Lesson.created_at.desc(), Lesson.id.desc()).limit(limit))
    return list(rows), total


def for_conferences(s: Session, conference_ids: list[int]) -> list[Lesson]:
    if not conference_ids:
        return []
    return list(s.scalars(select(Lesson).where(Lesson.conference_id.in_(conference_ids)).order_by(Lesson.id)))
