"""What `samverkan export` shows of the time after each conference: its snabbutvärderingar,
the lessons tied to it, the ärenden raised at it (status and steps) and the målkonflikter
recorded at it; and the display names of everyone the document names (never a user id)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable

from sqlalchemy.orm import Session

from bot.cases import service as cases
from bot.cases.models import Case, CaseStep
from bot.conflicts import service as conflicts
from bot.conflicts.models import Conflict
from bot.evaluation import service as evaluations
from bot.evaluation.models import Evaluation
from bot.lessons import service as lessons
from bot.lessons.models import Lesson
from bot.people import service as people
from bot.region.models import Actor


@dataclass
class CaseExport:
    case: Case
    actor_name: str
    steps: list[CaseStep]


@dataclass
class ConflictExport:
    conflict: Conflict
    actor_names: list[str]


@dataclass
class AfterExport:
    evaluations: list[Evaluation] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    cases: list[CaseExport] = field(default_factory=list)
    conflicts: list[ConflictExport] = field(default_factory=list)

    def user_ids(self) -> set[str]:
        ids = {e.user_id for e in self.evaluations} | {lesson.user_id for lesson in self.lessons}
        for c in self.cases:
            ids |= {c.case.raised_by, *(s.user_id for s in c.steps)}
        for c in self.conflicts:
            ids |= {c.conflict.created_by, c.conflict.resolved_by or ""}
        return {i for i in ids if i}


def collect(s: Session, conference_ids: list[int]) -> dict[int, AfterExport]:
    """Per conference id, in a handful of queries for all of them."""
    out: dict[int, AfterExport] = defaultdict(AfterExport)
    for e in evaluations.for_conferences(s, conference_ids):
        out[e.conference_id].evaluations.append(e)
    for lesson in lessons.for_conferences(s, conference_ids):
        out[lesson.conference_id].lessons.append(lesson)
    found = cases.for_conferences(s, conference_ids)
    steps = cases.steps_of(s, [c.id for c in found])
    for c in found:
        out[c.conference_id].cases.append(CaseExport(c, s.get(Actor, c.actor_id).name, steps[c.id]))
    for c in conflicts.for_conferences(s, conference_ids):
        out[c.conference_id].conflicts.append(ConflictExport(c, conflicts.actor_names(s, c)))
    return {i: out[i] for i in conference_ids}


def namer(s: Session, user_ids: Iterable[str], now: datetime, lookup: people.Lookup | None,
          unknown_note: str) -> Callable[[str | None], str]:
    """`who(user_id)`: the person's display name; the id with a note when Slack cannot say."""
    names = people.names(s, user_ids, now, lookup)

    def who(user_id: str | None) -> str:
        if not user_id:
            return ""
        known = names.get(user_id)
        return known.name if known is not None and known.name else f"{user_id} {unknown_note}"

    return who
