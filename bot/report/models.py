"""Lägesbilder: one report per actor and conference, every version kept."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base
from bot.region.models import Actor


class Report(Base):
    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("conference_id", "actor_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))
    version: Mapped[int] = mapped_column(default=0)  # number of the current version
    nothing_new: Mapped[bool] = mapped_column(default=False)
    needs_coordination: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    versions: Mapped[list["ReportVersion"]] = relationship(
        order_by="ReportVersion.version", lazy="selectin", back_populates="report"
    )
    actor: Mapped[Actor] = relationship(lazy="joined")

    @property
    def ref(self) -> str:
        return f"report:{self.id}"

    @property
    def current(self) -> "ReportVersion":
        return self.versions[-1]


class ReportVersion(Base):
    __tablename__ = "report_version"
    __table_args__ = (UniqueConstraint("report_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    version: Mapped[int]
    fields: Mapped[dict[str, Any]]  # field name -> text (see bot.report.fields)
    status: Mapped[str | None] = mapped_column(String(16))  # normal | påverkad | allvarlig
    nothing_new: Mapped[bool] = mapped_column(default=False)
    submitted_by: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[datetime]
    report: Mapped[Report] = relationship(back_populates="versions")
