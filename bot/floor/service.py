"""Speaking order state (filled in by the talarordning capability)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Participation:
    reported: list[int] = field(default_factory=list)  # actor ids with a report (incl. "inget nytt")
    spoke: list[int] = field(default_factory=list)  # actor ids that had the floor
    passed: list[int] = field(default_factory=list)  # skipped ("Hoppa över")
    absent: list[int] = field(default_factory=list)  # neither reported nor spoke


def participation(s: Session, conference_id: int) -> Participation:
    return Participation()
