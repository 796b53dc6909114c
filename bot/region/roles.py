"""The roles a member of an actor can have (region file `members[].roles`) and the checks
on them. Plain values only: the rows come from bot.region.service.memberships."""
from __future__ import annotations

from typing import Iterable, Protocol

TIB = "tib"  # tjänsteman i beredskap: reports for the actor, is called in first
KOORDINATOR = "koordinator"  # regional samverkanskoordinator: activates, leads
DELTAGARE = "deltagare"
ADMIN = "admin"
ALL = (TIB, KOORDINATOR, DELTAGARE, ADMIN)  # in the order messages list them

MAY_CREATE_ACTIONS = frozenset({TIB, KOORDINATOR})


class HasRoles(Protocol):
    actor_key: str
    roles: frozenset[str]


def has(memberships: Iterable[HasRoles], role: str) -> bool:
    return any(role in m.roles for m in memberships)


def is_koordinator(memberships: Iterable[HasRoles]) -> bool:
    return has(memberships, KOORDINATOR)


def is_leader(memberships: Iterable[HasRoles], host_key: str | None) -> bool:
    """Leads the conference (gives the floor on): a koordinator, or a tib of the host
    actor (`speaking_order.first`)."""
    return any(KOORDINATOR in m.roles or (host_key is not None and m.actor_key == host_key and TIB in m.roles)
               for m in memberships)


def reporters(memberships: Iterable[HasRoles]) -> list:
    """The memberships a person reports with (tib)."""
    return [m for m in memberships if TIB in m.roles]


def may_create_actions(m: HasRoles) -> bool:
    return bool(MAY_CREATE_ACTIONS & m.roles)
