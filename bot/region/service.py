"""Keeps the database's actors and members in step with the region file, and answers
who a Slack user is and what they may do.

Actors and members change only when the region file is synced (at start-up), so the
answers come from an in-memory view of them (`RegionView`), built when `sync_region`
commits (or, in a process that never synced, read once from the database), instead of a
query on every request.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from bot.region.models import Actor, Member, MemberRole, Region


@dataclass(frozen=True)
class Membership:
    user_id: str
    actor_id: int
    actor_key: str
    actor_name: str
    roles: frozenset[str]


@dataclass(frozen=True)
class ActorInfo:
    """An active actor as plain values (the attributes of `Actor` that readers use)."""

    id: int
    region_id: int
    key: str
    name: str
    category: str
    position: int
    active: bool = True


@dataclass(frozen=True)
class RegionView:
    """The region's active actors (in file order) and members, read once."""

    actors: tuple[ActorInfo, ...]
    by_user: dict[str, tuple[Membership, ...]]  # active memberships in active actors, in file order
    members_of: dict[int, tuple[tuple[str, frozenset[str]], ...]]  # actor id -> (user, roles) of active members
    by_id: dict[int, ActorInfo]

    @classmethod
    def load(cls, session: Session, region_id: int) -> "RegionView":
        actors = tuple(ActorInfo(a.id, a.region_id, a.key, a.name, a.category, a.position) for a in session.scalars(
            select(Actor).where(Actor.region_id == region_id, Actor.active.is_(True)).order_by(Actor.position)))
        by_id = {a.id: a for a in actors}
        members = session.scalars(select(Member).where(Member.region_id == region_id, Member.active.is_(True))
                                  .order_by(Member.id)).all()
        by_user: dict[str, list[tuple[int, Membership]]] = {}
        members_of: dict[int, list[tuple[str, frozenset[str]]]] = {}
        for m in members:
            actor = by_id.get(m.actor_id)
            if actor is None:
                continue
            roles = m.role_names
            by_user.setdefault(m.user_id, []).append(
                (actor.position, Membership(m.user_id, actor.id, actor.key, actor.name, roles)))
            members_of.setdefault(actor.id, []).append((m.user_id, roles))
        return cls(actors, {u: tuple(ms for _, ms in sorted(found, key=lambda x: x[0])) for u, found in by_user.items()},
                   {a: tuple(found) for a, found in members_of.items()}, by_id)


_views: dict[tuple[str, int], RegionView] = {}
_views_lock = threading.Lock()


_names: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _database_of(session: Session) -> str:
    """The database a session works on (two engines on one database share its view)."""
    return _database_name(session.get_bind())


def _database_name(engine) -> str:
    name = _names.get(engine)
    if name is None:
        name = _names[engine] = engine.url.render_as_string(hide_password=False)
    return name


def region_view(session: Session, region_id: int) -> RegionView:
    """The in-memory view of the region's actors and members (read on first use, by one
    thread while the others wait for it)."""
    key = (_database_of(session), region_id)
    view = _views.get(key)
    if view is None:
        with _loading_lock:
            view = _views.get(key)
            if view is None:
                view = _views[key] = RegionView.load(session, region_id)
    return view


_loading_lock = threading.Lock()


def known_memberships(sf: sessionmaker, region_id: int, user_id: str) -> list[Membership] | None:
    """`memberships` without a session, from the in-memory view if it is loaded (None if
    not yet): for a request to say up front what it will read (bot.db.writer)."""
    bind = sf.kw.get("bind")
    view = _views.get((_database_name(bind), region_id)) if bind is not None else None
    return None if view is None else list(view.by_user.get(user_id, ()))


def _install_on_commit(session: Session, region_id: int) -> None:
    """The view of what the sync wrote replaces the old one when the sync commits."""
    key, view = (_database_of(session), region_id), RegionView.load(session, region_id)

    def install(_session) -> None:
        with _views_lock:
            _views[key] = view

    with _views_lock:
        _views.pop(key, None)
    event.listen(session, "after_commit", install, once=True)


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
    _install_on_commit(session, region.id)
    return region


def memberships(session: Session, region_id: int, user_id: str) -> list[Membership]:
    """The person's memberships in active actors, in the region file's order of actors
    (from the in-memory view of the region: it is on the path of every request)."""
    return list(region_view(session, region_id).by_user.get(user_id, ()))


def active_actors(session: Session, region_id: int) -> list[ActorInfo]:
    return list(region_view(session, region_id).actors)


def active_actor(session: Session, region_id: int, actor_id: int) -> ActorInfo | None:
    """One active actor of the region by its database id (None: unknown or inactive)."""
    return region_view(session, region_id).by_id.get(actor_id)


def actor_members(session: Session, actor_id: int, role: str | None = None) -> list[str]:
    """The active members (Slack user ids) of an actor, those with `role` if given."""
    db = _database_of(session)
    view = next((v for (d, _), v in list(_views.items()) if d == db and actor_id in v.members_of), None)
    if view is None:
        region_id = session.scalars(select(Actor.region_id).where(Actor.id == actor_id)).first()
        if region_id is None:
            return []
        view = region_view(session, region_id)
    found = view.members_of.get(actor_id, ())
    return [user for user, roles in found if role is None or role in roles]


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
