"""The agenda (dagordning) a leader set for one conference."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base

KINDS = ("information", "diskussion", "överenskommelse")
MAX_POINTS = 10


class AgendaPoint(Base):
    """One point of a conference's own agenda, in order. A conference with no rows
    follows the region file's `agenda:` or the built-in one."""

    __tablename__ = "agenda_point"
    __table_args__ = (UniqueConstraint("conference_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str | None] = mapped_column(Text)
    prepare: Mapped[list[Any]] = mapped_column(JSON, default=list)  # actor ids asked to prepare it
    set_by: Mapped[str] = mapped_column(String(32))
    set_at: Mapped[datetime]
