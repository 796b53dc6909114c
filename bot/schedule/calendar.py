"""The pure calendar of the weekly conference: when each scheduled thing happens.

No database, no scheduler, no Slack: functions over a conference config and a given
instant, so the scheduler runner can be tested with an injected clock.

Local wall-clock times are mapped to UTC with zoneinfo. A time that does not exist
(spring-forward gap) is shifted forward by the gap; an ambiguous time (fall-back) takes
its first occurrence (fold=0). CLOSE is OPEN plus `duration_minutes` of elapsed time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays as _holidays

__all__ = [
    "ConferenceSchedule", "Kind", "Occurrence", "WeekPlan", "Timing", "POLICIES",
    "week_plan", "occurrences_between", "next_occurrences", "swedish_holiday",
    "is_workday", "previous_workday", "timing", "to_utc",
]

POLICIES = ("skip", "previous_workday", "hold")
_MAX_WALK_BACK = 14  # days; real Swedish calendars need at most 4


class ConferenceSchedule(Protocol):
    weekday: int  # 0 = Monday ... 6 = Sunday
    time: time
    call_for_reports: time | None
    reminder: time | None
    duration_minutes: int
    grace_minutes: int
    holidays: str  # "skip" | "previous_workday" | "hold" (a str-valued enum also works)


class Kind(StrEnum):
    CALL = "call_for_reports"
    REMINDER = "reminder"
    OPEN = "open"
    CLOSE = "close"


_KIND_ORDER = {k: i for i, k in enumerate(Kind)}


@dataclass(frozen=True)
class Occurrence:
    kind: Kind
    key_date: date  # nominal conference date of the ISO week: with region+kind the claim key
    at: datetime  # aware, UTC
    iso_week: tuple[int, int]
    held_on: date | None  # local date the conference is actually held; None when skipped
    holiday: str | None  # Swedish name of the holiday that hit the nominal day
    policy: str | None  # policy applied when a holiday hit; None in a normal week
    skipped: bool = False  # True only for the CALL notice of a skipped week


@dataclass(frozen=True)
class WeekPlan:
    iso_year: int
    iso_week: int
    nominal_date: date
    held_on: date | None
    holiday: str | None
    policy: str | None
    occurrences: tuple[Occurrence, ...]  # sorted by `at`

    @property
    def skipped(self) -> bool:
        return self.held_on is None

    @property
    def opens_at(self) -> datetime | None:
        """When this week's conference opens (None: skipped this week)."""
        return next((o.at for o in self.occurrences if o.kind == Kind.OPEN), None)


class Timing(StrEnum):
    FUTURE = "future"
    ON_TIME = "on_time"
    LATE = "late"
    MISSED = "missed"


# --- Swedish holidays -------------------------------------------------------------

@lru_cache(maxsize=64)
def _holidays_for(year: int) -> _holidays.HolidayBase:
    # PUBLIC + DE_FACTO = public holidays plus midsommarafton, julafton, nyårsafton.
    # include_sundays=False: plain Sundays ("Söndag") are not holidays here.
    return _holidays.country_holidays(
        "SE", years=year, language="sv", categories=("public", "de_facto"),
        include_sundays=False,
    )


def swedish_holiday(d: date) -> str | None:
    """Swedish name of the public holiday or de-facto non-working eve on `d`, else None.

    A named holiday that falls on a Sunday (Påskdagen, Pingstdagen) keeps its name;
    an ordinary Sunday is not a holiday.
    """
    return _holidays_for(d.year).get(d)


def is_workday(d: date) -> bool:
    return d.weekday() < 5 and swedish_holiday(d) is None


def previous_workday(d: date) -> date:
    """The closest workday strictly before `d`."""
    for back in range(1, _MAX_WALK_BACK + 1):
        candidate = d - timedelta(days=back)
        if is_workday(candidate):
            return candidate
    raise ValueError(f"no workday within {_MAX_WALK_BACK} days before {d}")


# --- local time -> UTC ------------------------------------------------------------

def to_utc(d: date, t: time, tz: ZoneInfo) -> datetime:
    """Local wall-clock `d t` in `tz` as an aware UTC datetime.

    With fold=0 zoneinfo resolves a gap time with the offset before the change, which
    is the wall time shifted forward by the gap, and an ambiguous time to its first
    occurrence.
    """
    local = datetime.combine(d, t.replace(tzinfo=None, fold=0)).replace(tzinfo=tz, fold=0)
    return local.astimezone(timezone.utc)


def _policy(conf: ConferenceSchedule) -> str:
    policy = str(getattr(conf.holidays, "value", conf.holidays))
    if policy not in POLICIES:
        raise ValueError(f"unknown holiday policy {policy!r}; expected one of {POLICIES}")
    return policy


# --- the plan of one week ---------------------------------------------------------

def week_plan(conf: ConferenceSchedule, tz: ZoneInfo, iso_year: int, iso_week: int) -> WeekPlan:
    """The week's occurrences. A pure function of its arguments, asked on every report
    (which conference it goes to): remembered for the schedules of the region file."""
    try:
        return _remembered_week_plan(conf, tz, iso_year, iso_week)
    except TypeError:  # a schedule that cannot be a key (one built by hand): computed each time
        return _week_plan(conf, tz, iso_year, iso_week)


def _week_plan(conf: ConferenceSchedule, tz: ZoneInfo, iso_year: int, iso_week: int) -> WeekPlan:
    nominal = date.fromisocalendar(iso_year, iso_week, conf.weekday + 1)
    holiday = swedish_holiday(nominal)
    policy = _policy(conf) if holiday else None

    def occ(kind: Kind, day: date, t: time, held_on: date | None, skipped: bool = False) -> Occurrence:
        return Occurrence(kind, nominal, to_utc(day, t, tz), (iso_year, iso_week),
                          held_on, holiday, policy, skipped)

    if policy == "skip":
        notice_day = previous_workday(nominal)
        occurrences = [occ(Kind.CALL, notice_day, conf.call_for_reports or conf.time, None, True)]
        held_on = None
    else:
        held_on = previous_workday(nominal) if policy == "previous_workday" else nominal
        occurrences = []
        if conf.call_for_reports is not None:
            occurrences.append(occ(Kind.CALL, held_on, conf.call_for_reports, held_on))
        if conf.reminder is not None:
            occurrences.append(occ(Kind.REMINDER, held_on, conf.reminder, held_on))
        opening = occ(Kind.OPEN, held_on, conf.time, held_on)
        closing = Occurrence(Kind.CLOSE, nominal, opening.at + timedelta(minutes=conf.duration_minutes),
                             (iso_year, iso_week), held_on, holiday, policy, False)
        occurrences += [opening, closing]
    occurrences.sort(key=lambda o: (o.at, _KIND_ORDER[o.kind]))
    return WeekPlan(iso_year, iso_week, nominal, held_on, holiday, policy, tuple(occurrences))


_remembered_week_plan = lru_cache(maxsize=1024)(_week_plan)


# --- ranges -----------------------------------------------------------------------

def occurrences_between(conf: ConferenceSchedule, tz: ZoneInfo,
                        start: datetime, end: datetime) -> list[Occurrence]:
    """All occurrences with start <= at < end, sorted, each week at most once."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if end <= start:
        return []
    # An occurrence lies between (nominal - walk-back - 1 day) and (nominal + 1 day +
    # duration); widen the range of nominal dates by that much on each side.
    lo = start.astimezone(timezone.utc).date() - timedelta(minutes=conf.duration_minutes, days=2)
    hi = end.astimezone(timezone.utc).date() + timedelta(days=_MAX_WALK_BACK + 2)
    nominal = lo + timedelta(days=(conf.weekday - lo.weekday()) % 7)
    found: list[Occurrence] = []
    while nominal <= hi:
        iso_year, iso_week, _ = nominal.isocalendar()
        found += [o for o in week_plan(conf, tz, iso_year, iso_week).occurrences if start <= o.at < end]
        nominal += timedelta(days=7)
    found.sort(key=lambda o: (o.at, _KIND_ORDER[o.kind]))
    return found


def next_occurrences(conf: ConferenceSchedule, tz: ZoneInfo, now: datetime,
                     horizon: timedelta = timedelta(days=8)) -> list[Occurrence]:
    """Occurrences with now <= at < now + horizon."""
    return occurrences_between(conf, tz, now, now + horizon)


def timing(occ: Occurrence, now: datetime, grace: timedelta,
           on_time_window: timedelta = timedelta(seconds=30)) -> Timing:
    """FUTURE before `at`; ON_TIME within `on_time_window` after; LATE within `grace`; else MISSED."""
    late_by = now - occ.at
    if late_by < timedelta(0):
        return Timing.FUTURE
    if late_by <= on_time_window:
        return Timing.ON_TIME
    if late_by <= grace:
        return Timing.LATE
    return Timing.MISSED


# --- labels -----------------------------------------------------------------------

_DAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli",
              "augusti", "september", "oktober", "november", "december")

