"""Who leads the conference: a koordinator, or a tib of the host actor
(`speaking_order.first`)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.reply import Refusal
from bot.region.service import memberships


def is_leader(s: Session, cfg, region_id: int, user: str) -> bool:
    hosts = set(cfg.speaking_order.first)
    return any("koordinator" in m.roles or ("tib" in m.roles and m.actor_key in hosts)
               for m in memberships(s, region_id, user))


def require_leader(s: Session, cfg, region_id: int, user: str) -> None:
    if not is_leader(s, cfg, region_id, user):
        raise Refusal("leading_not_leader")


def require_member(s: Session, region_id: int, user: str):
    """The person's memberships; refused for someone who acts for no actor."""
    mine = memberships(s, region_id, user)
    if not mine:
        raise Refusal("leading_not_member")
    return mine
