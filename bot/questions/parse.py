"""`/samverkan fråga <aktör> <text>`: the actor at the start (id, name, or @member) and
the question. (Private resolver until the shared actor resolution lands.)"""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bot.commands import fold
from bot.region.models import Actor
from bot.region.service import active_actors, memberships
from bot.reply import Refusal
from bot.slack.text import to_plain

_MENTION = re.compile(r"\s*<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
MAX_NAME_WORDS = 8


def split_actor(s: Session, region_id: int, text: str) -> tuple[Actor, str]:
    """`text` as Slack sent it (escaped). Returns the actor and the plain rest."""
    m = _MENTION.match(text or "")
    if m:
        mine = memberships(s, region_id, m.group(1))
        if len({x.actor_id for x in mine}) != 1:
            raise Refusal("question_member_unclear", who="@" + (m.group(2) or m.group(1)))
        return s.get(Actor, mine[0].actor_id), to_plain(text[m.end():]).strip()
    plain = to_plain(text or "").strip()
    words = list(re.finditer(r"\S+", plain))
    if not words:
        raise Refusal("question_usage")
    index: dict[str, Actor] = {}
    for a in active_actors(s, region_id):
        index.setdefault(fold(a.key), a)
        index.setdefault(fold(a.name), a)
    for n in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        actor = index.get(fold(" ".join(w.group() for w in words[:n])))
        if actor is not None:
            return actor, plain[words[n - 1].end():].strip()
    raise Refusal("question_unknown_actor", word=words[0].group())
