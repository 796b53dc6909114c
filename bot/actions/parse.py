"""Parsing `/atgard` text: `<aktör> <text> [senast <datum>]`, `lista`, `lyft <text>`.

Slack sends /atgard with should_escape (see the app manifest): a mention arrives as
`<@U123|name>`, and `&`, `<`, `>` typed by the person arrive as `&amp;`, `&lt;`, `&gt;`.
The stored text is plain: mentions inside it become `@name`, entities are unescaped;
the renderer escapes it again wherever it is shown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bot.actions.service import Refused
from bot.dates_sv import DateError, parse_due
from bot.region.models import Actor
from bot.region.service import memberships, region_view
from bot.slack.text import to_plain

MAX_TEXT = 2500
MAX_NAME_WORDS = 8

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_LEADING_MENTION = re.compile(r"\s*<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_SENAST = re.compile(r"(?:^|\s)senast(?:\s+|$)", re.IGNORECASE)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class NewItem:
    owner: Actor
    text: str
    due: date | None
    due_text: str | None  # what the person typed after "senast"


_FOLD = str.maketrans("åäöéü", "aaoeu")


def fold(text: str) -> str:
    """Case- and diacritics-insensitive form, so "lansstyrelsen" finds Länsstyrelsen."""
    return text.casefold().translate(_FOLD)


_indexes: dict[int, tuple[tuple, dict]] = {}  # id of a region view's actors -> (those actors, index)


def _actor_index(actors: tuple) -> dict:
    """Folded id and name -> actor, built once per region view (the actors do not change)."""
    known = _indexes.get(id(actors))
    if known is not None and known[0] is actors:
        return known[1]
    index: dict = {}
    for a in actors:
        index.setdefault(fold(a.key), a)
        index.setdefault(fold(a.name), a)
    _indexes.clear()  # one region per process: only the latest view's index is kept
    _indexes[id(actors)] = (actors, index)
    return index


def plain(text: str) -> str:
    """Slack-escaped command text as the person meant it (see the module doc)."""
    return to_plain(text).strip()


def _actor_of_member(s: Session, region_id: int, user_id: str, shown: str) -> Actor:
    mine = memberships(s, region_id, user_id)
    if not mine:
        raise Refused("action_owner_not_member", who=shown)
    if len({m.actor_id for m in mine}) > 1:
        raise Refused("action_owner_ambiguous", who=shown, actors=", ".join(m.actor_key for m in mine))
    return s.get(Actor, mine[0].actor_id)


def split_owner(s: Session, region_id: int, text: str) -> tuple[Actor, str]:
    """The owning actor at the start of `text` (a mention, an actor id or a name, the
    longest name that matches) and the rest of the text."""
    m = _LEADING_MENTION.match(text)
    if m:
        shown = "@" + (m.group(2) or m.group(1))
        return _actor_of_member(s, region_id, m.group(1), shown), text[m.end():]
    words = list(_WORD.finditer(text))
    if not words:
        raise Refused("action_usage")
    index = _actor_index(region_view(s, region_id).actors)
    for n in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        candidate = fold(plain(text[words[0].start():words[n - 1].end()]))
        if candidate in index:
            return index[candidate], text[words[n - 1].end():]
    raise Refused("action_unknown_actor", word=plain(words[0].group()))


def split_due(rest: str, today: date) -> tuple[str, date | None, str | None]:
    """`<text> senast <datum>` → (text, due, the date as typed); the last "senast" counts."""
    found = list(_SENAST.finditer(rest))
    if not found:
        return rest, None, None
    last = found[-1]
    expr = plain(rest[last.end():])
    if not expr:
        raise Refused("action_due_missing")
    try:
        due = parse_due(expr, today)
    except DateError as e:
        raise Refused(f"action_bad_date_{e.reason}", text=expr) from None
    return rest[:last.start()], due, expr


def parse_new(s: Session, region_id: int, text: str, today: date) -> NewItem:
    owner, rest = split_owner(s, region_id, text)
    body, due, due_text = split_due(rest, today)
    body = plain(body)
    if not body:
        raise Refused("action_no_text", owner=owner.name)
    if len(body) > MAX_TEXT:
        raise Refused("action_too_long", length=len(body), limit=MAX_TEXT)
    return NewItem(owner=owner, text=body, due=due, due_text=due_text)


def parse_raised(text: str) -> str:
    body = plain(text)
    if not body:
        raise Refused("action_raise_usage")
    if len(body) > MAX_TEXT:
        raise Refused("action_too_long", length=len(body), limit=MAX_TEXT)
    return body
