"""Which conference a report goes to, in plain Python over the database.

An open activated conference (unless the person said `ordinarie`), else the open ordinary
one, else the next ordinary one by the calendar that has not ended (closed, missed or
skipped); it is created if it does not exist yet. A report or modal that named a
conference which has ended since goes to the next ordinary one, and says so.

Reports come in bursts (a whole region reporting before the meeting), so the lookup is
one prepared query for every candidate, and the calendar is walked week by week only as
far as needed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterator

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from bot.conference import service as conference_service
from bot.conference.models import ACTIVATED, CLOSED, MISSED, OPEN, ORDINARY, SCHEDULED, SKIPPED, Conference
from bot.schedule.calendar import Kind, Occurrence, week_plan

ENDED = (CLOSED, MISSED, SKIPPED)  # a report can no longer go to such a conference
WEEKS_AHEAD = 10  # far enough past any run of skipped holiday weeks
_FIRST_LOOK = 3  # ordinary conferences looked up in the one query; more only if all of them ended

_CANDIDATES = select(Conference).where(
    Conference.region_id == bindparam("region_id"),
    or_(Conference.status == OPEN, Conference.week_key.in_(bindparam("keys", expanding=True))))


class NoConference(Exception):
    """The calendar has no ordinary conference in the coming weeks."""


@dataclass(frozen=True)
class ConferenceInfo:
    """What a person is told about a conference (plain values, also for one that does
    not exist in the database yet)."""

    id: int | None
    kind: str  # ordinary | activated
    number: int  # ordinary: ISO week; activated: running number
    iso_week: int
    status: str
    at: datetime | None  # ordinary: planned opening; activated: when it opened

    @property
    def activated(self) -> bool:
        return self.kind == ACTIVATED

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @classmethod
    def of(cls, conf: Conference, planned_at: datetime | None = None) -> "ConferenceInfo":
        at = conf.opened_at if conf.kind == ACTIVATED else (conf.scheduled_at or conf.opened_at or planned_at)
        return cls(conf.id, conf.kind, conf.number, conf.iso_week, conf.status, at)

    @classmethod
    def planned(cls, occ: Occurrence) -> "ConferenceInfo":
        return cls(None, ORDINARY, occ.iso_week[1], occ.iso_week[1], SCHEDULED, occ.at)


@dataclass(frozen=True)
class Target:
    conference: Conference | None  # None only from a read-only lookup (create=False)
    info: ConferenceInfo
    moved_from: ConferenceInfo | None = None  # the conference asked for had ended


def open_occurrences(cfg, since: datetime) -> Iterator[Occurrence]:
    """The ordinary conference openings at or after `since`, in order, lazily."""
    d: date = since.astimezone(cfg.tz).date() - timedelta(days=7)  # a week's opening may move a few days earlier
    found: list[Occurrence] = []
    for weeks in range(WEEKS_AHEAD + 2):
        y, w, _ = (d + timedelta(weeks=weeks)).isocalendar()
        found += [o for o in week_plan(cfg.conference, cfg.tz, y, w).occurrences
                  if o.kind == Kind.OPEN and o.at >= since]
        found.sort(key=lambda o: o.at)
        # Final once no later week can open before it: a week's opening is at most a few
        # days before its Monday (holidays: previous_workday), so never before d + (weeks - 1) weeks.
        while found and found[0].at.astimezone(cfg.tz).date() < d + timedelta(weeks=weeks - 1):
            yield found.pop(0)
    yield from found


_first_seen: dict[int, tuple[object, datetime, list[Occurrence]]] = {}


def first_occurrences(cfg, since: datetime) -> list[Occurrence]:
    """The first _FIRST_LOOK openings at or after `since` (open_occurrences). Remembered
    per region while still right: for a later `since` they are the same as long as the
    first of them has not passed, and a burst of reports asks the calendar once."""
    seen = _first_seen.get(id(cfg))
    if seen is not None and seen[0] is cfg and seen[1] <= since and (not seen[2] or since <= seen[2][0].at):
        return seen[2]
    first = [o for _, o in zip(range(_FIRST_LOOK), open_occurrences(cfg, since))]
    _first_seen[id(cfg)] = (cfg, since, first)
    return first


class Conferences:
    """The conferences a report could go to now, read with one query."""

    def __init__(self, s: Session, region_id: int, cfg, now: datetime):
        self.s, self.region_id, self.cfg, self.now = s, region_id, cfg, now
        self._first = first_occurrences(cfg, now - timedelta(minutes=cfg.conference.grace_minutes))
        keys = [conference_service.week_key(*o.iso_week) for o in self._first]
        rows = list(s.scalars(_CANDIDATES, {"region_id": region_id, "keys": keys}))
        opened = sorted((c for c in rows if c.status == OPEN), key=lambda c: c.opened_at or now, reverse=True)
        self.activated = next((c for c in opened if c.kind == ACTIVATED), None)
        self.open_ordinary = next((c for c in opened if c.kind == ORDINARY), None)
        self._by_key = {c.week_key: c for c in rows if c.week_key}

    @property
    def activated_running(self) -> bool:
        return self.activated is not None

    def target(self, *, ordinary: bool = False, conference_id: int | None = None, create: bool = True) -> Target:
        """Where a report goes now (see the module's docstring)."""
        if conference_id is not None:
            conf = self.s.get(Conference, conference_id)
            if conf is not None and conf.region_id != self.region_id:
                conf = None
            if conf is not None and conf.status not in ENDED:
                return Target(conf, ConferenceInfo.of(conf))
            nxt = self.next_ordinary(create=create)
            return Target(nxt.conference, nxt.info, ConferenceInfo.of(conf) if conf is not None else None)
        if not ordinary and self.activated is not None:
            return Target(self.activated, ConferenceInfo.of(self.activated))
        return self.next_ordinary(create=create)

    def next_ordinary(self, *, create: bool = True) -> Target:
        if self.open_ordinary is not None:
            return Target(self.open_ordinary, ConferenceInfo.of(self.open_ordinary))
        for n, occ in enumerate(self._candidates()):
            key = conference_service.week_key(*occ.iso_week)
            conf = self._by_key.get(key) if n < len(self._first) or key in self._by_key else self._by_week(key)
            if conf is not None and conf.status in ENDED:
                continue
            if conf is None and not create:
                return Target(None, ConferenceInfo.planned(occ))
            if conf is None:
                conf = conference_service.get_or_create_ordinary(
                    self.s, self.region_id, self.cfg.channel, *occ.iso_week, self.now, held_on=occ.held_on,
                    scheduled_at=occ.at, holiday=occ.holiday)
                self._by_key[key] = conf  # the next lookup of this transaction finds it
            elif conf.scheduled_at is None and create:
                conf.scheduled_at = occ.at
            return Target(conf, ConferenceInfo.of(conf, planned_at=occ.at))
        raise NoConference()

    def _candidates(self) -> Iterator[Occurrence]:
        yield from self._first
        if len(self._first) == _FIRST_LOOK:  # every one of them ended: the calendar goes on after the last
            yield from open_occurrences(self.cfg, self._first[-1].at + timedelta(microseconds=1))

    def _by_week(self, key: str) -> Conference | None:
        return self.s.scalars(select(Conference).where(Conference.region_id == self.region_id,
                                                       Conference.week_key == key)).first()

