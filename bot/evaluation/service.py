"""Snabbutvärdering in plain Python over the database (no Slack here)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.activation.service import koordinators
from bot.evaluation.models import SCORES, TEXTS, Evaluation
from bot.region import roles
from bot.region.service import actor_members, memberships
from bot.region.models import Actor

MAX_TEXT = 3000


def evaluators(s: Session, region_id: int, host_key: str | None) -> list[str]:
    """Who is asked: every koordinator and the host actor's TiBs (file order, no repeats)."""
    users = list(koordinators(s, region_id))
    if host_key:
        host = s.scalars(select(Actor).where(Actor.region_id == region_id, Actor.key == host_key)).first()
        if host is not None:
            users += actor_members(s, host.id, "tib")
    return list(dict.fromkeys(users))


def may_evaluate(s: Session, region_id: int, user_id: str, host_key: str | None) -> bool:
    return roles.is_koordinator(memberships(s, region_id, user_id)) or user_id in evaluators(s, region_id, host_key)


def of(s: Session, conference_id: int, user_id: str) -> Evaluation | None:
    return s.scalars(select(Evaluation).where(Evaluation.conference_id == conference_id,
                                              Evaluation.user_id == user_id)).first()


def for_conferences(s: Session, conference_ids: list[int]) -> list[Evaluation]:
    if not conference_ids:
        return []
    return list(s.scalars(select(Evaluation).where(Evaluation.conference_id.in_(conference_ids))
                          .order_by(Evaluation.conference_id, Evaluation.created_at)))


def save(s: Session, region_id: int, conference_id: int, user_id: str, scores: dict[str, int],
         texts: dict[str, str | None], now: datetime) -> tuple[Evaluation, bool]:
    """Stores the person's evaluation of the conference; (row, True) if it replaced one."""
    row = of(s, conference_id, user_id)
    replaced = row is not None
    if row is None:
        row = Evaluation(region_id=region_id, conference_id=conference_id, user_id=user_id, created_at=now)
        s.add(row)
    for k in SCORES:
        setattr(row, k, scores[k])
    for k in TEXTS:
        setattr(row, k, texts.get(k) or None)
    row.updated_at = now
    s.flush()
    return row, replaced
