"""Ärenden in plain Python over the database (no Slack here)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.models import NEXT, OPEN_STATUSES, RAISED, Case, CaseStep

MAX_COMMENT = 2500


class StepError(Exception):
    """A move that is not possible now: `key` names the refusal; `status` is the case's."""

    def __init__(self, key: str, status: str):
        super().__init__(key)
        self.key, self.status = key, status


def create(s: Session, region_id: int, *, conference_id: int | None, action_item_id: int | None, actor_id: int,
           raised_by: str, text: str, destination: str, now: datetime) -> Case:
    row = Case(region_id=region_id, conference_id=conference_id, action_item_id=action_item_id, actor_id=actor_id,
               raised_by=raised_by, text=text, destination=destination, status=RAISED, created_at=now,
               updated_at=now)
    s.add(row)
    s.flush()
    return row


def listed(s: Session, region_id: int, *, include_closed: bool = False) -> list[Case]:
    q = select(Case).where(Case.region_id == region_id)
    if not include_closed:
        q = q.where(Case.status.in_(OPEN_STATUSES))
    return list(s.scalars(q.order_by(Case.id)))


def for_conferences(s: Session, conference_ids: list[int]) -> list[Case]:
    if not conference_ids:
        return []
    return list(s.scalars(select(Case).where(Case.conference_id.in_(conference_ids)).order_by(Case.id)))


def steps_of(s: Session, case_ids: list[int]) -> dict[int, list[CaseStep]]:
    out: dict[int, list[CaseStep]] = {i: [] for i in case_ids}
    if case_ids:
        for step in s.scalars(select(CaseStep).where(CaseStep.case_id.in_(case_ids)).order_by(CaseStep.id)):
            out[step.case_id].append(step)
    return out


def check_move(case: Case, to: str, expected_from: str) -> None:
    """Refuses a move from a state the case is no longer in, or one the steps do not allow."""
    if case.status != expected_from:
        raise StepError("case_moved_already", case.status)
    if to not in NEXT.get(case.status, ()):
        raise StepError("case_bad_step", case.status)


def move(s: Session, case: Case, to: str, expected_from: str, comment: str, user_id: str, now: datetime) -> CaseStep:
    """One step, compare-and-set on the status the koordinator saw."""
    check_move(case, to, expected_from)
    step = CaseStep(case_id=case.id, from_status=case.status, to_status=to, comment=comment, user_id=user_id, at=now)
    s.add(step)
    case.status, case.owner, case.updated_at = to, user_id, now
    s.flush()
    return step
