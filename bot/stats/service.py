"""Follow-up figures for a period, in plain Python over the database (no Slack here).

Every figure comes from a few grouped queries over the whole period, never one query
per conference: conferences by kind and status; reports by actor; the floors of the
period's conferences (one query; who spoke is read from each floor's stored state);
action items, ärenden, evaluations and lessons, each in one query.

A conference belongs to the period in which it opened (else was planned, else was
created: a skipped or missed one has no opening). An action item, an ärende and a
lesson belong to the period in which they were created.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from bot.actions.models import DONE, OPEN, ActionItem
from bot.cases.models import STATUSES, Case
from bot.conference.models import ACTIVATED, MISSED, ORDINARY, SKIPPED, Conference
from bot.evaluation.models import Evaluation
from bot.floor.models import Floor
from bot.floor.state import FloorState
from bot.lessons.models import Lesson
from bot.region.models import Actor
from bot.report.models import Report
from bot.stats.period import Period

DECLINED = "declined"  # an action item's status when its actor declined it (if the column holds it)


@dataclass(frozen=True)
class ActorFigures:
    key: str
    name: str
    reported: int
    spoke: int
    held: int  # ordinary conferences held in the period

    @property
    def reported_share(self) -> float:
        return self.reported / self.held if self.held else 0.0

    @property
    def spoke_share(self) -> float:
        return self.spoke / self.held if self.held else 0.0


@dataclass(frozen=True)
class ActivationFigures:
    number: int
    opened_at: datetime
    closed_at: datetime | None
    reason: str | None

    @property
    def minutes(self) -> int | None:
        if self.closed_at is None:
            return None
        return int((self.closed_at - self.opened_at).total_seconds() // 60)


@dataclass(frozen=True)
class ItemFigures:
    on_time: int = 0
    late: int = 0
    declined: int = 0
    open: int = 0
    overdue: int = 0  # of the open ones

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.declined + self.open


@dataclass(frozen=True)
class EvaluationFigures:
    count: int = 0
    facilitering: float | None = None
    teknik: float | None = None
    upplagg: float | None = None


@dataclass
class Stats:
    period: Period
    held: int = 0
    skipped: int = 0
    missed: int = 0
    actors: list[ActorFigures] = field(default_factory=list)
    activations: list[ActivationFigures] = field(default_factory=list)
    items: ItemFigures = ItemFigures()
    cases: dict[str, int] = field(default_factory=dict)  # status -> count, every status present
    evaluations: EvaluationFigures = EvaluationFigures()
    lessons: int = 0

    @property
    def activation_minutes(self) -> int:
        return sum(a.minutes or 0 for a in self.activations)


def _when():
    return func.coalesce(Conference.opened_at, Conference.scheduled_at, Conference.created_at)


def _in_period(column, start: datetime, end: datetime):
    return and_(column >= start, column < end)


def _conference_counts(s: Session, region_id: int, start: datetime, end: datetime) -> Counter:
    rows = s.execute(select(Conference.status, Conference.opened_at.is_not(None), func.count(Conference.id))
                     .where(Conference.region_id == region_id, Conference.kind == ORDINARY,
                            _in_period(_when(), start, end))
                     .group_by(Conference.status, Conference.opened_at.is_not(None)))
    counts: Counter = Counter()
    for status, opened, n in rows:
        counts["held" if opened else status] += n
    return counts


def _held_ids(region_id: int, start: datetime, end: datetime):
    return (select(Conference.id).where(Conference.region_id == region_id, Conference.kind == ORDINARY,
                                        Conference.opened_at.is_not(None), _in_period(Conference.opened_at, start, end))
            .scalar_subquery())


def _actor_figures(s: Session, region_id: int, start: datetime, end: datetime, held: int) -> list[ActorFigures]:
    held_ids = _held_ids(region_id, start, end)
    reported = dict(s.execute(select(Report.actor_id, func.count(func.distinct(Report.conference_id)))
                              .where(Report.conference_id.in_(held_ids)).group_by(Report.actor_id)).all())
    spoke: Counter = Counter()
    for (state,) in s.execute(select(Floor.state).where(Floor.conference_id.in_(held_ids))):
        spoke.update(FloorState.from_json(state).spoke_actors())
    actors = s.execute(select(Actor.id, Actor.key, Actor.name).where(Actor.region_id == region_id, Actor.active.is_(True))
                       .order_by(Actor.position)).all()
    return [ActorFigures(key, name, reported.get(aid, 0), spoke.get(aid, 0), held) for aid, key, name in actors]


def _activations(s: Session, region_id: int, start: datetime, end: datetime) -> list[ActivationFigures]:
    rows = s.execute(select(Conference.number, Conference.opened_at, Conference.closed_at, Conference.reason)
                     .where(Conference.region_id == region_id, Conference.kind == ACTIVATED,
                            Conference.opened_at.is_not(None), _in_period(Conference.opened_at, start, end))
                     .order_by(Conference.opened_at))
    return [ActivationFigures(*r) for r in rows]


def _items(s: Session, region_id: int, start: datetime, end: datetime, tz: ZoneInfo, today: date) -> ItemFigures:
    """One query of the period's items (status, due, done) grouped by those three; the
    comparison of a UTC time with a local due date is made here, alike on both databases."""
    rows = s.execute(select(ActionItem.status, ActionItem.due, ActionItem.done_at, func.count(ActionItem.id))
                     .where(ActionItem.region_id == region_id, ActionItem.raised.is_(False),
                            _in_period(ActionItem.created_at, start, end))
                     .group_by(ActionItem.status, ActionItem.due, ActionItem.done_at))
    c: Counter = Counter()
    for status, due, done_at, n in rows:
        if status == DONE:
            late = due is not None and done_at is not None and done_at.astimezone(tz).date() > due
            c["late" if late else "on_time"] += n
        elif status == DECLINED:
            c["declined"] += n
        elif status == OPEN:
            c["open"] += n
            if due is not None and due < today:
                c["overdue"] += n
    return ItemFigures(**c)


def _cases(s: Session, region_id: int, start: datetime, end: datetime) -> dict[str, int]:
    rows = dict(s.execute(select(Case.status, func.count(Case.id))
                          .where(Case.region_id == region_id, _in_period(Case.created_at, start, end))
                          .group_by(Case.status)).all())
    return {k: rows.get(k, 0) for k in STATUSES}


def _evaluations(s: Session, region_id: int, start: datetime, end: datetime) -> EvaluationFigures:
    in_period = (select(Conference.id).where(Conference.region_id == region_id, _in_period(_when(), start, end))
                 .scalar_subquery())
    n, f, t, u = s.execute(select(func.count(Evaluation.id), func.avg(Evaluation.facilitering),
                                  func.avg(Evaluation.teknik), func.avg(Evaluation.upplagg))
                           .where(Evaluation.conference_id.in_(in_period))).one()
    as_float = (lambda v: None if v is None else round(float(v), 2))
    return EvaluationFigures(n or 0, as_float(f), as_float(t), as_float(u))


def compute(s: Session, region_id: int, period: Period, tz: ZoneInfo, today: date) -> Stats:
    start, end = period.bounds(tz)
    counts = _conference_counts(s, region_id, start, end)
    held = counts.get("held", 0)
    lessons = s.scalar(select(func.count(Lesson.id)).where(Lesson.region_id == region_id,
                                                           _in_period(Lesson.created_at, start, end))) or 0
    return Stats(period=period, held=held, skipped=counts.get(SKIPPED, 0), missed=counts.get(MISSED, 0),
                 actors=_actor_figures(s, region_id, start, end, held),
                 activations=_activations(s, region_id, start, end),
                 items=_items(s, region_id, start, end, tz, today), cases=_cases(s, region_id, start, end),
                 evaluations=_evaluations(s, region_id, start, end), lessons=lessons)
