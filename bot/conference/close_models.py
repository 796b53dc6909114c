"""Close control of an open conference: when it closes, whether the leader was warned,
and how it was extended or closed early."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class CloseControl(Base):
    """Present once a conference's close was moved (`förläng`) or its warning posted.
    Without a row an ordinary conference closes at its scheduled time."""

    __tablename__ = "close_control"
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), primary_key=True)
    closes_at: Mapped[datetime]
    extended_minutes: Mapped[int] = mapped_column(default=0)
    extended_by: Mapped[str | None] = mapped_column(String(32))
    warned_for: Mapped[datetime | None]  # the closing time the last warning was about
    closed_by: Mapped[str | None] = mapped_column(String(32))  # `avsluta` / Avsluta nu

    def warning_ref(self, closes_at: datetime) -> str:
        """The warning about one closing time (a new one after each extension)."""
        return f"closewarn:{self.conference_id}:{int(closes_at.timestamp())}"
