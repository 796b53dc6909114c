"""Keeps the database's actors and members in step with the region file, and answers
who a Slack user is and what they may do."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.region.models import Actor, Member, MemberRole, Region


@dataclass(frozen=True)
class Membership:
    user_id: str
    actor_id: int
    actor_key: str
    actor_name: str
    roles: frozenset[str]


def sync_region(session: Session, cfg, now: datetime) -> Region:
    """Upserts the region, its actors and members from the region file. Actors and
    members that left the file are kept (history) but marked inactive."""
    region = session.scalars(select(Region).where(Region.name == cfg.region)).first()
    if region is None:
        region = Region(name=cfg.region, timezone=cfg.timezone, channel=cfg.channel, created_at=now)
        session.add(region)
        session.flush()
    region.timezone, region.channel = cfg.timezone, cfg.channel

    actors = {a.key: a for a in session.scalars(select(Actor).where(Actor.region_id == region.id))}
    for pos, a in enumerate(cfg.actors):
        row = actors.get(a.id)
        if row is None:
            row = actors[a.id] = Actor(region_id=region.id, key=a.id, name=a.name, category=a.category)
            session.add(row)
        row.name, row.category, row.active, row.position = a.name, a.category, True, pos
    wanted = {a.id for a in cfg.actors}
    for key, row in actors.items():
        if key not in wanted:
            row.active = False
    session.flush()

    members = {(m.actor_id, m.user_id): m for m in session.scalars(select(Member).where(Member.region_id == region.id))}
    seen = set()
    for m in cfg.members:
        actor = actors[m.actor]
        key = (actor.id, m.user)
        seen.add(key)
        row = members.get(key)
        if row is None:
            row = Member(region_id=region.id, actor_id=actor.id, user_id=m.user)
            session.add(row)
        row.active = True
        if row.role_names != frozenset(m.roles):
            row.roles = [MemberRole(role=r) for r in sorted(m.roles)]
    for key, row in members.items():
        if key not in seen:
            row.active = False
    session.flush()
    return region


_MEMBERSHIPS = (
    select(Actor.id, Actor.key, Actor.name, MemberRole.role).select_from(Member)
    .join(Actor, Member.actor_id == Actor.id).outerjoin(MemberRole, MemberRole.member_id == Member.id)
    .where(Member.region_id == bindparam("region_id"), Member.user_id == bindparam("user_id"),
           Member.active.is_(True), Actor.active.is_(True))
    .order_by(Actor.position, Actor.id))


def memberships(session: Session, region_id: int, user_id: str) -> list[Membership]:
    """The person's active actors in region-file order, with their roles, in one prepared
    query (it is on the path of every report, and reports come in bursts)."""
    found: dict[int, tuple[str, str, set[str]]] = {}
    for actor_id, key, name, role in session.execute(_MEMBERSHIPS, {"region_id": region_id, "user_id": user_id}):
        roles = found.setdefault(actor_id, (key, name, set()))[2]
        if role:
            roles.add(role)
    return [Membership(user_id, a, key, name, frozenset(roles)) for a, (key, name, roles) in found.items()]


def active_actors(session: Session, region_id: int) -> list[Actor]:
    return list(session.scalars(select(Actor).where(Actor.region_id == region_id, Actor.active.is_(True))
                                .order_by(Actor.position)))


def actor_members(session: Session, actor_id: int, role: str | None = None) -> list[str]:
    rows = session.scalars(select(Member).where(Member.actor_id == actor_id, Member.active.is_(True))).all()
    return [m.user_id for m in rows if role is None or role in m.role_names]


def region_actor(session: Session, region_id: int, actor_id: int) -> Actor | None:
    """The actor with this id if it belongs to the region (an id from a button or a modal
    may point anywhere: another region's actor is no actor here)."""
    actor = session.get(Actor, actor_id)
    return actor if actor is not None and actor.region_id == region_id else None


def members_by_actor(session: Session, region_id: int, role: str | None = None) -> dict[int, list[str]]:
    """actor id -> its active members' user ids (with `role`, if given), in one query:
    a region of thousands of actors is not asked about actor by actor."""
    out: dict[int, list[str]] = {}
    for m in session.scalars(select(Member).where(Member.region_id == region_id, Member.active.is_(True))):
        if role is None or role in m.role_names:
            out.setdefault(m.actor_id, []).append(m.user_id)
    return out
