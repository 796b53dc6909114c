"""The pure calendar of the weekly conference (bot.schedule.calendar)."""
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

Time = time  # the config attribute `time` shadows the type inside the dataclass

from bot.schedule.calendar import (
    Kind, Occurrence, Timing, is_workday, next_occurrences,
    occurrences_between, previous_workday, swedish_holiday, timing, to_utc, week_plan,
)

TZ = ZoneInfo("Europe/Stockholm")
UTC = timezone.utc


@dataclass(frozen=True)
class Conf:
    weekday: int = 3
    time: Time = Time(16, 0)
    call_for_reports: Time | None = Time(9, 0)
    reminder: Time | None = Time(15, 0)
    duration_minutes: int = 60
    grace_minutes: int = 60
    holidays: str = "skip"


THU = Conf()


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def by_kind(plan) -> dict:
    return {o.kind: o for o in plan.occurrences}


# --- holidays -----------------------------------------------------------------------

@pytest.mark.parametrize("d, name", [
    (date(2026, 5, 14), "Kristi himmelsfärdsdag"),
    (date(2026, 12, 24), "Julafton"),
    (date(2026, 12, 31), "Nyårsafton"),
    (date(2026, 6, 19), "Midsommarafton"),
    (date(2026, 6, 20), "Midsommardagen"),
    (date(2026, 1, 1), "Nyårsdagen"),
    (date(2027, 3, 26), "Långfredagen"),
    (date(2026, 4, 5), "Påskdagen"),  # a named holiday on a Sunday keeps its name
])
def test_swedish_holiday_names(d, name):
    assert swedish_holiday(d) == name


def test_ordinary_days_and_sundays_are_not_holidays():
    assert swedish_holiday(date(2026, 3, 1)) is None  # an ordinary Sunday
    assert swedish_holiday(date(2026, 11, 26)) is None  # an ordinary Thursday
    assert swedish_holiday(date(2026, 12, 23)) is None  # lillejulafton is a workday


def test_is_workday():
    assert is_workday(date(2026, 11, 26))
    assert not is_workday(date(2026, 11, 28))  # Saturday
    assert not is_workday(date(2026, 11, 29))  # Sunday
    assert not is_workday(date(2026, 5, 14))  # Kristi himmelsfärdsdag
    assert not is_workday(date(2026, 6, 19))  # midsommarafton
    # Annandag påsk 2027 walks back over Sun, Sat, Långfredagen to Thursday.
    assert previous_workday(date(2027, 3, 29)) == date(2027, 3, 25)


# --- a normal week ------------------------------------------------------------------

def test_normal_week_winter():
    plan = week_plan(THU, TZ, 2026, 48)
    assert (plan.nominal_date, plan.held_on, plan.holiday, plan.policy) == (
        date(2026, 11, 26), date(2026, 11, 26), None, None)
    assert [o.kind for o in plan.occurrences] == [Kind.CALL, Kind.REMINDER, Kind.OPEN, Kind.CLOSE]
    assert [o.at for o in plan.occurrences] == [
        utc(2026, 11, 26, 8), utc(2026, 11, 26, 14), utc(2026, 11, 26, 15), utc(2026, 11, 26, 16)]
    for o in plan.occurrences:
        assert o.key_date == date(2026, 11, 26) and o.iso_week == (2026, 48)
        assert not o.skipped and o.holiday is None and o.policy is None


def test_optional_call_and_reminder_off():
    plan = week_plan(replace(THU, call_for_reports=None, reminder=None), TZ, 2026, 48)
    assert [o.kind for o in plan.occurrences] == [Kind.OPEN, Kind.CLOSE]


def test_close_across_midnight():
    plan = week_plan(replace(THU, time=time(23, 30), duration_minutes=90), TZ, 2026, 48)
    close = by_kind(plan)[Kind.CLOSE]
    assert close.at == utc(2026, 11, 27, 0) and close.key_date == date(2026, 11, 26)


def test_unknown_policy_rejected_only_when_a_holiday_hits():
    bad = replace(THU, holidays="ignore")
    assert week_plan(bad, TZ, 2026, 48).policy is None
    with pytest.raises(ValueError):
        week_plan(bad, TZ, 2026, 20)


# --- holiday policies on Kristi himmelsfärd, julafton, nyårsafton 2026 ---------------

@pytest.mark.parametrize("week, nominal, name, prev", [
    (20, date(2026, 5, 14), "Kristi himmelsfärdsdag", date(2026, 5, 13)),
    (52, date(2026, 12, 24), "Julafton", date(2026, 12, 23)),
    (53, date(2026, 12, 31), "Nyårsafton", date(2026, 12, 30)),
])
class TestPolicies:
    def test_hold(self, week, nominal, name, prev):
        plan = week_plan(replace(THU, holidays="hold"), TZ, 2026, week)
        assert (plan.held_on, plan.holiday, plan.policy) == (nominal, name, "hold")
        occ = by_kind(plan)
        assert occ[Kind.OPEN].at == to_utc(nominal, time(16), TZ)
        assert occ[Kind.OPEN].at.astimezone(TZ).date() == nominal
        assert all(o.policy == "hold" and o.holiday == name and not o.skipped for o in plan.occurrences)
        assert len(plan.occurrences) == 4

    def test_previous_workday(self, week, nominal, name, prev):
        plan = week_plan(replace(THU, holidays="previous_workday"), TZ, 2026, week)
        assert (plan.nominal_date, plan.held_on, plan.holiday, plan.policy) == (
            nominal, prev, name, "previous_workday")
        for o in plan.occurrences:
            assert o.key_date == nominal and o.held_on == prev and o.iso_week == (2026, week)
            assert o.at.astimezone(TZ).date() == prev
        assert by_kind(plan)[Kind.OPEN].at.astimezone(TZ).time() == time(16)
        assert by_kind(plan)[Kind.CALL].at.astimezone(TZ).time() == time(9)

    def test_skip(self, week, nominal, name, prev):
        plan = week_plan(THU, TZ, 2026, week)
        assert (plan.held_on, plan.holiday, plan.policy, plan.skipped) == (None, name, "skip", True)
        (notice,) = plan.occurrences
        assert notice.kind == Kind.CALL and notice.skipped and notice.held_on is None
        assert notice.key_date == nominal
        assert notice.at.astimezone(TZ) == datetime(prev.year, prev.month, prev.day, 9, tzinfo=TZ)


def test_kristi_himmelsfard_exact_utc():
    plan = week_plan(replace(THU, holidays="previous_workday"), TZ, 2026, 20)
    assert by_kind(plan)[Kind.OPEN].at == utc(2026, 5, 13, 14)  # CEST
    skip = week_plan(THU, TZ, 2026, 20)
    assert skip.occurrences[0].at == utc(2026, 5, 13, 7)


def test_skip_without_call_time_uses_opening_time():
    plan = week_plan(replace(THU, call_for_reports=None), TZ, 2026, 52)
    assert plan.occurrences[0].at == utc(2026, 12, 23, 15)  # 16:00 CET on Wednesday


def test_previous_workday_walks_over_several_days_2027():
    mon = replace(THU, weekday=0, holidays="previous_workday")
    plan = week_plan(mon, TZ, 2027, 13)  # Annandag påsk, Monday 29 March 2027
    assert (plan.nominal_date, plan.holiday, plan.held_on) == (
        date(2027, 3, 29), "Annandag påsk", date(2027, 3, 25))
    assert by_kind(plan)[Kind.OPEN].at == utc(2027, 3, 25, 15)  # still CET that Thursday
    fri = replace(THU, weekday=4, holidays="previous_workday")
    plan = week_plan(fri, TZ, 2027, 12)  # Långfredagen 26 March 2027
    assert (plan.holiday, plan.held_on) == ("Långfredagen", date(2027, 3, 25))


def test_friday_conference_on_new_years_day_2027_walks_over_nyarsafton():
    fri = replace(THU, weekday=4, holidays="previous_workday")
    plan = week_plan(fri, TZ, 2026, 53)  # Friday of 2026-W53 is 1 January 2027
    assert (plan.nominal_date, plan.holiday, plan.held_on) == (
        date(2027, 1, 1), "Nyårsdagen", date(2026, 12, 30))
    skip = week_plan(replace(fri, holidays="skip"), TZ, 2026, 53)
    assert skip.occurrences[0].at == utc(2026, 12, 30, 8)


# --- ISO week edges -----------------------------------------------------------------

def test_iso_week_53_and_next_year():
    assert week_plan(replace(THU, holidays="hold"), TZ, 2026, 53).nominal_date == date(2026, 12, 31)
    plan = week_plan(THU, TZ, 2027, 1)
    assert plan.nominal_date == date(2027, 1, 7) and plan.policy is None
    assert by_kind(plan)[Kind.OPEN].at == utc(2027, 1, 7, 15)
    with pytest.raises(ValueError):
        week_plan(THU, TZ, 2027, 53)  # 2027 has 52 ISO weeks


def test_week_1_conference_on_nyarsdagen_2026_moves_into_2025():
    plan = week_plan(replace(THU, holidays="previous_workday"), TZ, 2026, 1)
    assert (plan.nominal_date, plan.holiday) == (date(2026, 1, 1), "Nyårsdagen")
    assert plan.held_on == date(2025, 12, 30)  # walks over nyårsafton 2025
    assert all(o.iso_week == (2026, 1) for o in plan.occurrences)


def test_monday_conference_in_week_1_held_in_other_calendar_year():
    plan = week_plan(replace(THU, weekday=0), TZ, 2026, 1)
    assert plan.nominal_date == date(2025, 12, 29) and plan.iso_year == 2026


# --- DST ----------------------------------------------------------------------------

def test_thursday_after_dst_changes():
    assert by_kind(week_plan(THU, TZ, 2026, 13))[Kind.OPEN].at == utc(2026, 3, 26, 15)  # CET
    assert by_kind(week_plan(THU, TZ, 2026, 14))[Kind.OPEN].at == utc(2026, 4, 2, 14)  # CEST
    assert by_kind(week_plan(THU, TZ, 2026, 43))[Kind.OPEN].at == utc(2026, 10, 22, 14)  # CEST
    assert by_kind(week_plan(THU, TZ, 2026, 44))[Kind.OPEN].at == utc(2026, 10, 29, 15)  # CET


NIGHT = Conf(weekday=6, time=time(2, 30), call_for_reports=time(1, 30), reminder=None,
             duration_minutes=60)


def test_spring_forward_gap_shifts_forward():
    occ = by_kind(week_plan(NIGHT, TZ, 2026, 13))  # Sunday 29 March 2026
    assert occ[Kind.CALL].at == utc(2026, 3, 29, 0, 30)  # 01:30 CET exists
    assert occ[Kind.OPEN].at == utc(2026, 3, 29, 1, 30)  # 02:30 does not: 03:30 CEST
    assert occ[Kind.OPEN].at.astimezone(TZ).time() == time(3, 30)
    assert occ[Kind.CLOSE].at == utc(2026, 3, 29, 2, 30)  # a full hour later


def test_fall_back_ambiguous_takes_first():
    occ = by_kind(week_plan(NIGHT, TZ, 2026, 43))  # Sunday 25 October 2026
    assert occ[Kind.OPEN].at == utc(2026, 10, 25, 0, 30)  # first 02:30, CEST
    assert occ[Kind.CLOSE].at == utc(2026, 10, 25, 1, 30)  # 02:30 CET, one hour later
    assert to_utc(date(2026, 10, 25), time(2, 30, fold=1), TZ) == utc(2026, 10, 25, 0, 30)


# --- ranges -------------------------------------------------------------------------

def test_occurrences_between_across_week_boundary():
    occs = occurrences_between(THU, TZ, utc(2026, 11, 26, 15), utc(2026, 12, 3, 15))
    assert [(o.kind, o.at) for o in occs] == [
        (Kind.OPEN, utc(2026, 11, 26, 15)), (Kind.CLOSE, utc(2026, 11, 26, 16)),
        (Kind.CALL, utc(2026, 12, 3, 8)), (Kind.REMINDER, utc(2026, 12, 3, 14))]
    assert [o.iso_week for o in occs] == [(2026, 48)] * 2 + [(2026, 49)] * 2


def test_restart_window_returns_each_once():
    now = utc(2026, 11, 26, 15, 20)  # restart 20 minutes after the W48 opening
    grace = timedelta(minutes=THU.grace_minutes)
    occs = occurrences_between(THU, TZ, now - grace, now + timedelta(days=8))
    assert [(o.key_date, o.kind) for o in occs] == [
        (date(2026, 11, 26), Kind.OPEN), (date(2026, 11, 26), Kind.CLOSE),
        (date(2026, 12, 3), Kind.CALL), (date(2026, 12, 3), Kind.REMINDER),
        (date(2026, 12, 3), Kind.OPEN), (date(2026, 12, 3), Kind.CLOSE)]
    assert timing(occs[0], now, grace) == Timing.LATE  # open it late, once
    assert timing(occs[1], now, grace) == Timing.FUTURE
    # a second restart a minute later sees the same claim keys, not new ones
    assert occurrences_between(THU, TZ, now + timedelta(minutes=1) - grace,
                               now + timedelta(minutes=1, days=8)) == occs


def test_windows_that_overlap_agree_and_partition():
    start, mid, end = utc(2026, 12, 1), utc(2026, 12, 28, 12), utc(2027, 1, 20)
    for conf in (THU, replace(THU, holidays="previous_workday"), replace(THU, holidays="hold")):
        whole = occurrences_between(conf, TZ, start, end)
        assert whole == occurrences_between(conf, TZ, start, mid) + occurrences_between(conf, TZ, mid, end)
        assert len({(o.key_date, o.kind) for o in whole}) == len(whole)
        assert whole == sorted(whole, key=lambda o: o.at)


def test_moved_occurrence_found_in_the_previous_week_window():
    # Monday conference 2027-W13 (Annandag påsk) is held Thursday of W12.
    mon = replace(THU, weekday=0, holidays="previous_workday")
    occs = occurrences_between(mon, TZ, utc(2027, 3, 25), utc(2027, 3, 26))
    assert {o.key_date for o in occs} == {date(2027, 3, 29)}
    assert [o.kind for o in occs] == [Kind.CALL, Kind.REMINDER, Kind.OPEN, Kind.CLOSE]


def test_next_occurrences_and_boundaries():
    now = utc(2026, 12, 23, 8)  # exactly the skip notice for julafton
    occs = next_occurrences(THU, TZ, now)
    assert occs[0].skipped and occs[0].key_date == date(2026, 12, 24) and occs[0].at == now
    assert [o.key_date for o in occs] == [date(2026, 12, 24), date(2026, 12, 31)]
    assert occurrences_between(THU, TZ, now - timedelta(days=1), now) == []  # end is exclusive
    with pytest.raises(ValueError):
        occurrences_between(THU, TZ, datetime(2026, 12, 1), datetime(2026, 12, 8))


# --- timing -------------------------------------------------------------------------

def test_timing_boundaries():
    occ = by_kind(week_plan(THU, TZ, 2026, 48))[Kind.OPEN]
    at, grace = occ.at, timedelta(minutes=60)
    assert timing(occ, at - timedelta(microseconds=1), grace) == Timing.FUTURE
    assert timing(occ, at, grace) == Timing.ON_TIME
    assert timing(occ, at + timedelta(seconds=30), grace) == Timing.ON_TIME
    assert timing(occ, at + timedelta(seconds=31), grace) == Timing.LATE
    assert timing(occ, at + grace, grace) == Timing.LATE
    assert timing(occ, at + grace + timedelta(seconds=1), grace) == Timing.MISSED
    assert timing(occ, at + timedelta(seconds=5), grace, timedelta(0)) == Timing.LATE
    # an aware local "now" compares correctly with the UTC instant
    assert timing(occ, datetime(2026, 11, 26, 16, 10, tzinfo=TZ), grace) == Timing.LATE
    assert isinstance(occ, Occurrence) and occ.at.tzinfo is UTC
