"""Relative due dates computed with dateutil's relativedelta (bot/dates_sv.py)."""
from datetime import date

import pytest

from bot.dates_sv import DateError, parse_due

THU = date(2026, 12, 3)  # a Thursday


@pytest.mark.parametrize("text, expected", [
    ("om 3 dagar", date(2026, 12, 6)),
    ("om en vecka", date(2026, 12, 10)),
    ("om två veckor", date(2026, 12, 17)),
    ("om 1 månad", date(2027, 1, 3)),
    ("om tre månader", date(2027, 3, 3)),
    # calendar months: the end of a short month, not an overflow into the next
    ("om en månad", date(2027, 2, 28)),
])
def test_relative_spans(text, expected):
    today = date(2027, 1, 31) if text == "om en månad" else THU
    assert parse_due(text, today) == expected


@pytest.mark.parametrize("text", ["om 0 dagar", "om 13 månader", "om 53 veckor"])
def test_relative_spans_out_of_range_are_refused(text):
    with pytest.raises(DateError) as e:
        parse_due(text, THU)
    assert e.value.reason == "invalid"


def test_weekdays_still_mean_the_next_such_day():
    assert parse_due("torsdag", THU) == date(2026, 12, 10)  # today excluded
    assert parse_due("fredag", THU) == date(2026, 12, 4)
    assert parse_due("nästa måndag", THU) == date(2026, 12, 7)
    assert parse_due("nästa vecka", THU) == date(2026, 12, 11)
    assert parse_due("denna vecka", date(2026, 12, 4)) == date(2026, 12, 4)
