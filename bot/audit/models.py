"""Audit log, processed Slack event ids and trigger ids, throttle hits."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[str | None] = mapped_column(String(32))  # None: the bot itself
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(120))
    details: Mapped[dict[str, Any] | None]


class ProcessedEvent(Base):
    """Events API deliveries already handled (Slack retries them with X-Slack-Retry-Num)."""

    __tablename__ = "processed_event"
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime]


class SeenTrigger(Base):
    """Slash commands already handled, by their trigger id (unique per invocation): the
    same signed request sent again within Slack's five minutes has no second effect."""

    __tablename__ = "seen_trigger"
    trigger_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)


class ThrottleHit(Base):
    """One use of a throttled command (bot.throttle) by a member of a region."""

    __tablename__ = "throttle_hit"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]

    __table_args__ = (Index("ix_throttle_hit_key", "region_id", "user_id", "kind", "at"),)
