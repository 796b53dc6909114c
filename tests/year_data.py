"""Years of conferences written with bulk inserts, for the statistics test and bench/bench_stats.py.

`build(sf, region_id, years, seed)` writes, for each ISO week of each year, one ordinary
conference (a few skipped for a holiday, a few missed), each actor's report (most actors,
most weeks), the floor (who spoke, who was passed), action items (done on time, late,
declined when the model has that, still open), ärenden in every status with their steps,
snabbutvärderingar and lessons; and two activations per year. Deterministic for a seed.
Rows get explicit ids, so every table is one INSERT of many rows.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from bot.actions.models import ActionItem
from bot.cases.models import STATUSES, Case, CaseStep
from bot.conference.models import ACTIVATED, CLOSED, MISSED, ORDINARY, SKIPPED, Conference
from bot.evaluation.models import Evaluation
from bot.floor.models import Floor
from bot.lessons.models import Lesson
from bot.region.models import Actor
from bot.report.models import Report, ReportVersion

TZ = ZoneInfo("Europe/Stockholm")
DECLINED = "declined"  # ActionItem.status of an item its actor declined
SKIPPED_WEEKS = {1, 14, 52}  # e.g. nyårsdagen, skärtorsdag, julafton: skipped for a holiday
MISSED_WEEKS = {30}  # the bot was down


def _next_id(s, model) -> int:
    return (s.scalar(select(func.max(model.id))) or 0) + 1


def _local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TZ)


def build(sf, region_id: int, years: list[int], seed: int = 1, channel: str = "C0CONF01") -> dict[str, int]:
    """Writes the rows; returns how many of each were written."""
    rnd = random.Random(seed)
    with sf() as s:
        actors = list(s.scalars(select(Actor.id).where(Actor.region_id == region_id, Actor.active.is_(True))
                                .order_by(Actor.position)))
        ids = {m: _next_id(s, m) for m in (Conference, Report, ReportVersion, ActionItem, Case, CaseStep,
                                           Evaluation, Lesson)}
    rows: dict[type, list[dict]] = {m: [] for m in (*ids, Floor)}

    def add(model, **values):
        if model is not Floor:  # keyed by its conference
            values["id"] = ids[model]
            ids[model] += 1
        rows[model].append(values)
        return values.get("id")

    for year in years:
        weeks = date(year, 12, 28).isocalendar()[1]
        for week in range(1, weeks + 1):
            thursday = date.fromisocalendar(year, week, 4)
            status = SKIPPED if week in SKIPPED_WEEKS else MISSED if week in MISSED_WEEKS else CLOSED
            opened = _local(thursday, 16, 0) if status == CLOSED else None
            conf_id = add(Conference, region_id=region_id, kind=ORDINARY, year=year, number=week, iso_year=year,
                          iso_week=week, week_key=f"{year}-W{week:02d}", status=status,
                          held_on=thursday.isoformat() if status != SKIPPED else None,
                          scheduled_at=_local(thursday, 16) if status != SKIPPED else None, opened_at=opened,
                          closed_at=opened + timedelta(hours=1) if opened else None, late_minutes=0, channel=channel,
                          created_at=_local(thursday, 9))
            if opened is None:
                continue
            _conference_rows(add, rnd, region_id, conf_id, actors, opened)
        for number, (month, hours) in enumerate(((2, 5), (10, 30)), start=1):
            start = _local(date(year, month, 10), 7, 30)
            add(Conference, region_id=region_id, kind=ACTIVATED, year=year, number=number, iso_year=year,
                iso_week=start.isocalendar()[1], week_key=None, status=CLOSED, held_on=start.date().isoformat(),
                scheduled_at=None, opened_at=start, closed_at=start + timedelta(hours=hours), late_minutes=0,
                channel=channel, created_at=start, reason=f"Aktivering {number} {year}")
    with sf.begin() as s:
        for model in (Conference, Report, ReportVersion, Floor, ActionItem, Case, CaseStep, Evaluation, Lesson):
            if rows[model]:
                s.execute(insert(model), rows[model])
    return {m.__tablename__: len(v) for m, v in rows.items()}


def _conference_rows(add, rnd: random.Random, region_id: int, conf_id: int, actors: list[int], opened: datetime):
    entries = []
    for i, actor in enumerate(actors):
        reported = rnd.random() < 0.85
        if reported:
            report_id = add(Report, conference_id=conf_id, actor_id=actor, version=1, nothing_new=False,
                            needs_coordination=False, created_at=opened - timedelta(hours=1),
                            updated_at=opened - timedelta(hours=1))
            add(ReportVersion, report_id=report_id, version=1, fields={"lage": "Lugnt."}, status="normal",
                nothing_new=False, submitted_by="U0LST001", submitted_at=opened - timedelta(hours=1))
        status = "spoke" if rnd.random() < 0.7 else "passed" if rnd.random() < 0.5 else "waiting"
        entries.append({"actor": actor, "kind": "turn", "status": status, "group": "", "reported": reported,
                        "need": False, "late": False, "by": None})
    add(Floor, conference_id=conf_id, region_id=region_id, version=1, turn=len(entries), state={"entries": entries},
        offsets={}, created_at=opened, updated_at=opened)
    for _ in range(3):
        _item(add, rnd, region_id, conf_id, rnd.choice(actors), opened)
    if rnd.random() < 0.5:
        _case(add, rnd, region_id, conf_id, rnd.choice(actors), opened)
    for user in ("U0LST001", "U0LST002")[:rnd.randint(0, 2)]:
        add(Evaluation, region_id=region_id, conference_id=conf_id, user_id=user, facilitering=rnd.randint(1, 5),
            teknik=rnd.randint(1, 5), upplagg=rnd.randint(1, 5), ville=None, blev=None, lar="Lär", created_at=opened,
            updated_at=opened)
    if rnd.random() < 0.3:
        add(Lesson, region_id=region_id, conference_id=conf_id, actor_id=rnd.choice(actors), text="Lärdom",
            user_id="U0POL001", created_at=opened + timedelta(hours=2))


def _item(add, rnd: random.Random, region_id: int, conf_id: int, owner: int, opened: datetime) -> None:
    due = opened.date() + timedelta(days=rnd.choice((None, 2, 7, 14)) or 0) if rnd.random() < 0.8 else None
    outcome = rnd.random()
    status, done_at = "open", None
    if outcome < 0.5:
        status, done_at = "done", opened + timedelta(days=rnd.randint(0, 20))
    elif outcome < 0.6:
        status = DECLINED  # the owning actor declined it (Avböj); the reason is the declining capability's
    add(ActionItem, region_id=region_id, conference_id=conf_id, owner_actor_id=owner, text="Åtgärd", due=due,
        status=status, raised=False, created_by="U0LST001", created_at=opened + timedelta(minutes=30),
        done_at=done_at, done_by="U0POL001" if done_at else None)


def _case(add, rnd: random.Random, region_id: int, conf_id: int, actor: int, opened: datetime) -> None:
    status = rnd.choice(STATUSES)
    case_id = add(Case, region_id=region_id, conference_id=conf_id, action_item_id=None, actor_id=actor,
                  raised_by="U0POL001", text="Lyft punkt", destination="Regionala samordningsgruppen",
                  owner="U0LST001" if status != "lyft" else None, status=status, created_at=opened,
                  updated_at=opened)
    if status != "lyft":
        add(CaseStep, case_id=case_id, from_status="lyft", to_status=status, comment="Steg", user_id="U0LST001",
            at=opened + timedelta(days=1))
