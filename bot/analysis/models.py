"""The leader's joint analysis of one conference: it leads the samlad lägesbild."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class Analysis(Base):
    __tablename__ = "analysis"
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), primary_key=True)
    analysis: Mapped[str | None] = mapped_column(Text)  # Gemensam analys
    agreed: Mapped[str | None] = mapped_column(Text)  # Överenskommet (målbild, åtgärdsplan)
    next_steps: Mapped[str | None] = mapped_column(Text)  # Nästa steg
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime]

    @property
    def empty(self) -> bool:
        return not (self.analysis or self.agreed or self.next_steps)
