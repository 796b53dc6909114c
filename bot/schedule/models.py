"""Claims: each scheduled occurrence (region + date + kind) runs once, in one process."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class JobClaim(Base):
    __tablename__ = "job_claim"
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True)
    key_date: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(80), primary_key=True)
    claimed_at: Mapped[datetime]
    claimed_by: Mapped[str] = mapped_column(String(120))  # host:pid
    timing: Mapped[str] = mapped_column(String(16))  # on_time | late | missed
