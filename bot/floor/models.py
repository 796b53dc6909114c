"""Tables of the floor capability: each conference's speaking order and live state, and
the stored rotation offsets of a region's categories."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class Floor(Base):
    """The speaking order of one conference and where the floor is now.

    `state` holds the queue (see bot.floor.state). Every change is a compare-and-set on
    `version`; `turn` counts the moves of the floor (Nästa / Hoppa över), and a button
    carries the turn it was pressed on, so two presses of one button move the floor once.
    """

    __tablename__ = "floor"
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    turn: Mapped[int] = mapped_column(default=0)
    state: Mapped[dict[str, Any]]
    offsets: Mapped[dict[str, Any]]  # category -> rotation offset used for this conference
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def ref(self) -> str:
        """Outbox reference of the live headline in the conference thread."""
        return f"floor:{self.conference_id}"


class FloorRotation(Base):
    """Per region and category: how many ordinary conferences have rotated its order.
    The start of the category is this counter modulo the number of its actors."""

    __tablename__ = "floor_rotation"
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    offset: Mapped[int] = mapped_column(default=0)
    last_conference_id: Mapped[int | None] = mapped_column(ForeignKey("conference.id"))
