"""The weekly automatic summary (veckosammanfattning) as data (its messages: summary/messages.py).

Which week it covers: the ISO week of the digest's date if the digest comes after the
conference's opening in that week (default: Friday 09.00 after the Thursday 16.00
conference), otherwise the week before (a Monday digest reports on the past week).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.actions import service as actions
from bot.actions.service import ItemView
from bot.conference import service as conferences
from bot.conference.models import ACTIVATED, CLOSED, OPEN, ORDINARY, Conference
from bot.floor.service import participation
from bot.region.service import active_actors
from bot.report.models import Report
from bot.summary.chart import WeekPoint

WEEKS_IN_CHART = 12


@dataclass(frozen=True)
class ConferenceLine:
    conference: Conference
    activated: bool
    held: bool
    reported: int
    spoke: int
    total: int
    missing: list[str]  # actors without a report (ordinary conferences only)


@dataclass
class Digest:
    iso_year: int
    iso_week: int
    conferences: list[ConferenceLine]
    by_actor: list[tuple[str, list[ItemView]]]  # open items grouped by owner, overdue first
    open_count: int
    overdue_count: int
    points: list[WeekPoint]


def covered_week(digest_day: date, digest_time: time, conference_weekday: int,
                 conference_time: time) -> tuple[int, int]:
    after = (digest_day.weekday(), digest_time) > (conference_weekday, conference_time)
    day = digest_day if after else digest_day - timedelta(days=7)
    y, w, _ = day.isocalendar()
    return y, w


def _reported_ids(s: Session, conf: Conference) -> list[int]:
    p = participation(s, conf.id)
    if p.reported:
        return list(p.reported)
    return list(s.scalars(select(Report.actor_id).where(Report.conference_id == conf.id)))


def _line(s: Session, conf: Conference, actors) -> ConferenceLine:
    held = conf.status in (OPEN, CLOSED)
    reported = set(_reported_ids(s, conf)) if held else set()
    spoke = len(participation(s, conf.id).spoke) if held else 0
    missing = [a.name for a in actors if a.id not in reported] if held and conf.kind == ORDINARY else []
    return ConferenceLine(conf, conf.kind == ACTIVATED, held, len(reported), spoke, len(actors), missing)


def points(s: Session, region_id: int, iso_year: int, iso_week: int, total: int) -> list[WeekPoint]:
    monday = date.fromisocalendar(iso_year, iso_week, 1)
    out = []
    for back in range(WEEKS_IN_CHART - 1, -1, -1):
        y, w, _ = (monday - timedelta(weeks=back)).isocalendar()
        conf = next((c for c in conferences.by_week(s, region_id, y, w)
                     if c.kind == ORDINARY and c.status in (OPEN, CLOSED)), None)
        out.append(WeekPoint(w, len(set(_reported_ids(s, conf))) if conf else None, total))
    return out


def build(s: Session, region_id: int, iso_year: int, iso_week: int, today: date) -> Digest:
    actors = active_actors(s, region_id)
    lines = [_line(s, c, actors) for c in conferences.by_week(s, region_id, iso_year, iso_week)]
    lines.sort(key=lambda l: (l.activated, l.conference.opened_at or l.conference.created_at))
    views = actions.open_views(s, region_id, today)
    grouped: dict[str, list[ItemView]] = {}
    for v in views:
        grouped.setdefault(v.owner_name, []).append(v)
    by_actor = sorted(grouped.items(), key=lambda kv: (-sum(v.overdue for v in kv[1]), kv[0]))
    return Digest(iso_year, iso_week, lines, by_actor, len(views), sum(v.overdue for v in views),
                  points(s, region_id, iso_year, iso_week, len(actors)))
