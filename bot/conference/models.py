"""Conferences: the weekly ordinary one and activated ones."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base

ORDINARY = "ordinary"
ACTIVATED = "activated"

# status values
SCHEDULED = "scheduled"  # kallelse posted, not opened yet
OPEN = "open"
CLOSED = "closed"
MISSED = "missed"  # the bot was down past grace_minutes
SKIPPED = "skipped"  # holiday policy "skip"


class Conference(Base):
    __tablename__ = "conference"
    __table_args__ = (
        UniqueConstraint("region_id", "kind", "year", "number"),
        # one ordinary conference per ISO week; NULL for activated ones
        UniqueConstraint("region_id", "week_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    kind: Mapped[str] = mapped_column(String(16))  # ordinary | activated
    year: Mapped[int]
    number: Mapped[int]  # ordinary: the ISO week; activated: running number within the year
    iso_year: Mapped[int]
    iso_week: Mapped[int]
    week_key: Mapped[str | None] = mapped_column(String(10))  # "2026-W48" for ordinary ones
    status: Mapped[str] = mapped_column(String(16), default=SCHEDULED)
    held_on: Mapped[str | None] = mapped_column(String(10))  # local date, ISO format
    scheduled_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    late_minutes: Mapped[int] = mapped_column(default=0)
    channel: Mapped[str] = mapped_column(String(32))
    root_ts: Mapped[str | None] = mapped_column(String(32))  # the opening message's ts
    holiday: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text)  # activation reason
    activated_by: Mapped[str | None] = mapped_column(String(32))
    closing_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]

    @property
    def ref(self) -> str:
        """Outbox reference of the conference's root message (its thread)."""
        return f"conference:{self.id}"
