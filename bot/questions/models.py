"""Questions between actors (fråga, svara), also between conferences."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class Question(Base):
    __tablename__ = "question"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    conference_id: Mapped[int | None] = mapped_column(ForeignKey("conference.id"))  # open when asked
    asker: Mapped[str] = mapped_column(String(32))
    asker_actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"))
    to_actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(32))
    answered_at: Mapped[datetime | None]

    def dm_ref(self, user: str) -> str:
        return f"question:{self.id}:{user}"
