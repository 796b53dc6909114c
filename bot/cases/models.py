"""Ärenden: points raised (`/atgard lyft`) to a body that decides on them, followed step by step.

status: lyft -> behandlas -> beslutat -> aterkopplat, or avslutat from any open step.
`aterkopplat` and `avslutat` are closed. Every step is kept with its comment.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base

RAISED, HANDLING, DECIDED, FED_BACK, CLOSED = "lyft", "behandlas", "beslutat", "aterkopplat", "avslutat"
STATUSES = (RAISED, HANDLING, DECIDED, FED_BACK, CLOSED)
OPEN_STATUSES = (RAISED, HANDLING, DECIDED)
NEXT = {RAISED: (HANDLING, CLOSED), HANDLING: (DECIDED, CLOSED), DECIDED: (FED_BACK, CLOSED)}


class Case(Base):
    __tablename__ = "arende"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    conference_id: Mapped[int | None] = mapped_column(ForeignKey("conference.id"))
    action_item_id: Mapped[int | None] = mapped_column(ForeignKey("action_item.id"), unique=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))  # the actor that raised it
    raised_by: Mapped[str] = mapped_column(String(32))  # Slack user id: told of every step
    text: Mapped[str] = mapped_column(Text)
    destination: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str | None] = mapped_column(String(32))  # the koordinator who moved it last
    status: Mapped[str] = mapped_column(String(16), default=RAISED, index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseStep(Base):
    __tablename__ = "arende_step"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("arende.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
