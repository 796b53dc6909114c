"""`/samverkan fråga <aktör> <text>`: the actor at the start (id, name, or @member, as
bot.region.resolve reads them) and the question as typed."""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bot.region import resolve
from bot.region.models import Actor
from bot.reply import Refusal
from bot.slack.text import to_plain

_FIRST = re.compile(r"\s*(\S+)")


def split_actor(s: Session, region_id: int, text: str) -> tuple[Actor, str]:
    """`text` as Slack sent it (escaped). Returns the actor and the plain rest."""
    first = _FIRST.match(text or "")
    if first is None:
        raise Refusal("question_usage")
    if first.group(1).startswith("<@"):
        actor = resolve.actor(s, region_id, first.group(1))
        if actor is None:
            raise Refusal("question_member_unclear", who=to_plain(first.group(1)))
        return actor, to_plain(text[first.end():]).strip()
    plain = to_plain(text).strip()
    found = resolve.leading_actor(s, region_id, plain)
    if found is None:
        raise Refusal("question_unknown_actor", word=plain.split()[0])
    actor, end = found
    return actor, plain[end:].strip()
