"""Aktiverat läge, in plain Python over the database (no Slack here).

One activation is open at a time per region: a second `/aktivera` while one runs is
refused (the unique running number per year also stops two at once). A request to
activate moves pending -> accepting -> accepted (or pending -> declined) by
compare-and-set on its status, so two koordinators pressing at once activate once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.activation.models import (
    ACCEPTED, ACCEPTING, AFTER, CANCELLED, DECLINED, ONGOING, PENDING, PLANNED, REPLACED, ActivationRequest,
    Avstamning, Participant,
)
from bot.conference import service as conference_service
from bot.conference.models import ACTIVATED, OPEN, Conference
from bot.region import resolve, roles
from bot.region import service as region
from bot.region.models import Actor, Member, MemberRole
from bot.reply import Refusal
from bot.slack.text import user_mention

KOORDINATOR, TIB = roles.KOORDINATOR, roles.TIB


# ---- who may do what ---------------------------------------------------------------
def require_member(s: Session, region_id: int, user_id: str) -> list[region.Membership]:
    ms = region.memberships(s, region_id, user_id)
    if not ms:
        raise Refusal("activation_not_member")
    return ms


def require_koordinator(s: Session, region_id: int, user_id: str, key: str = "activation_not_koordinator") -> None:
    if not is_koordinator(s, region_id, user_id):
        raise Refusal(key)


def is_koordinator(s: Session, region_id: int, user_id: str) -> bool:
    return roles.is_koordinator(region.memberships(s, region_id, user_id))


def koordinators(s: Session, region_id: int) -> list[str]:
    """Every active member with the koordinator role, once each, in region-file order."""
    rows = s.execute(
        select(Member.user_id).join(Actor, Member.actor_id == Actor.id)
        .join(MemberRole, MemberRole.member_id == Member.id)
        .where(Member.region_id == region_id, Member.active.is_(True), Actor.active.is_(True),
               MemberRole.role == KOORDINATOR)
        .order_by(Actor.position, Member.id)
    ).all()
    return list(dict.fromkeys(r[0] for r in rows))


def callable_members(s: Session, actor_id: int) -> list[str]:
    """Whom to call for an actor: its tib members, else (no tib) all its members."""
    return region.actor_members(s, actor_id, TIB) or region.actor_members(s, actor_id)


# ---- the activation ---------------------------------------------------------------
def current(s: Session, region_id: int) -> Conference | None:
    return conference_service.current_activated(s, region_id)


def require_current(s: Session, region_id: int) -> Conference:
    conf = current(s, region_id)
    if conf is None:
        raise Refusal("activation_none_active")
    return conf


def refuse_if_active(s: Session, region_id: int, key: str = "activation_already_active") -> None:
    conf = current(s, region_id)
    if conf is not None:
        raise Refusal(key, number=conf.number, reason=conf.reason or "")


def next_number(s: Session, region_id: int, now: datetime, tz: ZoneInfo) -> int:
    return conference_service.next_activation_number(s, region_id, now.astimezone(tz).year)


def create(s: Session, region_id: int, *, channel: str, reason: str, user_id: str, now: datetime,
           tz: ZoneInfo) -> Conference:
    """Opens a new activated conference (refused if one is already open). A concurrent
    activation with the same number fails on the unique (region, kind, year, number)."""
    refuse_if_active(s, region_id)
    local = now.astimezone(tz)
    iso_year, iso_week, _ = local.isocalendar()
    conf = Conference(region_id=region_id, kind=ACTIVATED, year=local.year,
                      number=conference_service.next_activation_number(s, region_id, local.year),
                      iso_year=iso_year, iso_week=iso_week, week_key=None, status=OPEN,
                      held_on=local.date().isoformat(), scheduled_at=now, opened_at=now, channel=channel,
                      reason=reason, activated_by=user_id, created_at=now)
    s.add(conf)
    s.flush()
    return conf


@dataclass
class CallIn:
    actor: Actor
    users: list[str]
    phase: str = ONGOING


def call_in_all(s: Session, conf: Conference, now: datetime) -> list[CallIn]:
    """Records every active actor with tib members as called in; returns whom to call."""
    out = []
    tibs = region.members_by_actor(s, conf.region_id, TIB)
    for actor in region.active_actors(s, conf.region_id):
        users = tibs.get(actor.id)
        if not users:
            continue
        s.add(Participant(conference_id=conf.id, actor_id=actor.id, called_at=now, called_by=None,
                          times_called=1, phase=ONGOING))
        out.append(CallIn(actor, users))
    s.flush()
    return out


def find_actor(s: Session, region_id: int, query: str) -> Actor:
    """An actor by id or name, or by a member's user id (`<@U…>` typed as @person)."""
    actor = resolve.actor(s, region_id, query)
    if actor is None:
        raise Refusal("activation_unknown_actor", actor=query.strip())
    return actor


def call_in(s: Session, conf: Conference, actor: Actor, user_id: str, now: datetime) -> CallIn:
    users = callable_members(s, actor.id)
    if not users:
        raise Refusal("activation_actor_without_members", actor=actor.name)
    p = participant(s, conf, actor.id)
    if p is None:
        p = Participant(conference_id=conf.id, actor_id=actor.id, called_at=now, called_by=user_id, times_called=1,
                        phase=ONGOING)
        s.add(p)
    else:
        p.called_at, p.called_by, p.times_called = now, user_id, p.times_called + 1
    s.flush()
    return CallIn(actor, users, p.phase)


def participant(s: Session, conf: Conference, actor_id: int) -> Participant | None:
    return s.scalars(select(Participant).where(Participant.conference_id == conf.id,
                                               Participant.actor_id == actor_id)).first()


def participants(s: Session, conf: Conference) -> list[tuple[Participant, Actor]]:
    return [tuple(row) for row in s.execute(select(Participant, Actor).join(Actor, Participant.actor_id == Actor.id)
                          .where(Participant.conference_id == conf.id).order_by(Actor.position)).all()]


def called_in(s: Session, conf: Conference) -> list[CallIn]:
    """Everyone to call again (avstämning): each participant's members, with its phase."""
    out = []
    for p, actor in participants(s, conf):
        users = callable_members(s, actor.id)
        if users:
            out.append(CallIn(actor, users, p.phase))
    return out


PHASE_WORDS = {"efterskede": AFTER, "efterfas": AFTER, "efter": AFTER, "pågående": ONGOING, "pagaende": ONGOING, "pågår": ONGOING,
               "pagar": ONGOING}


def parse_phase_args(text: str) -> tuple[str, str]:
    """'<aktör> efterfas|pågående' -> (actor query, phase)."""
    head, _, last = text.strip().rpartition(" ")
    phase = PHASE_WORDS.get(last.casefold())
    if not head.strip() or phase is None:
        raise Refusal("activation_phase_usage")
    return head.strip(), phase


def set_phase(s: Session, conf: Conference, actor: Actor, phase: str, user_id: str, now: datetime) -> Participant:
    p = participant(s, conf, actor.id)
    if p is None:
        raise Refusal("activation_phase_not_called", actor=actor.name, actor_key=actor.key)
    p.phase, p.phase_at, p.phase_by = phase, now, user_id
    return p


# ---- avstämningar -------------------------------------------------------------------
_TIME_RE = re.compile(r"(?:kl\.?\s*)?([01]?\d|2[0-3])(?:[:.]([0-5]\d))?")


def parse_avstamning_time(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """'14:00' (also 14.00, 14, kl. 14) in the region's zone: today, or tomorrow if that
    time has passed. Returns aware UTC."""
    m = _TIME_RE.fullmatch(text.strip().casefold())
    if not m:
        raise Refusal("activation_bad_time", given=text.strip())
    wanted = time(int(m.group(1)), int(m.group(2) or 0))
    local_now = now.astimezone(tz)
    for days in (0, 1):
        day = local_now.date() + timedelta(days=days)
        # through UTC and back, so a time that does not exist on a DST day moves forward
        at = datetime.combine(day, wanted, tz).astimezone(timezone.utc)
        if at > now:
            return at
    raise Refusal("activation_bad_time", given=text.strip())  # pragma: no cover - tomorrow is always later


def set_avstamning(s: Session, conf: Conference, at: datetime, user_id: str, now: datetime) -> Avstamning:
    """The next avstämning; a planned one not yet reached is replaced by this one."""
    for old in s.scalars(select(Avstamning).where(Avstamning.conference_id == conf.id,
                                                  Avstamning.status == PLANNED)):
        old.status = REPLACED
    a = Avstamning(conference_id=conf.id, at=at, status=PLANNED, set_by=user_id, set_at=now)
    s.add(a)
    s.flush()
    return a


def next_avstamning(s: Session, conf: Conference) -> Avstamning | None:
    return s.scalars(select(Avstamning).where(Avstamning.conference_id == conf.id, Avstamning.status == PLANNED)
                     .order_by(Avstamning.at)).first()


def planned_avstamningar(s: Session, region_id: int, start: datetime, end: datetime) -> list[Avstamning]:
    return list(s.scalars(select(Avstamning).join(Conference, Avstamning.conference_id == Conference.id)
                          .where(Conference.region_id == region_id, Conference.status == OPEN,
                                 Avstamning.status == PLANNED, Avstamning.at >= start, Avstamning.at < end)
                          .order_by(Avstamning.at)))


# ---- requests -------------------------------------------------------------------------
def create_request(s: Session, region_id: int, *, user_id: str, reason: str, channel: str | None,
                   now: datetime) -> ActivationRequest:
    actor = resolve.member_actor(s, region_id, user_id)
    req = ActivationRequest(region_id=region_id, requested_by=user_id, actor_id=actor.id if actor else None,
                            reason=reason, channel=channel, status=PENDING, message_refs=[], created_at=now)
    s.add(req)
    s.flush()
    return req


def get_request(s: Session, region_id: int, request_id: int) -> ActivationRequest:
    req = s.get(ActivationRequest, request_id)
    if req is None or req.region_id != region_id:
        raise Refusal("activation_request_unknown")
    return req


def _refuse_decided(req: ActivationRequest) -> None:
    key = {ACCEPTING: "activation_request_accepting", ACCEPTED: "activation_request_already_accepted",
           DECLINED: "activation_request_already_declined"}[req.status]
    raise Refusal(key, decided_user=user_mention(req.decided_by) if req.decided_by else "", request_id=req.id)


def claim_request(s: Session, req: ActivationRequest, to_status: str, user_id: str, now: datetime) -> None:
    """Compare-and-set pending -> `to_status`. Exactly one of several concurrent
    claims wins; the others are refused with what happened."""
    res = s.execute(update(ActivationRequest)
                    .where(ActivationRequest.id == req.id, ActivationRequest.status == PENDING)
                    .values(status=to_status, decided_by=user_id, decided_at=now)
                    .execution_options(synchronize_session=False))
    if res.rowcount != 1:
        s.refresh(req)
        _refuse_decided(req)
    s.refresh(req)


def release_request(s: Session, req: ActivationRequest) -> None:
    """An accept that could not complete: the request is pending again."""
    if req.status == ACCEPTING:
        req.status, req.decided_by, req.decided_at = PENDING, None, None


def pending_requests(s: Session, region_id: int) -> list[ActivationRequest]:
    return list(s.scalars(select(ActivationRequest).where(ActivationRequest.region_id == region_id,
                                                          ActivationRequest.status == PENDING)
                          .order_by(ActivationRequest.id)))


def complete_request(req: ActivationRequest, conf: Conference) -> None:
    req.status, req.conference_id = ACCEPTED, conf.id


# ---- the end ----------------------------------------------------------------------------
def deactivate(s: Session, conf: Conference, comment: str | None, now: datetime) -> None:
    conference_service.mark_closed(conf, now)
    conf.closing_comment = comment or None
    for a in s.scalars(select(Avstamning).where(Avstamning.conference_id == conf.id,
                                                Avstamning.status == PLANNED)):
        a.status = CANCELLED


@dataclass
class Status:
    conf: Conference
    ongoing: list[Actor] = field(default_factory=list)
    after: list[Actor] = field(default_factory=list)
    next_avstamning: datetime | None = None


def status(s: Session, conf: Conference) -> Status:
    st = Status(conf)
    for p, actor in participants(s, conf):
        (st.after if p.phase == AFTER else st.ongoing).append(actor)
    nxt = next_avstamning(s, conf)
    st.next_avstamning = nxt.at if nxt else None
    return st
