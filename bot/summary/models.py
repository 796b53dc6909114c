"""Tables of the summary capability: each posting of a samlad lägesbild."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class Summary(Base):
    """One posting of a conference's samlad lägesbild: number 1 at close, 2, 3 … when a
    koordinator posts it again. The messages are named `page_ref(0)`, `page_ref(1)` …"""

    __tablename__ = "summary"
    __table_args__ = (UniqueConstraint("conference_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    number: Mapped[int]
    pages: Mapped[int] = mapped_column(default=1)  # Slack messages it took
    posted_at: Mapped[datetime]
    posted_by: Mapped[str | None] = mapped_column(String(32))  # None: the bot, at close

    def page_ref(self, page: int) -> str:
        return f"summary:{self.id}:{page}"
