"""Snabbutvärdering: one per person and conference (a second submission replaces the first)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base

SCORES = ("facilitering", "teknik", "upplagg")  # 1–5 each
TEXTS = ("ville", "blev", "lar")  # vad ville vi / vad blev det / vad lär vi oss


class Evaluation(Base):
    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("conference_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    facilitering: Mapped[int]
    teknik: Mapped[int]
    upplagg: Mapped[int]
    ville: Mapped[str | None] = mapped_column(Text)
    blev: Mapped[str | None] = mapped_column(Text)
    lar: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
