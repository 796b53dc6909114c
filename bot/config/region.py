"""The region file: models, cross-field checks, parse_region and load_region.

Every problem in a region file is reported on its own line, naming its key
path, in the order the keys appear in the file; nothing is guessed. Decisions
worth knowing:

* Times are "HH:MM" or "HH.MM". ``load_region`` reads unquoted ``16:00`` and
  ``16.00`` correctly (see :mod:`bot.config.yaml_source`); data handed to
  ``parse_region`` that already holds a number (960, 16.0) is refused with a
  hint to quote the time.
* Weekdays are names, English or Swedish (``thursday``, ``torsdag``). In the
  file a number is refused (is 3 Wednesday or Thursday?); Python code may pass
  0..6 (0 = Monday).
* ``call_for_reports`` and ``reminder`` may be ``false``/``off``/null, or left
  out: no kallelse / no reminder. When given they must be before ``time``, and
  the reminder after the kallelse.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.config import fields as f
from bot.config.errors import ConfigError, Problem, file_order, problems_from_validation
from bot.config.fields import WEEKDAYS
from bot.config.yaml_source import read_yaml

__all__ = [
    "WEEKDAYS",
    "ActionItemsConfig",
    "ActivationConfig",
    "ActorConfig",
    "AgendaPointConfig",
    "ConferenceConfig",
    "ConfigError",
    "DigestConfig",
    "MemberConfig",
    "RegionConfig",
    "SpeakingOrderConfig",
    "load_region",
    "parse_region",
]

# Validation context key set by parse_region: the data comes from a region file
# (numbers are not weekdays) and the cross-field checks have already been run.
_FROM_FILE = "samverkan_region_file"


def _from_file(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get(_FROM_FILE))


def _weekday(value: object, info: ValidationInfo) -> int:
    return f.parse_weekday(value, allow_number=not _from_file(info))


def _bounded(low: int, high: int):
    return Annotated[int, BeforeValidator(lambda v: f.parse_bounded_int(v, low, high))]


def _list_of(example: str):
    return BeforeValidator(lambda v: f.parse_list(v, example))


Text = Annotated[str, BeforeValidator(f.parse_text)]
Bool = Annotated[bool, BeforeValidator(f.parse_bool)]
Time = Annotated[dt.time, BeforeValidator(f.parse_time)]
OptionalTime = Annotated[dt.time | None, BeforeValidator(f.parse_optional_time)]
Weekday = Annotated[int, BeforeValidator(_weekday)]
Role = Annotated[str, BeforeValidator(f.parse_role)]
HolidayPolicy = Literal["skip", "previous_workday", "hold"]
Language = Literal["sv", "en"]


def _hhmm(t: dt.time) -> str:
    return f'"{t:%H:%M}"'


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConferenceConfig(_Model):
    weekday: Weekday
    time: Time
    call_for_reports: OptionalTime = None
    reminder: OptionalTime = None
    duration_minutes: _bounded(1, 600) = 60
    grace_minutes: _bounded(0, 1440) = 60
    close_warning_minutes: _bounded(0, 120) = 10  # 0: no warning before the close
    holidays: Annotated[
        HolidayPolicy, BeforeValidator(lambda v: f.parse_choice(v, ("skip", "previous_workday", "hold")))
    ] = "skip"

    @field_validator("call_for_reports", "reminder")
    @classmethod
    def _before_conference(cls, value: dt.time | None, info: ValidationInfo) -> dt.time | None:
        start = info.data.get("time")
        if value is not None and start is not None and value >= start:
            raise ValueError(f"{_hhmm(value)} is not before the conference time {_hhmm(start)}")
        call = info.data.get("call_for_reports")
        if info.field_name == "reminder" and value is not None and call is not None and value <= call:
            raise ValueError(f"{_hhmm(value)} is not after call_for_reports {_hhmm(call)}")
        return value


class SpeakingOrderConfig(_Model):
    first: Annotated[tuple[Text, ...], _list_of("[lansstyrelsen]")]
    categories: Annotated[tuple[Text, ...], _list_of("[blåljus, sjukvård, kommun]")]
    rotate: Bool = True


class ActorConfig(_Model):
    id: Annotated[str, BeforeValidator(f.parse_slug)]
    name: Text
    category: Text


class MemberConfig(_Model):
    user: Annotated[str, BeforeValidator(f.parse_user_id)]
    actor: Text
    roles: Annotated[frozenset[Role], _list_of("[tib, koordinator]")]

    @field_validator("roles")
    @classmethod
    def _some_role(cls, value: frozenset[str]) -> frozenset[str]:
        if not value:
            raise ValueError(f"give at least one role ({', '.join(f.ROLE_ORDER)})")
        return value


class DigestConfig(_Model):
    """The weekly automatic summary."""

    weekday: Weekday = 4
    time: Time = dt.time(9, 0)
    enabled: Bool = True


AGENDA_KINDS = ("information", "diskussion", "överenskommelse")
AGENDA_MAX_POINTS = 10


class AgendaPointConfig(_Model):
    """A point of the standing agenda (`agenda:`); `/samverkan dagordning` sets one
    conference's own."""

    title: Annotated[str, BeforeValidator(lambda v: f.parse_bounded_text(v, 150))]
    kind: Annotated[str, BeforeValidator(lambda v: f.parse_choice(v, AGENDA_KINDS))] = "information"
    purpose: Annotated[str | None,
                       BeforeValidator(lambda v: None if v is None else f.parse_bounded_text(v, 500))] = None
    prepare: Annotated[tuple[Text, ...], _list_of("[polisen, trafikverket]")] = ()


class ActionItemsConfig(_Model):
    remind_unacknowledged_hours: _bounded(1, 720) = 24
    remind_due_days: _bounded(0, 30) = 1  # 0: on the due day itself


class ActivationConfig(_Model):
    separate_channel: Bool = False
    channel_prefix: Annotated[str, BeforeValidator(f.parse_channel_prefix)] = "aktiverat"


class RegionConfig(_Model):
    region: Text
    timezone: Annotated[str, BeforeValidator(f.parse_timezone)]
    language: Annotated[Language, BeforeValidator(lambda v: f.parse_choice(v, ("sv", "en")))] = "sv"
    channel: Annotated[str, BeforeValidator(f.parse_channel_id)]
    conference: ConferenceConfig
    speaking_order: SpeakingOrderConfig
    actors: Annotated[tuple[ActorConfig, ...], _list_of("[{id: polisen, name: Polisen, category: blåljus}]")]
    members: Annotated[tuple[MemberConfig, ...], _list_of("[{user: U0123ABCD, actor: polisen, roles: [tib]}]")]
    digest: DigestConfig = DigestConfig()
    action_items: ActionItemsConfig = ActionItemsConfig()
    activation: ActivationConfig = ActivationConfig()
    agenda: Annotated[tuple[AgendaPointConfig, ...], _list_of("[{title: Kommunikation, kind: information}]")] = ()

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> RegionConfig:
        if not _from_file(info):
            problems = cross_check(self.model_dump())
            if problems:
                raise ValueError("; ".join(p.line("region") for p in problems))
        return self

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def actor(self, actor_id: str) -> ActorConfig | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def members_of(self, actor_id: str) -> list[MemberConfig]:
        return [m for m in self.members if m.actor == actor_id]

    def memberships(self, user_id: str) -> list[MemberConfig]:
        """Every member row of a user: one person may act for several actors."""
        return [m for m in self.members if m.user == user_id]


# --------------------------------------------------------------------------- cross-field checks

def _items(data: Mapping, key: str) -> list[tuple[int, Mapping]]:
    value = data.get(key)
    if not isinstance(value, (list, tuple)):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, Mapping)]


def _text(item: Mapping, key: str) -> str | None:
    value = item.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _unknown_actor(actor_id: str, known: list[str]) -> str:
    hint = f.did_you_mean(actor_id, known)
    if hint:
        return f"unknown actor {f.show(actor_id)}{hint}"
    if not known:
        return f"unknown actor {f.show(actor_id)} (no actors are defined)"
    return f"unknown actor {f.show(actor_id)} (known: {f.listing(known)})"


def cross_check(data: Mapping) -> list[Problem]:
    """Checks between sections, on the file's data as loaded.

    Lenient about shapes: whatever is malformed is reported by the models, and
    is simply skipped here, so that one mistake gives one line.
    """
    problems: list[Problem] = []

    # Actor ids are unique. Any string id counts as known, even a malformed one,
    # so that a bad id is reported once and not again at every reference.
    first_index: dict[str, int] = {}
    for i, actor in _items(data, "actors"):
        actor_id = _text(actor, "id")
        if actor_id is None:
            continue
        if actor_id in first_index:
            problems.append(Problem(("actors", i, "id"), f"duplicate id {f.show(actor_id)} (also actors[{first_index[actor_id]}])"))
        else:
            first_index[actor_id] = i
    # Without a list of actors, references cannot be checked (that is reported once, by the model).
    known: list[str] | None = list(first_index) if isinstance(data.get("actors"), (list, tuple)) else None
    category_of = {}
    for _, actor in _items(data, "actors"):
        if _text(actor, "id") and _text(actor, "category"):
            category_of.setdefault(_text(actor, "id"), _text(actor, "category"))

    # Speaking order: who speaks first, and which categories follow.
    order = data.get("speaking_order")
    first_ids: list[str] = []
    categories: list[str] | None = None
    first_ok = False  # a broken `first` (e.g. a misspelt host) would make every host-category actor an error too
    if isinstance(order, Mapping):
        firsts = order.get("first")
        if isinstance(firsts, (list, tuple)):
            first_ok = known is not None
            for i, value in enumerate(firsts):
                if not isinstance(value, str) or not value.strip():
                    first_ok = False
                    continue
                value = value.strip()
                loc = ("speaking_order", "first", i)
                if value in first_ids:
                    problems.append(Problem(loc, f"{f.show(value)} is listed twice"))
                elif known is not None and value not in first_index:
                    problems.append(Problem(loc, _unknown_actor(value, known)))
                    first_ok = False
                first_ids.append(value)
        cats = order.get("categories")
        if isinstance(cats, (list, tuple)):
            categories = []
            for i, value in enumerate(cats):
                if isinstance(value, str) and value.strip():
                    if value.strip() in categories:
                        problems.append(Problem(("speaking_order", "categories", i), f"{f.show(value.strip())} is listed twice"))
                    categories.append(value.strip())

    # Every actor must get the floor: its category is in the order, or it (or
    # an actor of its category, such as the host's "värd") speaks first.
    if categories is not None and first_ok:
        host_categories = sorted({category_of[a] for a in first_ids if a in category_of})
        for i, actor in _items(data, "actors"):
            actor_id, category = _text(actor, "id"), _text(actor, "category")
            if category is None or actor_id in first_ids:
                continue
            if category in categories or category in host_categories:
                continue
            hint = f.did_you_mean(category, categories + host_categories)
            if hint:
                where = f"not in speaking_order.categories{hint}"
            else:
                where = f"neither in speaking_order.categories ({f.listing(categories) or 'empty'})"
                if host_categories:
                    where += f" nor the category of a speaking_order.first actor ({', '.join(host_categories)})"
                else:
                    where = where.replace("neither in", "not in")
            problems.append(Problem(
                ("actors", i, "category"),
                f"{f.show(category)} is {where}: the actor would never get the floor",
            ))

    # The standing agenda: at most AGENDA_MAX_POINTS points; those asked to prepare are known actors.
    agenda = data.get("agenda")
    if isinstance(agenda, (list, tuple)) and len(agenda) > AGENDA_MAX_POINTS:
        problems.append(Problem(("agenda",), f"{len(agenda)} points; at most {AGENDA_MAX_POINTS}"))
    for i, point in _items(data, "agenda"):
        prepare = point.get("prepare")
        for j, actor_id in enumerate(prepare if isinstance(prepare, (list, tuple)) else ()):
            if known is not None and isinstance(actor_id, str) and actor_id.strip() not in first_index:
                problems.append(Problem(("agenda", i, "prepare", j), _unknown_actor(actor_id.strip(), known)))

    # Members: known actors, one row per (user, actor).
    seen_rows: dict[tuple[str, str], int] = {}
    for i, member in _items(data, "members"):
        user, actor_id = _text(member, "user"), _text(member, "actor")
        if actor_id is None:
            continue
        if known is not None and actor_id not in first_index:
            problems.append(Problem(("members", i, "actor"), _unknown_actor(actor_id, known)))
        if user is None:
            continue
        if (user, actor_id) in seen_rows:
            problems.append(Problem(
                ("members", i),
                f"{user} is already a member of {actor_id} (members[{seen_rows[user, actor_id]}]): give all their roles in one row",
            ))
        else:
            seen_rows[user, actor_id] = i
    return problems


# --------------------------------------------------------------------------- entry points

def _text_keys(value: object) -> object:
    """Copy with every mapping key as text: YAML makes `yes:` a bool and `1:` an int.

    No valid key looks like that, so such keys are then reported as unknown keys.
    """
    if isinstance(value, Mapping):
        return {(k if isinstance(k, str) else f.show(k)): _text_keys(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_text_keys(v) for v in value]
    return value


def _validate(data: object, source: str, problems: list[Problem]) -> RegionConfig:
    if data is None:
        raise ConfigError([f"{source}: the region file is empty"], source)
    if not isinstance(data, Mapping):
        raise ConfigError(
            [f"{source}: expected a mapping of keys (region:, timezone:, channel:, …) at the top level, got {f.kind(data)}"],
            source,
        )
    data = _text_keys(data)
    problems = problems + cross_check(data)
    config = None
    try:
        config = RegionConfig.model_validate(data, context={_FROM_FILE: True})
    except ValidationError as exc:
        problems += problems_from_validation(exc, RegionConfig)
    if problems:
        problems.sort(key=lambda p: file_order(data, p.loc))
        lines = list(dict.fromkeys(p.line(source) for p in problems))
        raise ConfigError(lines, source)
    assert config is not None
    return config


def parse_region(data: object, source: str = "<region>") -> RegionConfig:
    """Validate already-loaded region data (a mapping); raises ConfigError."""
    return _validate(data, source, [])


def load_region(path: str | Path) -> RegionConfig:
    """Read and validate a region file; raises ConfigError.

    A file that cannot be read or is not YAML gives one line (``path: reason``
    or ``path:line:column: invalid YAML: …``). Problems inside the file are
    one line each, named by key path, in file order.
    """
    data, duplicates = read_yaml(path)
    return _validate(data, str(path), duplicates)

