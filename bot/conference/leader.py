"""The checks of the leader's verbs: who leads (bot.region.roles.is_leader: a koordinator,
or a tib of the host actor `speaking_order.first`) and who is a member at all."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.config import RegionConfig
from bot.region import roles
from bot.region.service import Membership, memberships
from bot.reply import Refusal


def host_key(cfg: RegionConfig) -> str | None:
    first = cfg.speaking_order.first
    return first[0] if first else None


def is_leader(s: Session, cfg: RegionConfig, region_id: int, user: str) -> bool:
    return roles.is_leader(memberships(s, region_id, user), host_key(cfg))


def require_leader(s: Session, cfg: RegionConfig, region_id: int, user: str) -> None:
    if not is_leader(s, cfg, region_id, user):
        raise Refusal("leading_not_leader")


def require_member(s: Session, region_id: int, user: str) -> list[Membership]:
    """The person's memberships; refused for someone who acts for no actor."""
    mine = memberships(s, region_id, user)
    if not mine:
        raise Refusal("leading_not_member")
    return mine
