"""A per-member throttle for commands that notify others (an activation request DMs
every koordinator; a question DMs another actor's TiBs).

    throttle.take(s, ctx.region_id, user, "activation_request", ctx.now())

inside the flow's transaction: refuses with `Refusal("throttled", at=…)` (the local time
to try again) when the member has used `kind` LIMITS[kind] times within its window,
otherwise records this use. A flow that refuses later rolls the use back with the rest.
Hits are rows in the database, so several bot processes share one count.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.audit.models import ThrottleHit
from bot.reply import Refusal

# kind -> (uses, within)
LIMITS: dict[str, tuple[int, timedelta]] = {
    "activation_request": (1, timedelta(minutes=10)),
    "question": (5, timedelta(minutes=10)),
}


def take(s: Session, region_id: int, user: str, kind: str, now: datetime) -> None:
    """Records one use of `kind` by `user`, or refuses (see the module doc)."""
    uses, within = LIMITS[kind]
    since = now - within
    key = (ThrottleHit.region_id == region_id, ThrottleHit.user_id == user, ThrottleHit.kind == kind)
    s.execute(delete(ThrottleHit).where(*key, ThrottleHit.at <= since))
    count, oldest = s.execute(select(func.count(), func.min(ThrottleHit.at)).where(*key, ThrottleHit.at > since)).one()
    if count >= uses:
        raise Refusal("throttled", at=retry_at(oldest, within))
    s.add(ThrottleHit(region_id=region_id, user_id=user, kind=kind, at=now))
    s.flush()


def retry_at(oldest: datetime, within: timedelta) -> datetime:
    return oldest + within
