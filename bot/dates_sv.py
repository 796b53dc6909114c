"""Swedish due dates as people type them, resolved against a given local "today".

Pure functions: the caller passes today's date in the region's zone (Europe/Stockholm),
so the same words always mean the same day in tests, the demo and production.

Decisions (shown back to the person, who can correct them):

* ``idag`` / ``i dag``, ``imorgon`` / ``i morgon``, ``i övermorgon``.
* A weekday (``fredag``, ``fre``) is the NEXT such day, today excluded: "senast torsdag"
  typed on a Thursday means next week's Thursday (for today, write ``idag``).
* ``nästa fredag`` is the Friday of next (ISO) week.
* ``nästa vecka`` is the Friday of next week (the end of next working week);
  ``denna vecka`` / ``den här veckan`` is this week's Friday.
* ``1 dec``, ``1 december``, ``den 1 december``, ``1/12``, optionally with a year
  (``1 dec 2027``, ``1/12/2027``): without a year, the next such date (today included).
* ``2026-12-01``: exactly that date.
* ``om 3 dagar``, ``om två veckor``, ``om en månad`` (up to 366 days, 52 weeks or 12
  months): calendar arithmetic (dateutil's ``relativedelta``), so ``om en månad`` from
  31 January is the last day of February, never 3 March.
* ``v. 49``, ``v49``, ``vecka 49`` (optionally ``v. 2 2027``): the Friday of that ISO week;
  without a year, this year's week if it has not passed, otherwise next year's.
* A date before today is refused (``DateError("past")``), as is one more than two years
  ahead (``DateError("far")``: a typo, and the scheduler must be able to add a day to
  it), and anything else
  (``DateError("unknown")``) or an impossible date (``DateError("invalid")``): never guessed.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import FR, relativedelta, weekday

__all__ = ["DateError", "parse_due", "WEEKDAYS_SV", "MONTHS_SV"]

FRIDAY = 4
HORIZON = timedelta(days=2 * 366)  # the latest due date: about two years from today

WEEKDAYS_SV: dict[str, int] = {
    "måndag": 0, "mandag": 0, "mån": 0, "man": 0,
    "tisdag": 1, "tis": 1,
    "onsdag": 2, "ons": 2,
    "torsdag": 3, "tors": 3, "tor": 3,
    "fredag": 4, "fre": 4,
    "lördag": 5, "lordag": 5, "lör": 5, "lor": 5,
    "söndag": 6, "sondag": 6, "sön": 6, "son": 6,
}

MONTHS_SV: dict[str, int] = {
    "januari": 1, "jan": 1,
    "februari": 2, "feb": 2,
    "mars": 3, "mar": 3,
    "april": 4, "apr": 4,
    "maj": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "augusti": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}


class DateError(ValueError):
    """The text is no date we understand. ``reason``: unknown | invalid | past | far."""

    def __init__(self, reason: str, text: str):
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason
        self.text = text


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH = re.compile(r"(?:den\s+)?(\d{1,2})\s*\.?\s*([a-zåäö]+)\.?(?:\s+(\d{4}))?")
_NUMERIC = re.compile(r"(?:den\s+)?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
_IN = re.compile(r"om\s+(\d{1,3}|en|ett|två|tva|tre|fyra)\s+(dag|dagar|vecka|veckor|månad|månader|manad|manader)")
_NUMBER_WORDS = {"en": 1, "ett": 1, "två": 2, "tva": 2, "tre": 3, "fyra": 4}
_IN_LIMITS = {"dag": ("days", 366), "vec": ("weeks", 52), "mån": ("months", 12), "man": ("months", 12)}
_WEEK = re.compile(r"(?:v\.?|vecka|veckan)\s*(\d{1,2})(?:\s*[,-]?\s*(\d{4}))?")


def _normalise(text: str) -> str:
    t = " ".join(text.strip().casefold().split())
    return t.rstrip(".,;!")


def _friday_of(iso_year: int, week: int, text: str) -> date:
    try:
        return date.fromisocalendar(iso_year, week, FRIDAY + 1)
    except ValueError:
        raise DateError("invalid", text) from None


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError("invalid", text) from None


def _next_of(month: int, day: int, today: date, text: str) -> date:
    """The next such day and month, today included (29 February: the next leap year's)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            if month == 2 and day == 29:
                continue
            raise DateError("invalid", text) from None
        if candidate >= today:
            return candidate
    raise DateError("invalid", text)


def _resolve(t: str, today: date, text: str) -> date:
    if t in ("idag", "i dag"):
        return today
    if t in ("imorgon", "i morgon"):
        return today + timedelta(days=1)
    if t in ("övermorgon", "i övermorgon", "overmorgon", "i overmorgon"):
        return today + timedelta(days=2)
    monday = today - timedelta(days=today.weekday())
    if t in ("nästa vecka", "nasta vecka"):
        return monday + relativedelta(weeks=1, weekday=FR)
    if t in ("denna vecka", "den här veckan", "den har veckan", "i veckan"):
        return monday + relativedelta(weekday=FR)
    if t in WEEKDAYS_SV:  # the next such day, today excluded
        return today + relativedelta(days=1, weekday=weekday(WEEKDAYS_SV[t]))
    words = t.split(" ")
    if len(words) == 2 and words[0] in ("nästa", "nasta") and words[1] in WEEKDAYS_SV:
        return monday + relativedelta(weeks=1, weekday=weekday(WEEKDAYS_SV[words[1]]))
    if m := _IN.fullmatch(t):
        count = _NUMBER_WORDS.get(m[1]) or int(m[1])
        unit, limit = _IN_LIMITS[m[2][:3]]
        if not 1 <= count <= limit:
            raise DateError("invalid", text)
        return today + relativedelta(**{unit: count})
    if m := _ISO.fullmatch(t):
        return _make(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _NUMERIC.fullmatch(t):
        day, month = int(m[1]), int(m[2])
        if m[3]:
            return _make(int(m[3]), month, day, text)
        if not 1 <= month <= 12:
            raise DateError("invalid", text)
        return _next_of(month, day, today, text)
    if (m := _DAY_MONTH.fullmatch(t)) and m[2] in MONTHS_SV:
        day, month = int(m[1]), MONTHS_SV[m[2]]
        if m[3]:
            return _make(int(m[3]), month, day, text)
        return _next_of(month, day, today, text)
    if m := _WEEK.fullmatch(t):
        week = int(m[1])
        if m[2]:
            return _friday_of(int(m[2]), week, text)
        this_year, this_week, _ = today.isocalendar()
        year = this_year if week >= this_week else this_year + 1
        return _friday_of(year, week, text)
    raise DateError("unknown", text)


def parse_due(text: str, today: date) -> date:
    """The date meant by `text` (see the module doc); raises DateError."""
    t = _normalise(text)
    if not t:
        raise DateError("unknown", text)
    due = _resolve(t, today, text)
    if due < today:
        raise DateError("past", text)
    if due > latest_due(today):
        raise DateError("far", text)
    return due


def latest_due(today: date) -> date:
    """The last day a due date may be (two years ahead)."""
    return today + HORIZON
