"""Målkonflikter and dependencies between actors, open until a koordinator marks them resolved."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class Conflict(Base):
    __tablename__ = "conflict"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    conference_id: Mapped[int | None] = mapped_column(ForeignKey("conference.id"))
    actor_ids: Mapped[list[Any]]  # the actors concerned, in the order typed
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(32))

    @property
    def ref(self) -> str:
        return f"conflict:{self.id}"
