"""Strict parsers for the values that come back from Slack, and the one text cleaner.

What the bot put into a button, a select or a modal's `private_metadata` comes back
through the person's Slack client, which they can tamper with. Each shape has one small
parser here that accepts exactly what the bot writes and refuses anything else with
`Refusal("bad_value")` (the usual Swedish "that did not work, nothing changed"):

    record_id("42")                       -> 42 (a database id, range-checked)
    json_value('{"item": 42}', item=int)  -> {"item": 42}  (button values, metadata)
    metadata(view, conference=int)        -> the private_metadata of a modal, same rules
    choice("abc", {"1", "2"})             -> refused: not an offered option
    bounded_int("15", 1, 240)             -> 15 (minutes and the like)

Ids are checked against the smallest integer range of both databases (PostgreSQL's
INTEGER, 32-bit), so an id no row can have is refused before it reaches a query.

`clean` removes from text what PostgreSQL cannot store (NUL) and what no person typed
(other C0 control characters, lone surrogates); the edge applies it to every string of
every request, so both databases store the same.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from bot.reply import Refusal

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER; SQLite's INTEGER is wider
MAX_JSON = 3000  # Slack's limit for a button value and for private_metadata

_DIGITS = re.compile(r"[0-9]{1,10}")
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def refuse(**values: Any) -> Refusal:
    return Refusal("bad_value", **values)


def record_id(value: Any) -> int:
    """A database id as the bot wrote it (a positive integer, or its decimal digits)."""
    if isinstance(value, bool):
        raise refuse()
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        value = int(value)
    if isinstance(value, int) and 1 <= value <= MAX_ID:
        return value
    raise refuse()


def optional_id(value: Any) -> int | None:
    return None if value is None else record_id(value)


def bounded_int(value: Any, low: int, high: int) -> int:
    """A whole number within [low, high] (minutes, counts, scores)."""
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,9}", value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    raise refuse()


def choice(value: Any, allowed: Iterable[str]) -> str:
    """One of the options the bot offered."""
    if isinstance(value, str) and value in set(allowed):
        return value
    raise refuse()


def _json_id(value: Any) -> int:
    """An id inside JSON the bot wrote: a JSON number, never a string of digits."""
    if isinstance(value, int):
        return record_id(value)
    raise refuse()


_KINDS = {int: _json_id, "int?": lambda v: None if v is None else _json_id(v), bool: lambda v: _flag(v),
          str: lambda v: _text(v), "str?": lambda v: None if v is None else _text(v)}


def _flag(value: Any) -> bool:
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    raise refuse()


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise refuse()


def json_value(raw: Any, **fields: Any) -> dict[str, Any]:
    """A JSON object the bot wrote: exactly the given fields, each of its kind (`int`: an
    id as a JSON number; "int?": that or null; `bool`: true/false or 0/1; `str`; "str?";
    a set: one of those strings)."""
    if not isinstance(raw, str) or not raw or len(raw) > MAX_JSON:
        raise refuse()
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise refuse() from None
    if not isinstance(value, dict) or set(value) != set(fields):
        raise refuse()
    return {key: _one(value[key], kind) for key, kind in fields.items()}


def _one(value: Any, kind: Any) -> Any:
    if isinstance(kind, (set, frozenset)):
        return choice(value, kind)
    return _KINDS[kind](value)


def metadata(view: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
    """The `private_metadata` of a submitted modal (see json_value)."""
    return json_value((view or {}).get("private_metadata"), **fields)


def clean(text: str) -> str:
    """Text without NUL, other control characters (tab and newlines stay) and lone surrogates."""
    return _UNSTORABLE.sub("", text)


def clean_tree(value: Any) -> Any:
    """Cleans every string inside parsed JSON in place (iterative: any depth); returns it."""
    if isinstance(value, str):
        return clean(value)
    stack = [value]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in list(items):
            if isinstance(child, str):
                if _UNSTORABLE.search(child):
                    node[key] = clean(child)
            elif isinstance(child, (dict, list)):
                stack.append(child)
    return value
