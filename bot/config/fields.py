"""Parsers for the scalar values of the region file.

Each parser takes the raw value as YAML handed it and either returns the parsed
value or raises ``ValueError`` whose text is the operator-facing problem (without
the key path; the caller adds that). Values are shown with :func:`show`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import zoneinfo
from collections.abc import Iterable

from bot.region import roles

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")

ROLES = frozenset(roles.ALL)
ROLE_ORDER = roles.ALL  # for messages

_TIME_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_SLUG_MAX = 64
_USER_RE = re.compile(r"^[UW][A-Z0-9]{2,}$")
_CHANNEL_RE = re.compile(r"^[CG][A-Z0-9]{2,}$")
_CHANNEL_PREFIX_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")

# Written as "false", "off" or null in YAML, or as one of these words in quotes.
_DISABLED_WORDS = frozenset({"off", "false", "no", "none", "null", ""})

_TRANSLIT = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", " ": "-", "_": "-"})


# --------------------------------------------------------------------------- display

def show(value: object, limit: int = 60) -> str:
    """A value as the operator wrote it: strings in double quotes, YAML words for the rest."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (int, float)):
        text = repr(value)
    elif isinstance(value, dict):
        return "a mapping"
    elif isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    else:
        text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def kind(value: object) -> str:
    """What a value is, for "expected X, got Y" messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return show(value)
    if isinstance(value, (int, float)):
        return f"the number {show(value)}"
    if isinstance(value, str):
        return f"the text {show(value)}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    return type(value).__name__


def listing(items: Iterable[str], limit: int = 6) -> str:
    """ "a, b, c and 34 more" — long lists are trimmed."""
    items = list(items)
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f' (did you mean "{close[0]}"?)' if close else ""


# --------------------------------------------------------------------------- parsers

def parse_text(value: object, what: str = "text") -> str:
    """A non-empty string (surrounding whitespace removed)."""
    if not isinstance(value, str):
        raise ValueError(f"expected {what}, got {kind(value)}")
    text = value.strip()
    if not text:
        raise ValueError(f"must not be empty (expected {what})")
    return text


def parse_bounded_text(value: object, limit: int) -> str:
    text = parse_text(value)
    if len(text) > limit:
        raise ValueError(f"{len(text)} characters; at most {limit}")
    return text


def parse_time(value: object) -> dt.time:
    """"HH:MM" or "HH.MM" (Swedish style) local time.

    YAML 1.1 reads an unquoted ``16:00`` as the base-60 number 960 and ``16.00``
    as the float 16.0. :func:`bot.config.region.load_region` reads such scalars
    as text, so unquoted times work in files; data that reaches us as a number
    anyway (another YAML loader, JSON) is refused with a hint to quote it,
    because ``16`` and ``960`` cannot be told apart reliably.
    """
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, bool) or value is None:
        raise ValueError(f'expected a time like "16:00", got {kind(value)}')
    if isinstance(value, int):
        hint = ""
        if 60 <= value < 24 * 60:
            h, m = divmod(value, 60)
            hint = f" (YAML reads an unquoted {h}:{m:02d} as the number {value})"
        raise ValueError(f'{value} is not a time{hint}: write the time in quotes, e.g. "16:00"')
    if isinstance(value, float):
        raise ValueError(f'{value!r} is not a time: write the time in quotes, e.g. "16:00"')
    if isinstance(value, str):
        match = _TIME_RE.match(value)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
        raise ValueError(f'{show(value)} is not a time (expected HH:MM, e.g. "16:00")')
    raise ValueError(f'expected a time like "16:00", got {kind(value)}')


def parse_optional_time(value: object) -> dt.time | None:
    """A time, or None for false / off / null (the feature is switched off)."""
    if value is None or value is False:
        return None
    if isinstance(value, str) and value.strip().lower() in _DISABLED_WORDS:
        return None
    if value is True:
        raise ValueError('expected a time like "15:00", or false to switch it off; got true')
    return parse_time(value)


def parse_weekday(value: object, *, allow_number: bool) -> int:
    """English or Swedish weekday name -> 0 (Monday) .. 6 (Sunday).

    Numbers are refused in the region file (is 3 Wednesday or Thursday?) but
    accepted from Python code, where 0 is Monday as in :mod:`datetime`.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if allow_number and 0 <= value <= 6:
            return value
        raise ValueError(f"{value} is not a weekday: write its name (monday … sunday)")
    if isinstance(value, str):
        word = value.strip().lower()
        if word in WEEKDAYS:
            return WEEKDAYS.index(word)
        if word in WEEKDAYS_SV:
            return WEEKDAYS_SV.index(word)
        raise ValueError(f"{show(value)} is not a weekday (monday … sunday)")
    raise ValueError(f"expected a weekday (monday … sunday), got {kind(value)}")


def parse_bounded_int(value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number ({low}..{high}), got {kind(value)}")
    if not low <= value <= high:
        raise ValueError(f"{value} is out of range ({low}..{high})")
    return value


def parse_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {kind(value)}")
    return value


def parse_slug(value: object) -> str:
    """An actor id: lowercase a-z, digits and '-'."""
    text = parse_text(value, "an id such as \"polisen\"")
    if len(text) > _SLUG_MAX:
        raise ValueError(f"{show(text)} is too long (at most {_SLUG_MAX} characters)")
    if _SLUG_RE.match(text):
        return text
    bad = sorted({ch for ch in text if not (ch.isascii() and (ch.islower() or ch.isdigit() or ch == "-"))})
    suggestion = re.sub(r"-+", "-", text.lower().translate(_TRANSLIT)).strip("-")
    hint = f', e.g. "{suggestion}"' if _SLUG_RE.match(suggestion) else ""
    if bad:
        chars = ", ".join(json.dumps(ch, ensure_ascii=False) for ch in bad)
        reason = f"{chars} not allowed"
    else:
        reason = 'it must not start or end with "-"'
    raise ValueError(f'{show(text)} is not a valid id: {reason} (use a-z, 0-9 and "-"{hint})')


def parse_user_id(value: object) -> str:
    text = parse_text(value, 'a Slack user id such as "U0123ABCD"')
    if not _USER_RE.match(text):
        raise ValueError(
            f'{show(text)} is not a Slack user id (like "U0123ABCD"; '
            "in Slack: the person's profile → ⋮ → Copy member ID)"
        )
    return text


def parse_channel_id(value: object) -> str:
    text = parse_text(value, 'a Slack channel id such as "C0123ABCD"')
    if not _CHANNEL_RE.match(text):
        raise ValueError(
            f'{show(text)} is not a Slack channel id (like "C0123ABCD"; '
            "in Slack: the channel's details → About → Channel ID)"
        )
    return text


def parse_channel_prefix(value: object) -> str:
    text = parse_text(value, 'a channel name prefix such as "aktiverat"')
    if not _CHANNEL_PREFIX_RE.match(text):
        raise ValueError(
            f"{show(text)} is not usable in a Slack channel name "
            '(lowercase a-z, 0-9, "-" and "_", at most 50 characters)'
        )
    return text


def parse_timezone(value: object) -> str:
    text = parse_text(value, 'a time zone such as "Europe/Stockholm"')
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        hint = did_you_mean(text, zoneinfo.available_timezones()) or ' (IANA name, e.g. "Europe/Stockholm")'
        raise ValueError(f"{show(text)} is not a known time zone{hint}") from None
    return text


def parse_choice(value: object, choices: tuple[str, ...]) -> str:
    if isinstance(value, str) and value.strip().lower() in choices:
        return value.strip().lower()
    shown = show(value) if isinstance(value, str) else kind(value)
    raise ValueError(f"{shown} is not one of: {', '.join(choices)}")


def parse_role(value: object) -> str:
    if isinstance(value, str) and value.strip().lower() in ROLES:
        return value.strip().lower()
    shown = show(value) if isinstance(value, str) else kind(value)
    raise ValueError(f"unknown role {shown} (roles: {', '.join(ROLE_ORDER)})")


def parse_list(value: object, example: str) -> list:
    """YAML sequences only: a bare string here is a mistake, not a one-item list."""
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list, e.g. {example}, got {kind(value)}")
    return list(value)
