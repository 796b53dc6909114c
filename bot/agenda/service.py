"""A conference's agenda in plain Python over the database (no Slack here).

The agenda shown is, in order of precedence: the points a leader set for this
conference (`/samverkan dagordning`), the region file's `agenda:`, the built-in one
(templates/<lang>/agenda_default.yaml). Kommunikation is a standing point in both
modes: an agenda without it gets it (first in aktiverat läge, where communication is
the first area to coordinate; last in ordinarie läge).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.agenda.models import KINDS, MAX_POINTS, AgendaPoint
from bot.commands import fold
from bot.conference.models import ACTIVATED, Conference
from bot.region.models import Actor
from bot.render import templates_root

MAX_TITLE, MAX_PURPOSE = 150, 500


@dataclass(frozen=True)
class Point:
    title: str
    kind: str = "information"
    purpose: str | None = None
    prepare: tuple[str, ...] = ()  # actor keys
    prepare_names: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Agenda:
    points: tuple[Point, ...]
    source: str  # "set" (by a leader), "region" (the file's agenda:), "builtin"


@lru_cache(maxsize=4)
def _defaults(language: str) -> dict:
    for lang in (language, "sv"):
        entry = templates_root().joinpath(lang, "agenda_default.yaml")
        if entry.is_file():
            return yaml.safe_load(entry.read_text(encoding="utf-8"))
    raise FileNotFoundError("templates/sv/agenda_default.yaml")


def _with_standing(points: list[Point], activated: bool, language: str) -> list[Point]:
    d = _defaults(language)
    if any(fold(p.title) == fold(d["standing_title"]) for p in points):
        return points
    standing = Point(d["standing_title"], "diskussion", d["standing_purpose"])
    return [standing, *points] if activated else [*points, standing]


def _names(s: Session, region_id: int, keys: tuple[str, ...]) -> tuple[str, ...]:
    if not keys:
        return ()
    by_key = {a.key: a.name for a in s.scalars(select(Actor).where(Actor.region_id == region_id,
                                                                     Actor.key.in_(keys)))}
    return tuple(by_key.get(k, k) for k in keys)


def stored(s: Session, conference_id: int) -> list[AgendaPoint]:
    return list(s.scalars(select(AgendaPoint).where(AgendaPoint.conference_id == conference_id)
                          .order_by(AgendaPoint.position)))


def agenda_of(s: Session, cfg, conf: Conference, language: str = "sv") -> Agenda:
    activated = conf.kind == ACTIVATED
    rows = stored(s, conf.id)
    if rows:
        points = [Point(r.title, r.kind, r.purpose, tuple(r.prepare or ())) for r in rows]
        source = "set"
    elif cfg.agenda and not activated:
        points = [Point(p.title, p.kind, p.purpose, tuple(p.prepare)) for p in cfg.agenda]
        source = "region"
    else:
        raw = _defaults(language)["activated" if activated else "ordinary"]
        points = [Point(p["title"], p.get("kind", "information"), p.get("purpose")) for p in raw]
        source = "builtin"
    points = _with_standing(points, activated, language)
    named = tuple(Point(p.title, p.kind, p.purpose, p.prepare, _names(s, conf.region_id, p.prepare))
                  for p in points)
    return Agenda(named, source)


def replace(s: Session, conf: Conference, points: list[Point], user: str, now: datetime) -> set[str]:
    """Stores `points` as the conference's agenda. Returns the actor keys asked to
    prepare a point that they were not asked to prepare before (they get a DM)."""
    if not 1 <= len(points) <= MAX_POINTS:
        raise ValueError(f"1..{MAX_POINTS} points")
    before = {(p.title, k) for p in stored(s, conf.id) for k in (p.prepare or ())}
    s.execute(delete(AgendaPoint).where(AgendaPoint.conference_id == conf.id))
    s.flush()
    for i, p in enumerate(points):
        if p.kind not in KINDS:
            raise ValueError(f"unknown kind {p.kind!r}")
        s.add(AgendaPoint(conference_id=conf.id, position=i, title=p.title, kind=p.kind, purpose=p.purpose,
                          prepare=list(p.prepare), set_by=user, set_at=now))
    s.flush()
    return {k for p in points for k in p.prepare if (p.title, k) not in before}
