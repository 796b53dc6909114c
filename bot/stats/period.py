"""Periods of the follow-up figures: a tertial (T1 Jan–Apr, T2 May–Aug, T3 Sep–Dec) or a year."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from bot.commands import fold

TERTIAL = re.compile(r"(\d{4})-?[Tt]([123])")
YEAR = re.compile(r"\d{4}")
TERTIAL_WORDS = ("", "tertial", "t")
YEAR_WORDS = ("ar", "year", "helar")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    year: int
    tertial: int | None  # None: the whole year
    first: date  # first day
    end: date  # the day after the last

    @property
    def last(self) -> date:
        return self.end - relativedelta(days=1)

    @property
    def key(self) -> str:
        return f"{self.year}-T{self.tertial}" if self.tertial else str(self.year)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: local midnights."""
        return (datetime.combine(self.first, time(), tzinfo=tz), datetime.combine(self.end, time(), tzinfo=tz))


def tertial(year: int, number: int) -> Period:
    if number not in (1, 2, 3):
        raise PeriodError(f"a tertial is T1, T2 or T3, got T{number}")
    first = date(year, 1, 1) + relativedelta(months=4 * (number - 1))
    return Period(year, number, first, first + relativedelta(months=4))


def year(y: int) -> Period:
    return Period(y, None, date(y, 1, 1), date(y + 1, 1, 1))


def tertial_of(day: date) -> Period:
    return tertial(day.year, (day.month - 1) // 4 + 1)


def parse(text: str) -> Period:
    """`2026-T3` or `2026` (the command line's forms)."""
    text = (text or "").strip()
    m = TERTIAL.fullmatch(text)
    if m:
        return tertial(int(m[1]), int(m[2]))
    if YEAR.fullmatch(text) and 1900 < int(text) < 3000:
        return year(int(text))
    raise PeriodError(f"expected a tertial such as 2026-T3 or a year such as 2026, got {text!r}")


def from_words(text: str, today: date) -> Period:
    """What `/samverkan statistik [tertial|år|2026|2026-T3]` asks for (default: this tertial)."""
    word = fold(text or "")
    if word in TERTIAL_WORDS:
        return tertial_of(today)
    if word in YEAR_WORDS:
        return year(today.year)
    return parse(text)
