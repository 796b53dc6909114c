"""Tables of the activation capability (aktiverat läge).

The activated conference itself is an ordinary `Conference` row with kind "activated"
(bot/conference/models.py). These tables hold what is particular to an activation: the
requests to activate, the actors called in with their phase, and the avstämningar.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base

# ActivationRequest.status
PENDING = "pending"
ACCEPTING = "accepting"  # a koordinator pressed Aktivera; the activation is being set up
ACCEPTED = "accepted"
DECLINED = "declined"

# Participant.phase
ONGOING = "ongoing"  # pågående
AFTER = "after"  # efterfas

# Avstamning.status
PLANNED = "planned"
REMINDED = "reminded"
REPLACED = "replaced"  # a later /aktivera avstämning set another time
CANCELLED = "cancelled"  # the activation ended first


class ActivationRequest(Base):
    """`/aktivera <anledning>` by a member who is not a koordinator."""

    __tablename__ = "activation_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    requested_by: Mapped[str] = mapped_column(String(32))  # Slack user id
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"))  # the requester's actor
    reason: Mapped[str] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(32))  # where it was typed
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None]
    conference_id: Mapped[int | None] = mapped_column(ForeignKey("conference.id"))
    message_refs: Mapped[list[Any]] = mapped_column(default=list)  # outbox refs of the request messages
    created_at: Mapped[datetime]

    @property
    def ref_prefix(self) -> str:
        return f"activation_request:{self.id}"


class Participant(Base):
    """An actor called in to an activated conference, and its phase of the event."""

    __tablename__ = "activation_participant"
    __table_args__ = (UniqueConstraint("conference_id", "actor_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))
    called_at: Mapped[datetime]  # the latest call-in
    called_by: Mapped[str | None] = mapped_column(String(32))  # who called it in last
    times_called: Mapped[int] = mapped_column(default=1)
    phase: Mapped[str] = mapped_column(String(16), default=ONGOING)
    phase_at: Mapped[datetime | None]
    phase_by: Mapped[str | None] = mapped_column(String(32))


class Avstamning(Base):
    """A check-in time set by a koordinator; the scheduler reminds everyone called in."""

    __tablename__ = "activation_avstamning"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default=PLANNED)
    set_by: Mapped[str] = mapped_column(String(32))
    set_at: Mapped[datetime]
