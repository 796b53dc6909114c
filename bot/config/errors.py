"""ConfigError and the conversion of validation failures into one line per problem.

A problem is a key path (``loc``: a tuple of keys and list indexes, as pydantic
uses) and a message. It is written as ``actors[2].category: message``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from pydantic import BaseModel, ValidationError

from bot.config.fields import did_you_mean, kind, show

Loc = tuple[str | int, ...]


class ConfigError(Exception):
    """The region file is wrong. ``problems`` holds one line per problem."""

    def __init__(self, problems: Iterable[str], source: str | None = None) -> None:
        self.problems: list[str] = list(problems)
        self.source = source
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        return "\n".join(self.problems)


class Problem(NamedTuple):
    loc: Loc
    message: str

    def line(self, source: str) -> str:
        where = format_loc(self.loc) or source
        return f"{where}: {self.message}"


def format_loc(loc: Sequence[str | int]) -> str:
    """('members', 3, 'actor') -> 'members[3].actor'."""
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def file_order(data: object, loc: Loc) -> tuple[int, ...]:
    """A sort key that puts problems in the order their keys appear in the file.

    YAML mappings keep their order when loaded, so the position of each key in
    its mapping (and of each item in its list) is the position in the file. A
    key that is missing sorts after its siblings.
    """
    key: list[int] = []
    node = data
    for part in loc:
        if isinstance(node, dict):
            keys = list(node)
            if part in keys:
                key.append(keys.index(part))
                node = node[part]
                continue
            key.append(len(keys))
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            key.append(part)
            node = node[part]
            continue
        else:
            key.append(part if isinstance(part, int) else 0)
        node = None
    return tuple(key)


def problems_from_validation(exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """pydantic's errors as Problems, without pydantic's wording or links."""
    return [Problem(tuple(err["loc"]), _message(err, model)) for err in exc.errors()]


def _message(err: dict, model: type[BaseModel]) -> str:
    etype = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if etype == "extra_forbidden":
        known = _model_at(model, tuple(err["loc"])[:-1])
        key = err["loc"][-1]
        hint = did_you_mean(str(key), known.model_fields) if known else ""
        return f"unknown key{hint}"
    if etype == "missing":
        return "required key is missing"
    if etype in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    if etype in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping (key: value), got {kind(value)}"
    if etype in ("tuple_type", "list_type", "set_type", "frozen_set_type"):
        return f"expected a list, got {kind(value)}"
    if etype in ("string_type", "string_sub_type"):
        return f"expected text, got {kind(value)}"
    if etype in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {kind(value)}"
    if etype in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {kind(value)}"
    if etype == "literal_error":
        return f"{show(value)} is not one of: {ctx.get('expected', '')}".replace("'", "")
    return f"{err['msg']} (got {kind(value)})"


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` (for key suggestions)."""
    current: object = model
    for part in loc:
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        else:
            return None
        current = _unwrap_optional(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _unwrap_optional(tp: object) -> object:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp
