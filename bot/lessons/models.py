"""Erfarenhetsloggen: the region's lessons, each tied to the latest conference when it was written."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class Lesson(Base):
    __tablename__ = "lesson"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    conference_id: Mapped[int | None] = mapped_column(ForeignKey("conference.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"))  # the writer's actor
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(index=True)
