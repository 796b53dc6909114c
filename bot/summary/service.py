"""The samlad lägesbild as data, in plain Python over the database (no Slack here).

`build(s, conf, ...)` gathers what a conference's summary shows: participation, each
actor's current report grouped by category (in speaking-order category order), the
aggregated needs / coming events / communication, the action items and the points
raised to the Regional samordningsgrupp. The Slack messages (summary/messages.py), the
export (bot/export.py) and the benchmark all render from this one structure.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.actions import service as actions
from bot.activation.models import AFTER, Participant
from bot.conflicts import service as conflict_service
from bot.actions.service import ItemView
from bot.conference.models import ACTIVATED, Conference
from bot.floor.service import participation
from bot.region.models import Actor
from bot.report.models import Report
from bot.record.summary import Record, gather
from bot.summary.models import Summary

from bot.report.fields import FIELDS as REPORT_FIELDS

AGGREGATED = ("behov", "kommande", "kommunikation")  # shown again, across actors, after the reports
_ALIASES = {"handelser": "intraffat"}  # older key for "Inträffade händelser"


@dataclass(frozen=True)
class ActorReport:
    actor_id: int
    actor_key: str
    actor_name: str
    category: str
    status: str | None
    nothing_new: bool
    fields: list[tuple[str, str]]  # (field key, text), in the lägesbild's order; unknown keys last
    submitted_at: datetime
    version: int


@dataclass(frozen=True)
class Named:
    actor_name: str
    text: str


@dataclass
class SummaryData:
    conference: Conference
    activated: bool
    held_on: date | None
    actors_total: int
    reported: list[str]  # actor names
    spoke: list[str]
    passed: list[str]
    absent: list[str]
    groups: list[tuple[str, list[ActorReport]]]  # (category, reports)
    aggregated: dict[str, list[Named]]  # field key -> [(actor, text)]
    new_items: list[ItemView]  # registered during this conference
    carried_items: list[ItemView]  # still open from earlier conferences
    raised: list[Named]  # lyft till Regional samordningsgruppen (actor who raised it, text)
    today: date
    statuses: dict[str, int] = field(default_factory=dict)  # normal/påverkad/allvarlig -> count
    not_heard: list[str] = field(default_factory=list)  # the floor never reached them before the close
    record: Record = field(default_factory=Record)  # the leader's analysis, notes, trade-offs
    conflicts: list[dict] = field(default_factory=list)  # open målkonflikter (Slutsatser): id, actors, text
    in_after_phase: list[str] = field(default_factory=list)  # aktiverat läge: actors in efterskede


def _fields_of(raw: dict | None) -> list[tuple[str, str]]:
    values: dict[str, str] = {}
    for key, value in (raw.items() if isinstance(raw, dict) else ()):
        if isinstance(value, str) and value.strip():
            values[_ALIASES.get(key, key)] = value.strip()
    ordered = [(k, values.pop(k)) for k in REPORT_FIELDS if k in values]
    return ordered + sorted(values.items())  # never drop a field we do not know


def category_order(cfg, actors: list[Actor]) -> list[str]:
    """Host categories first (speaking_order.first), then speaking_order.categories, then the rest."""
    by_key = {a.key: a for a in actors}
    order: list[str] = []
    for key in cfg.speaking_order.first:
        if key in by_key:
            order.append(by_key[key].category)
    order += list(cfg.speaking_order.categories)
    order += [a.category for a in actors]
    return list(dict.fromkeys(order))


def actor_reports(s: Session, conference_id: int) -> list[ActorReport]:
    rows = s.scalars(select(Report).where(Report.conference_id == conference_id)).all()
    actors = {a.id: a for a in s.scalars(select(Actor).where(Actor.id.in_([r.actor_id for r in rows])))} if rows else {}
    out = []
    for r in rows:
        if not r.versions:
            continue
        v, a = r.current, actors[r.actor_id]
        out.append(ActorReport(actor_id=a.id, actor_key=a.key, actor_name=a.name, category=a.category,
                               status=v.status, nothing_new=bool(v.nothing_new or r.nothing_new),
                               fields=[] if v.nothing_new else _fields_of(v.fields),
                               submitted_at=v.submitted_at, version=v.version))
    position = {a.id: a.position for a in actors.values()}
    return sorted(out, key=lambda x: (position.get(x.actor_id, 0), x.actor_name))


def after_phase(s: Session, conf: Conference) -> list[str]:
    """The actors of an activated conference in efterskede, in region-file order."""
    return list(s.scalars(select(Actor.name).join(Participant, Participant.actor_id == Actor.id)
                          .where(Participant.conference_id == conf.id, Participant.phase == AFTER)
                          .order_by(Actor.position)))


def build(s: Session, conf: Conference, cfg, today: date) -> SummaryData:
    all_actors = list(s.scalars(select(Actor).where(Actor.region_id == conf.region_id).order_by(Actor.position)))
    names = {a.id: a.name for a in all_actors}
    reports = actor_reports(s, conf.id)
    p = participation(s, conf.id)
    reported_ids = list(p.reported) or [r.actor_id for r in reports]
    absent_ids = list(p.absent)
    if not p.reported and not p.spoke and not p.absent and not p.not_heard:  # no floor data: from the reports
        done = set(reported_ids)
        absent_ids = [a.id for a in all_actors if a.active and a.id not in done]

    groups: dict[str, list[ActorReport]] = {c: [] for c in category_order(cfg, [a for a in all_actors if a.active])}
    for rep in reports:
        groups.setdefault(rep.category, []).append(rep)
    aggregated: dict[str, list[Named]] = {k: [] for k in AGGREGATED}
    statuses: dict[str, int] = {}
    for rep in reports:
        if rep.status:
            statuses[rep.status] = statuses.get(rep.status, 0) + 1
        for key, text in rep.fields:
            if key in aggregated:
                aggregated[key].append(Named(rep.actor_name, text))

    new = [actions.view(s, i, today) for i in actions.conference_items(s, conf.id, raised=False)]
    new_ids = {v.id for v in new}
    carried = [v for v in actions.open_views(s, conf.region_id, today) if v.id not in new_ids]
    raised = [Named(names.get(i.owner_actor_id, "?"), i.text) for i in actions.conference_items(s, conf.id, raised=True)]
    held = date.fromisoformat(conf.held_on) if conf.held_on else (
        conf.opened_at.astimezone(cfg.tz).date() if conf.opened_at else None)
    return SummaryData(
        conference=conf, activated=conf.kind == ACTIVATED, held_on=held,
        # everyone the conference concerned: all actors, or in aktiverat läge those called in
        actors_total=len(set(p.reported) | set(p.spoke) | set(p.passed) | set(p.absent) | set(p.not_heard))
        or sum(1 for a in all_actors if a.active),
        reported=[names[i] for i in reported_ids if i in names], spoke=[names[i] for i in p.spoke if i in names],
        passed=[names[i] for i in p.passed if i in names], absent=[names[i] for i in absent_ids if i in names],
        groups=[(c, reps) for c, reps in groups.items() if reps], aggregated=aggregated,
        new_items=new, carried_items=carried, raised=raised, today=today, statuses=statuses,
        not_heard=[names[i] for i in p.not_heard if i in names], record=gather(s, conf.id, conf.region_id),
        conflicts=conflict_service.open_views(s, conf.region_id), in_after_phase=after_phase(s, conf))


# ---- postings -----------------------------------------------------------------------------

def record_posting(s: Session, conf: Conference, now: datetime, pages: int, by: str | None) -> Summary:
    number = (s.scalar(select(func.max(Summary.number)).where(Summary.conference_id == conf.id)) or 0) + 1
    row = Summary(region_id=conf.region_id, conference_id=conf.id, number=number, pages=pages,
                  posted_at=now, posted_by=by)
    s.add(row)
    s.flush()
    return row


def latest_posting(s: Session, region_id: int) -> Summary | None:
    return s.scalars(select(Summary).where(Summary.region_id == region_id)
                     .order_by(Summary.posted_at.desc(), Summary.id.desc())).first()


def postings_of(s: Session, conference_id: int) -> list[Summary]:
    return list(s.scalars(select(Summary).where(Summary.conference_id == conference_id).order_by(Summary.number)))
