"""Conference life cycle, in plain Python over the database (no Slack here)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.conference.models import ACTIVATED, CLOSED, MISSED, OPEN, ORDINARY, SCHEDULED, SKIPPED, Conference


def week_key(iso_year: int, iso_week: int) -> str:
    return f"{iso_year}-W{iso_week:02d}"


def find_ordinary(session: Session, region_id: int, iso_year: int, iso_week: int) -> Conference | None:
    return session.scalars(select(Conference).where(Conference.region_id == region_id,
                                                    Conference.week_key == week_key(iso_year, iso_week))).first()


def planned_ordinary(region_id: int, channel: str, iso_year: int, iso_week: int, now: datetime, *,
                     scheduled_at: datetime | None = None, holiday: str | None = None) -> Conference:
    """An ordinary conference as it will be stored, not stored (not in any session)."""
    return Conference(region_id=region_id, kind=ORDINARY, year=iso_year, number=iso_week, iso_year=iso_year,
                      iso_week=iso_week, week_key=week_key(iso_year, iso_week), status=SCHEDULED, channel=channel,
                      created_at=now, scheduled_at=scheduled_at, holiday=holiday)


def get_or_create_ordinary(session: Session, region_id: int, channel: str, iso_year: int, iso_week: int,
                           now: datetime, *, held_on: date | None = None, scheduled_at: datetime | None = None,
                           holiday: str | None = None) -> Conference:
    conf = find_ordinary(session, region_id, iso_year, iso_week)
    if conf is None:
        conf = planned_ordinary(region_id, channel, iso_year, iso_week, now)
        session.add(conf)
    if held_on is not None:
        conf.held_on = held_on.isoformat()
    if scheduled_at is not None:
        conf.scheduled_at = scheduled_at
    if holiday is not None:
        conf.holiday = holiday
    session.flush()
    return conf


def mark_open(conf: Conference, now: datetime, late_minutes: int = 0) -> None:
    conf.status, conf.opened_at, conf.late_minutes = OPEN, now, late_minutes


def mark_closed(conf: Conference, now: datetime) -> None:
    conf.status, conf.closed_at = CLOSED, now


def mark_missed(conf: Conference) -> None:
    conf.status = MISSED


def mark_skipped(conf: Conference) -> None:
    conf.status = SKIPPED


def current_ordinary(session: Session, region_id: int) -> Conference | None:
    """The open ordinary conference, else the next scheduled one."""
    for status in (OPEN, SCHEDULED):
        conf = session.scalars(select(Conference).where(Conference.region_id == region_id,
                                                        Conference.kind == ORDINARY, Conference.status == status)
                               .order_by(Conference.iso_year, Conference.iso_week)).first()
        if conf is not None:
            return conf
    return None


def current_activated(session: Session, region_id: int) -> Conference | None:
    return session.scalars(select(Conference).where(Conference.region_id == region_id,
                                                    Conference.kind == ACTIVATED, Conference.status == OPEN)
                           .order_by(Conference.opened_at.desc())).first()


def next_activation_number(session: Session, region_id: int, year: int) -> int:
    top = session.scalar(select(func.max(Conference.number)).where(
        Conference.region_id == region_id, Conference.kind == ACTIVATED, Conference.year == year))
    return (top or 0) + 1


def by_week(session: Session, region_id: int, iso_year: int, iso_week: int) -> list[Conference]:
    """Every conference (ordinary and activated) of an ISO week."""
    return list(session.scalars(select(Conference).where(
        Conference.region_id == region_id, Conference.iso_year == iso_year, Conference.iso_week == iso_week)
        .order_by(Conference.kind.desc(), Conference.number)))


def open_conferences(session: Session, region_id: int) -> list[Conference]:
    """The region's conferences that are open now (an ordinary and an activated one at most)."""
    return list(session.scalars(select(Conference).where(Conference.region_id == region_id,
                                                         Conference.status == OPEN)))
