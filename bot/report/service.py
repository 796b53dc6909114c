"""Lägesbilder in plain Python over the database (no Slack here): who may report for
which actor, storing every version, who has reported (which conference a report goes
to: bot.report.targeting).

A report belongs to the actor, never to the person: any `tib` member of the actor may
submit or revise it, and every version is kept with who submitted it and when.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, NamedTuple

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from bot.conference.models import Conference
from bot.db.writer import Want, insert_later, insert_new, new_row, update_later
from bot.region import roles
from bot.region.models import Actor
from bot.region.service import Membership, active_actors, memberships, region_actor
from bot.reply import Refusal
from bot.report import fields as F
from bot.report.models import Report, ReportVersion
from bot.report.targeting import ConferenceInfo, Target  # noqa: F401  (re-exported for messages)

REPORTER_ROLE = roles.TIB


@dataclass(frozen=True)
class Prefill:
    fields: dict[str, str]
    status: str | None
    iso_week: int | None  # the week of the conference the fields come from


# ---- who may report ---------------------------------------------------------------------

def reporter_memberships(s: Session, region_id: int, user_id: str) -> list[Membership]:
    """The actors this person may report for (tib role), or a Refusal saying why not."""
    mine = memberships(s, region_id, user_id)
    if not mine:
        raise Refusal("report_refused_unknown")
    tib = roles.reporters(mine)
    if not tib:
        raise Refusal("report_refused_not_tib", actors=", ".join(m.actor_name for m in mine))
    return tib


def reporter_for(s: Session, region_id: int, user_id: str, actor_id: int | None = None) -> Membership:
    """The membership to report with: the given actor (must be one of the person's tib
    actors) or, with none given, the person's only tib actor."""
    tib = reporter_memberships(s, region_id, user_id)
    if actor_id is None:
        if len(tib) > 1:
            raise Refusal("report_refused_choose_actor", first=tib[0].actor_key,
                          actors=", ".join(f"{m.actor_key} ({m.actor_name})" for m in tib))
        return tib[0]
    for m in tib:
        if m.actor_id == actor_id:
            return m
    actor = region_actor(s, region_id, actor_id)
    raise Refusal("report_refused_not_tib_for", actor=actor.name if actor else str(actor_id))


def split_actor_prefix(tib: list[Membership], text: str) -> tuple[Membership | None, str]:
    """For a person who is tib of several actors: `sos-alarm: text` or `sos-alarm text`
    names the actor. Returns (membership or None, the text without the prefix)."""
    head, _, rest = text.partition(" ")
    key = head.rstrip(":").casefold()
    for m in tib:
        if key == m.actor_key.casefold() and (head.endswith(":") or rest):
            return m, rest.strip()
    return None, text


# ---- storing ---------------------------------------------------------------------------

def validation_errors(fields: dict[str, str], status: str | None, nothing_new: bool) -> dict[str, tuple[str, dict]]:
    """Problems with a submitted modal, by field key: {key: (string key, values)}."""
    errors: dict[str, tuple[str, dict]] = {}
    for key, length in F.too_long(fields).items():
        errors[key] = ("report_error_too_long", {"length": length, "max": F.MAX_CHARS})
    if status is not None and status not in F.STATUSES:
        errors["status"] = ("report_error_status", {})
    if not nothing_new and not any(F.has_words(v) for v in fields.values()):
        errors.setdefault(F.QUICK_FIELD, ("report_error_empty", {}))
    return errors


def find_report(s: Session, conference_id: int, actor_id: int) -> Report | None:
    return s.scalars(select(Report).where(Report.conference_id == conference_id,
                                          Report.actor_id == actor_id)).first()


@dataclass(frozen=True)
class Stored:
    """An actor's current report to a conference (plain values): what the thread shows."""

    report_id: int
    version: int
    revised: bool  # the actor had reported to this conference before this version
    fields: dict[str, str]
    status: str | None
    nothing_new: bool
    needs_coordination: bool
    submitted_at: datetime

    @property
    def ref(self) -> str:
        return f"report:{self.report_id}"

    def page_ref(self, page: int) -> str:
        return self.ref if page == 1 else f"{self.ref}:p{page}"

    def current(self) -> "Current":
        return Current(self.report_id, self.version, self.nothing_new, self.fields, self.status)

    @classmethod
    def of(cls, report: Report) -> "Stored":
        v = report.current
        return cls(report.id, report.version, report.version > 1, F.clean(v.fields), v.status, v.nothing_new,
                   report.needs_coordination, v.submitted_at)


# Reports come in bursts (a whole region before the meeting): the write path is a few
# prepared Core statements, not the ORM's unit of work.
_CURRENTS = (
    select(Report.actor_id, Report.id, Report.version, Report.nothing_new, ReportVersion.fields, ReportVersion.status)
    .join(ReportVersion, (ReportVersion.report_id == Report.id) & (ReportVersion.version == Report.version))
    .where(Report.conference_id == bindparam("conference_id")))
_CURRENTS_OF = _CURRENTS.where(Report.actor_id.in_(bindparam("actor_ids", expanding=True)))


class Current(NamedTuple):
    """An actor's current report to a conference, as the write path needs it."""

    id: int
    version: int
    nothing_new: bool
    fields: dict[str, str]
    status: str | None


def currents(s: Session, conference_id: int, actor_ids: Iterable[int]) -> dict[int, Current]:
    """These actors' current reports to a conference, in one query (actor id -> Current):
    a group of writes (bot.db.writer) reads those of all its reports at once."""
    return {r.actor_id: Current(r.id, r.version, r.nothing_new, r.fields, r.status)
            for r in s.connection().execute(_CURRENTS_OF, {"conference_id": conference_id,
                                                            "actor_ids": sorted(actor_ids)})}


REPORTER = "reporter"  # what a report says it will read (bot.db.writer): its actor's current report


def wants(actor_id: int) -> tuple[Want, Want]:
    """What a report for this actor says it will read and may insert (bot.db.writer)."""
    return (REPORTER, actor_id), new_report(actor_id)


def new_report(actor_id: int) -> Want:
    """A new report row of this actor (its id taken ahead on PostgreSQL, bot.db.writer).
    Keyed by actor: should one group hold first reports of one actor to two conferences,
    both get one id, the group fails on it and each runs again alone (correct, slower)."""
    return new_row(Report.__table__, actor_id)


_UPDATE_REPORT = (update(Report.__table__).where(Report.id == bindparam("report_id"))
                  .values(version=bindparam("version"), nothing_new=bindparam("nothing_new"),
                          updated_at=bindparam("updated_at"), needs_coordination=bindparam("needs_coordination")))


def submit(s: Session, conf: Conference, actor_id: int, user_id: str, now: datetime, *,
           fields: dict[str, str], status: str | None, nothing_new: bool,
           current: Current | None, only_quick_field: bool = False, new: Want | None = None) -> Stored:
    """Stores a new version of the actor's report to `conf` (a new report if it has none):
    `current` is its current report there, as the caller read it (`currents`); `new`: what
    the unit said of a new report row (`bot.db.writer.new_row`). In a group of writes the
    row and its UPDATE join the group's statements (bot.db.writer).

    `only_quick_field`: a quick text replaces "Läge nu" and keeps the other fields (and
    the status) of the actor's current report to this conference, if it has one."""
    fields = F.clean(fields)
    if current is not None and only_quick_field and not current.nothing_new:
        fields = {**F.clean(current.fields), **fields}
        status = status or current.status
    number = 1 if current is None else current.version + 1
    needs = not nothing_new and bool(fields.get(F.NEEDS_FIELD))
    state = {"version": number, "nothing_new": nothing_new, "updated_at": now, "needs_coordination": needs}
    if current is None:
        report_id = insert_new(s, Report.__table__, {"conference_id": conf.id, "actor_id": actor_id,
                                                     "created_at": now, **state}, new)
    else:
        report_id = current.id
        update_later(s, _UPDATE_REPORT, {"report_id": report_id, **state})
    # the version row: with the other reports of a group of writes in one INSERT (bot.db.writer)
    insert_later(s, ReportVersion.__table__, {"report_id": report_id, "version": number, "fields": fields,
                                              "status": status, "nothing_new": nothing_new, "submitted_by": user_id,
                                              "submitted_at": now})
    return Stored(report_id, number, current is not None, fields, status, nothing_new, needs, now)


# ---- reading ---------------------------------------------------------------------------

def prefill(s: Session, actor_id: int, limit: int = 25) -> Prefill | None:
    """The actor's latest report content (any conference), so a TiB only edits what
    changed: fields from the latest version that has any, status from the latest that has one."""
    rows = s.execute(
        select(ReportVersion, Conference.iso_week)
        .join(Report, ReportVersion.report_id == Report.id)
        .join(Conference, Report.conference_id == Conference.id)
        .where(Report.actor_id == actor_id)
        .order_by(ReportVersion.submitted_at.desc(), ReportVersion.id.desc()).limit(limit)
    ).all()
    found_fields = next(((F.clean(v.fields), week) for v, week in rows if F.clean(v.fields)), None)
    status = next((v.status for v, _ in rows if v.status), None)
    if found_fields is None and status is None:
        return None
    fields, week = found_fields or ({}, None)
    return Prefill(fields, status, week)


def reports_of(s: Session, conference_id: int, actor_ids: list[int]) -> list[Report]:
    """These actors' reports to a conference, in the order of `actor_ids` (one query and
    one for their versions, however many)."""
    found = {r.actor_id: r for r in s.scalars(select(Report).where(Report.conference_id == conference_id,
                                                                     Report.actor_id.in_(actor_ids)))}
    return [found[a] for a in actor_ids if a in found]


def reports_for(s: Session, conference_id: int) -> list[Report]:
    """Every report to a conference, in the region file's order of actors."""
    return list(s.scalars(select(Report).join(Actor, Report.actor_id == Actor.id)
                          .where(Report.conference_id == conference_id).order_by(Actor.position)))


@dataclass(frozen=True)
class ActorStatus:
    actor_id: int
    actor_key: str
    name: str
    category: str
    report: Report | None


def overview(s: Session, region_id: int, conference_id: int | None) -> list[ActorStatus]:
    """Every active actor of the region with its report to the conference (or None)."""
    by_actor = {r.actor_id: r for r in reports_for(s, conference_id)} if conference_id is not None else {}
    return [ActorStatus(a.id, a.key, a.name, a.category, by_actor.get(a.id)) for a in active_actors(s, region_id)]


def by_category(statuses: list[ActorStatus]) -> list[tuple[str, list[ActorStatus]]]:
    """Grouped by category, categories in the order their first actor appears."""
    groups: dict[str, list[ActorStatus]] = {}
    for st in statuses:
        groups.setdefault(st.category, []).append(st)
    return list(groups.items())


def actors_without_report(s: Session, region_id: int, conference_id: int) -> list[Actor]:
    """Active actors with no report at all to the conference ("inget nytt" is a report)."""
    reported = set(s.scalars(select(Report.actor_id).where(Report.conference_id == conference_id)))
    return [a for a in active_actors(s, region_id) if a.id not in reported]

