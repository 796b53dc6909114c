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

from bot.reply import Refusal
from bot.dates_sv import DateError, parse_due
from bot.region.models import Actor
from bot.region import resolve
from bot.region.service import memberships
from bot.slack.text import to_plain

MAX_TEXT = 2500

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


def plain(text: str) -> str:
    """Slack-escaped command text as the person meant it (see the module doc)."""
    return to_plain(text).strip()


def _actor_of_member(s: Session, region_id: int, user_id: str, shown: str) -> Actor:
    mine = memberships(s, region_id, user_id)
    if not mine:
        raise Refusal("action_owner_not_member", who=shown)
    if len({m.actor_id for m in mine}) > 1:
        raise Refusal("action_owner_ambiguous", who=shown, actors=", ".join(m.actor_key for m in mine))
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
        raise Refusal("action_usage")
    found = resolve.leading_actor(s, region_id, text)
    if found is None:
        raise Refusal("action_unknown_actor", word=plain(words[0].group()))
    owner, end = found
    return owner, text[end:]


def split_due(rest: str, today: date) -> tuple[str, date | None, str | None]:
    """`<text> senast <datum>` → (text, due, the date as typed); the last "senast" counts."""
    found = list(_SENAST.finditer(rest))
    if not found:
        return rest, None, None
    last = found[-1]
    expr = plain(rest[last.end():])
    if not expr:
        raise Refusal("action_due_missing")
    try:
        due = parse_due(expr, today)
    except DateError as e:
        raise Refusal(f"action_bad_date_{e.reason}", text=expr) from None
    return rest[:last.start()], due, expr


def parse_new(s: Session, region_id: int, text: str, today: date) -> NewItem:
    owner, rest = split_owner(s, region_id, text)
    body, due, due_text = split_due(rest, today)
    body = plain(body)
    if not body:
        raise Refusal("action_no_text", owner=owner.name)
    if len(body) > MAX_TEXT:
        raise Refusal("action_too_long", length=len(body), limit=MAX_TEXT)
    return NewItem(owner=owner, text=body, due=due, due_text=due_text)


def parse_raised(text: str) -> str:
    body = plain(text)
    if not body:
        raise Refusal("action_raise_usage")
    if len(body) > MAX_TEXT:
        raise Refusal("action_too_long", length=len(body), limit=MAX_TEXT)
    return body
