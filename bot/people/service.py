"""Display names of Slack users for documents people read (export, statistics, digest).

The core never asks Slack itself: the caller passes `lookup(user_id) -> name | None`
(bot/slack/users.py builds one over users.info; None means Slack could not answer).
A name is cached in the `person` table and asked again when older than a day. When Slack
cannot answer, a cached name is still used; without one, the id is shown with a note.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.people.models import Person

FRESH_FOR = timedelta(days=1)
Lookup = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Name:
    user_id: str
    name: str | None  # None: unknown (Slack could not answer and nothing is cached)

    @property
    def known(self) -> bool:
        return self.name is not None


def cached(s: Session, user_ids: Iterable[str]) -> dict[str, Person]:
    ids = sorted({u for u in user_ids if u})
    if not ids:
        return {}
    return {p.user_id: p for p in s.scalars(select(Person).where(Person.user_id.in_(ids)))}


def names(s: Session, user_ids: Iterable[str], now: datetime, lookup: Lookup | None = None) -> dict[str, Name]:
    """The display name of each user id; asks `lookup` for those missing or older than a
    day (and stores the answer in `s`). Without `lookup`, only the cache answers."""
    wanted = sorted({u for u in user_ids if u})
    rows = cached(s, wanted)
    out: dict[str, Name] = {}
    for uid in wanted:
        row = rows.get(uid)
        stale = row is None or row.display_name is None or now - row.fetched_at > FRESH_FOR
        if stale and lookup is not None:
            fetched = lookup(uid)
            if row is None:
                row = Person(user_id=uid, display_name=None, fetched_at=now)
                s.add(row)
            row.fetched_at = now
            if fetched:
                row.display_name = fetched
        out[uid] = Name(uid, row.display_name if row is not None else None)
    s.flush()
    return out


def store(s: Session, user_id: str, name: str, now: datetime) -> None:
    """Records a name learnt elsewhere (e.g. a payload that carried it)."""
    row = s.get(Person, user_id)
    if row is None:
        s.add(Person(user_id=user_id, display_name=name, fetched_at=now))
    else:
        row.display_name, row.fetched_at = name, now
