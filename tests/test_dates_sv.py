"""Swedish due dates: every form, resolved against a fixed local today (Thursday 26 November 2026)."""
from __future__ import annotations

from datetime import date

import pytest

from bot.dates_sv import DateError, parse_due

THU = date(2026, 11, 26)  # Thursday, ISO week 48


@pytest.mark.parametrize("text, expected", [
    ("idag", THU), ("i dag", THU), ("Idag", THU),
    ("imorgon", date(2026, 11, 27)), ("i morgon", date(2026, 11, 27)),
    ("i övermorgon", date(2026, 11, 28)),
    ("fredag", date(2026, 11, 27)), ("fre", date(2026, 11, 27)),
    ("måndag", date(2026, 11, 30)), ("mandag", date(2026, 11, 30)),
    ("torsdag", date(2026, 12, 3)),  # today excluded: next week's Thursday
    ("onsdag", date(2026, 12, 2)),
    ("nästa fredag", date(2026, 12, 4)), ("nästa måndag", date(2026, 11, 30)),
    ("nästa vecka", date(2026, 12, 4)),  # Friday of next week
    ("denna vecka", date(2026, 11, 27)),
    ("1 dec", date(2026, 12, 1)), ("1 december", date(2026, 12, 1)), ("den 1 december", date(2026, 12, 1)),
    ("1 dec.", date(2026, 12, 1)), ("26 nov", THU),
    ("1 jan", date(2027, 1, 1)),  # next such date
    ("3 mars 2027", date(2027, 3, 3)),
    ("1/12", date(2026, 12, 1)), ("15/1/2027", date(2027, 1, 15)),
    ("2026-12-01", date(2026, 12, 1)), ("2026-11-26", THU),
    ("v. 49", date(2026, 12, 4)), ("v49", date(2026, 12, 4)), ("vecka 49", date(2026, 12, 4)),
    ("v.49", date(2026, 12, 4)), ("v. 48", date(2026, 11, 27)),
    ("v. 2", date(2027, 1, 15)),  # a week already past this year: next year's
    ("v. 2 2027", date(2027, 1, 15)),
])
def test_each_form_resolves(text, expected):
    assert parse_due(text, THU) == expected


def test_weekday_on_a_sunday_means_the_coming_week():
    sunday = date(2026, 11, 29)
    assert parse_due("måndag", sunday) == date(2026, 11, 30)
    assert parse_due("nästa vecka", sunday) == date(2026, 12, 4)  # next ISO week's Friday


@pytest.mark.parametrize("text, reason", [
    ("snart", "unknown"), ("senare", "unknown"), ("", "unknown"), ("32 dec", "invalid"), ("1 foo", "unknown"),
    ("2026-02-30", "invalid"), ("31/2", "invalid"), ("v. 54", "invalid"), ("1/13", "invalid"),
    ("2026-11-25", "past"), ("1 nov 2026", "past"), ("v. 47 2026", "past"),
])
def test_refused_not_guessed(text, reason):
    with pytest.raises(DateError) as e:
        parse_due(text, THU)
    assert e.value.reason == reason


def test_leap_day_without_year_is_the_next_leap_year():
    assert parse_due("29 feb", THU) == date(2028, 2, 29)
