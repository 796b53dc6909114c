"""Holiday names in the interface language.

A conference stores the holiday it falls on by its Swedish name, as the `holidays` package
gives it (`Julafton`); an English region shows it as `Christmas Eve`."""
from __future__ import annotations

from functools import lru_cache

import holidays

_LOCALES = {"en": "en_US"}  # the package's names for an interface language
_KINDS = ("public", "de_facto")
_YEARS = range(2020, 2041)


@lru_cache(maxsize=4)
def _names(language: str) -> dict[str, str]:
    """Swedish name -> name in `language`, over enough years to meet every holiday."""
    sv = holidays.country_holidays("SE", years=_YEARS, language="sv", categories=_KINDS)
    other = holidays.country_holidays("SE", years=_YEARS, language=_LOCALES.get(language, language),
                                      categories=_KINDS)
    names: dict[str, str] = {}
    for day, sv_name in sv.items():
        names.update(zip(sv_name.split("; "), other.get(day, sv_name).split("; ")))
    return names


def holiday_name(name: str | None, language: str) -> str:
    """`name` (Swedish, or several joined by "; ") in `language`; unknown names as given."""
    if not name or language == "sv":
        return name or ""
    names = _names(language)
    return "; ".join(names.get(part, part) for part in name.split("; "))
