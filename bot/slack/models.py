"""The outbox (what the bot must post, stored before it is posted) and posted messages."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base

PENDING = "pending"
SENT = "sent"
FAILED = "failed"  # Slack refused it for good (e.g. channel_not_found); kept for the operator


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_region_id_status_id", "region_id", "status", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # Every row belongs to one region: a worker only takes its own region's rows, so two
    # processes with different region files on one database never post each other's rows.
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    op: Mapped[str] = mapped_column(String(16))  # post | update | upload
    channel: Mapped[str] = mapped_column(String(32), index=True)  # C… channel or U… user (DM)
    ref: Mapped[str | None] = mapped_column(String(120), index=True)  # names the resulting message
    thread_ref: Mapped[str | None] = mapped_column(String(120))  # post into this message's thread
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    # Set (wall clock) just before a post leaves for Slack, cleared when Slack's answer is
    # known. Still set when a worker claims the row: the last attempt's outcome is unknown
    # (the process died, or the connection broke after sending), so the message is looked
    # up in its channel or thread before it is posted again.
    sending_since: Mapped[datetime | None]
    ts: Mapped[str | None] = mapped_column(String(32))  # where the post landed
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # An edit caused by a button press: the press's response_url (Slack replaces the message
    # the button is in through it, without a Web API call) and until when it may be used
    # (wall clock; Slack's limit is 30 minutes and 5 uses). Cleared once the edit is sent.
    response_url: Mapped[str | None] = mapped_column(Text)
    response_url_until: Mapped[datetime | None]


class SlackMessage(Base):
    """Where a referenced message landed in Slack, so it can be edited or replied to."""

    __tablename__ = "slack_message"
    ref: Mapped[str] = mapped_column(String(120), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime]
