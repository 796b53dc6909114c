"""Which actor a person means by what they typed: its id (`polisen`), its name in any
case and with or without å/ä/ö (`Lansstyrelsen Stockholm`), or a member (`<@U…>` as
Slack sends a mention, or a bare user id). The one place every command resolves actors."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy.orm import Session

from bot.region.models import Actor
from bot.region.service import memberships, region_view

MAX_NAME_WORDS = 8
_MEMBER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|@?([UW][A-Z0-9]{6,})")
_WORD = re.compile(r"\S+")


def fold(text: str) -> str:
    """As compared: case-folded, accents dropped, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


_indexes: dict[int, tuple[tuple, dict]] = {}  # id of a region view's actors -> (those actors, their index)


def _index(s: Session, region_id: int) -> dict[str, Actor]:
    """Folded id and name -> actor, built once per view of the region (folding every
    actor's name on every /atgard cost more than the rest of the command)."""
    actors = region_view(s, region_id).actors
    known = _indexes.get(id(actors))
    if known is not None and known[0] is actors:
        return known[1]
    index: dict[str, Actor] = {}
    for a in actors:
        index.setdefault(fold(a.key), a)
        index.setdefault(fold(a.name), a)
    if len(_indexes) > 16:
        _indexes.clear()
    _indexes[id(actors)] = (actors, index)
    return index


def member_actor(s: Session, region_id: int, user_id: str) -> Actor | None:
    """A member's actor (the first in the region file)."""
    ms = memberships(s, region_id, user_id)
    return s.get(Actor, ms[0].actor_id) if ms else None


def actor(s: Session, region_id: int, text: str) -> Actor | None:
    """The actor the whole text names, or None."""
    q = text.strip()
    m = _MEMBER.fullmatch(q)
    if m:
        found = member_actor(s, region_id, m.group(1) or m.group(2))
        if found is not None:
            return found
    return _index(s, region_id).get(fold(q))


def leading_actor(s: Session, region_id: int, text: str) -> tuple[Actor, int] | None:
    """The actor named by the first words of `text` (the longest name that matches) and
    where the rest of the text begins; None if none matches."""
    words = list(_WORD.finditer(text))[:MAX_NAME_WORDS]
    index = _index(s, region_id)
    # folding is word by word (case, accents, whitespace): each word once, not each prefix
    folded = [fold(w.group()) for w in words]
    for n in range(len(words), 0, -1):
        found = index.get(" ".join(f for f in folded[:n] if f))
        if found is not None:
            return found, words[n - 1].end()
    return None
