"""Speaking order state, in plain Python over the database (no Slack here).

Every change of a floor is a compare-and-set: read the row, compute the new state with
the pure functions of bot.floor.state, and `UPDATE … WHERE version = :seen`. If another
request changed the floor in between, the update touches no row and the change is
computed again on the fresh state; a move of the floor that was pressed on an older
turn is refused instead (`stale`), so two presses of `Nästa` move the floor once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.activation.models import AFTER, Participant
from bot.activation.models import Participant
from bot.conference import service as conference_service
from bot.conference.models import OPEN, ORDINARY, Conference
from bot.floor import order as policy
from bot.floor.models import Floor, FloorRotation
from bot.floor.state import PASSED, SPEAKING, SPOKE, FloorState
from bot.floor import state as st
from bot.region import roles
from bot.region.models import Actor
from bot.region.service import Membership, active_actors, memberships
from bot.reply import Refusal
from bot.report.models import Report

T = TypeVar("T")
MAX_RETRIES = 50


@dataclass(frozen=True)
class Participation:
    reported: list[int] = field(default_factory=list)  # actor ids with a report (incl. "inget nytt")
    spoke: list[int] = field(default_factory=list)  # actor ids that had the floor
    passed: list[int] = field(default_factory=list)  # skipped ("Hoppa över")
    absent: list[int] = field(default_factory=list)  # given the floor (passed), no report, did not speak
    not_heard: list[int] = field(default_factory=list)  # the floor never reached them (ej hörda)


@dataclass(frozen=True)
class Change:
    """The outcome of a change: the floor row after it, its state, and what the change
    returns (the entry that got the floor, a queue position, …)."""

    floor: Floor
    state: FloorState
    result: object


# ---- reading ------------------------------------------------------------------------

def get(s: Session, conference_id: int) -> Floor | None:
    return s.scalars(select(Floor).where(Floor.conference_id == conference_id)
                     .execution_options(populate_existing=True)).first()


def state_of(floor: Floor) -> FloorState:
    return FloorState.from_json(floor.state)


def report_flags(s: Session, conference_id: int) -> dict[int, policy.ReportFlags]:
    rows = s.scalars(select(Report).where(Report.conference_id == conference_id)).all()
    return {r.actor_id: policy.ReportFlags(bool(r.needs_coordination)) for r in rows}


def actors_by_id(s: Session, region_id: int) -> dict[int, Actor]:
    """Every actor of the region, also inactive ones (an order may name them)."""
    return {a.id: a for a in s.scalars(select(Actor).where(Actor.region_id == region_id))}


def after_phase(s: Session, conference_id: int) -> list[int]:
    """The actors of an activated conference in efterskede."""
    return list(s.scalars(select(Participant.actor_id).where(Participant.conference_id == conference_id,
                                                            Participant.phase == AFTER)))


def conference_for_command(s: Session, region_id: int) -> Conference | None:
    """The conference `/talarordning` speaks of: an open activated one first, else the
    open ordinary one."""
    conf = conference_service.current_activated(s, region_id)
    if conf is not None:
        return conf
    conf = conference_service.current_ordinary(s, region_id)
    return conf if conf is not None and conf.status == OPEN else None


# ---- who may do what ------------------------------------------------------------------

def may_run(s: Session, region_id: int, user_id: str, host_key: str | None) -> bool:
    """Nästa / Hoppa över: a koordinator, or a tib of the host actor (speaking_order.first[0])."""
    return roles.is_leader(memberships(s, region_id, user_id), host_key)


def speaking_for(s: Session, region_id: int, user_id: str) -> Membership | None:
    """The actor a member asks for the floor for (the first of theirs in the region file)."""
    ms = memberships(s, region_id, user_id)
    return ms[0] if ms else None


# ---- creating the order ---------------------------------------------------------------

def _offsets(s: Session, region_id: int) -> dict[str, FloorRotation]:
    return {r.category: r for r in s.scalars(select(FloorRotation).where(FloorRotation.region_id == region_id))}


def _taking_part(s: Session, conf: Conference) -> list[Actor]:
    """The actors in the order: all of the region's in an ordinary conference; in an
    activated one, those called in (more can be called in, or report, later)."""
    actors = active_actors(s, conf.region_id)
    if conf.kind == ORDINARY:
        return actors
    called = set(s.scalars(select(Participant.actor_id).where(Participant.conference_id == conf.id)))
    return [a for a in actors if a.id in called] if called else actors


def _slots(s: Session, conf: Conference, speaking_order, offsets: dict[str, int]) -> list[policy.Slot]:
    actors = [policy.OrderActor(a.id, a.key, a.category, a.position) for a in _taking_part(s, conf)]
    return policy.speaking_order(actors, speaking_order.first, speaking_order.categories,
                                 rotate=speaking_order.rotate, offsets=offsets, reports=report_flags(s, conf.id))


def preview(s: Session, conf: Conference, speaking_order) -> FloorState:
    """The order a conference not yet open will have, as the reports stand now (nothing
    is stored: the order is fixed when it opens)."""
    floor = get(s, conf.id)
    if floor is not None:
        return state_of(floor)
    offsets = {c: r.offset for c, r in _offsets(s, conf.region_id).items()}
    return FloorState.from_order(_slots(s, conf, speaking_order, offsets))


def ensure(s: Session, conf: Conference, speaking_order, now: datetime) -> Floor:
    """The conference's floor, created the first time from the region's actors, the reports
    so far and the stored rotation offsets. An ordinary conference advances the offsets
    once (an activated one uses them as they are)."""
    floor = get(s, conf.id)
    if floor is not None:
        return floor
    actors = [policy.OrderActor(a.id, a.key, a.category, a.position) for a in _taking_part(s, conf)]
    rows = _offsets(s, conf.region_id)
    offsets = {c: r.offset for c, r in rows.items()}
    slots = _slots(s, conf, speaking_order, offsets)
    floor = Floor(conference_id=conf.id, region_id=conf.region_id, version=1, turn=0,
                  state=FloorState.from_order(slots).to_json(), offsets=offsets, created_at=now, updated_at=now)
    s.add(floor)
    if conf.kind == ORDINARY and speaking_order.rotate:
        groups = policy.rotating_groups(actors, speaking_order.first, speaking_order.categories)
        for category, value in policy.advanced(offsets, groups).items():
            row = rows.get(category)
            if row is None:
                row = FloorRotation(region_id=conf.region_id, category=category, offset=0)
                s.add(row)
            if category in groups:
                row.offset, row.last_conference_id = value, conf.id
    s.flush()
    return floor


# ---- changing the floor ---------------------------------------------------------------

def change(s: Session, conference_id: int, fn: Callable[[FloorState], tuple[FloorState, T]], now: datetime, *,
           seen_turn: int | None = None, moves: bool = False) -> Change:
    """Applies `fn` to the floor as a compare-and-set (see the module doc). `moves`: the
    change moves the floor (counts a turn); with `seen_turn`, it is refused as `stale`
    once the floor has moved past that turn. Raises Refusal."""
    for _ in range(MAX_RETRIES):
        floor = get(s, conference_id)
        if floor is None:
            raise Refusal("floor_refused_no_floor")
        if seen_turn is not None and floor.turn != seen_turn:
            raise Refusal("floor_refused_stale")
        old = state_of(floor)
        new, result = fn(old)
        if new == old:
            return Change(floor, old, result)
        seen_version = floor.version
        done = s.execute(
            update(Floor).where(Floor.conference_id == conference_id, Floor.version == seen_version)
            .values(state=new.to_json(), version=seen_version + 1, turn=Floor.turn + (1 if moves else 0),
                    updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if done == 1:
            return Change(get(s, conference_id), new, result)
    raise Refusal("floor_refused_busy")


def start(s: Session, conference_id: int, now: datetime) -> Change:
    """The host gets the floor (at the opening)."""
    return change(s, conference_id, st.start, now, moves=True)


def advance(s: Session, conference_id: int, now: datetime, *, passed: bool = False,
            seen_turn: int | None = None) -> Change:
    """Nästa (passed=False) or Hoppa över (passed=True). `seen_turn`: the turn the
    button showed; None (the slash command) acts on the floor as it is now."""
    return change(s, conference_id, lambda old: st.advance(old, passed=passed), now, seen_turn=seen_turn, moves=True)


def request(s: Session, conference_id: int, actor_id: int, user_id: str, now: datetime) -> Change:
    """Begär ordet: the actor's question/comment, queued after the current speaker."""
    return change(s, conference_id, lambda old: st.request(old, actor_id, user_id), now)


def actor_called_in(s: Session, conference_id: int, actor_id: int, now: datetime) -> Change | None:
    """An actor called in during an activated conference joins the end of the queue (once)."""
    if get(s, conference_id) is None:
        return None
    return change(s, conference_id, lambda old: st.join(old, actor_id), now)


def reports_arrived(s: Session, conference_id: int, actor_ids: list[int], now: datetime) -> Change | None:
    """Reports of several actors arrived, in this order: one compare-and-set for all.
    The change's result says whether anything changed; None if there is no floor."""
    if get(s, conference_id) is None:
        return None
    flags = report_flags(s, conference_id)

    def apply(old: FloorState) -> tuple[FloorState, bool]:
        state, any_change = old, False
        for actor_id in actor_ids:
            need = flags.get(actor_id, policy.ReportFlags()).needs_coordination
            state, changed = st.late_report(state, actor_id, needs_coordination=need)
            any_change = any_change or changed
        return state, any_change

    return change(s, conference_id, apply, now)


# ---- afterwards ---------------------------------------------------------------------------

def participation(s: Session, conference_id: int) -> Participation:
    """Who reported, whose turn came (spoke or passed), who was passed without a report
    (absent), and whom the floor never reached (not heard)."""
    conf = s.get(Conference, conference_id)
    if conf is None:
        return Participation()
    floor = get(s, conference_id)
    reported_set = set(report_flags(s, conference_id))
    if floor is not None:
        state = state_of(floor)
        everyone = list(dict.fromkeys(e.actor for e in state.turns()))
        # a question asked with "Begär ordet" is not the actor's turn: count turns only
        spoke = list(dict.fromkeys(e.actor for e in state.turns() if e.status in (SPOKE, SPEAKING)))
        passed = list(dict.fromkeys(e.actor for e in state.turns() if e.status == PASSED and e.actor not in spoke))
    else:
        everyone = [a.id for a in active_actors(s, conf.region_id)]
        spoke, passed = [], []
    known = set(everyone)
    everyone += [a for a in sorted(reported_set) if a not in known]
    reported = [a for a in everyone if a in reported_set]
    reached = set(spoke) | set(passed)
    if floor is None:  # no speaking order: everyone without a report counts as absent
        return Participation(reported=reported, absent=[a for a in everyone if a not in reported_set])
    not_heard = [a for a in dict.fromkeys(e.actor for e in state.turns()) if a not in reached]
    absent = [a for a in passed if a not in reported_set]
    return Participation(reported=reported, spoke=spoke, passed=passed, absent=absent, not_heard=not_heard)
