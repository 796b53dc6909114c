"""Which conference something written after a meeting belongs to."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conference.models import Conference


def latest_held(s: Session, region_id: int) -> Conference | None:
    """The conference opened last (ordinary or activated, open or closed), if any."""
    return s.scalars(select(Conference).where(Conference.region_id == region_id, Conference.opened_at.is_not(None))
                     .order_by(Conference.opened_at.desc(), Conference.id.desc())).first()
