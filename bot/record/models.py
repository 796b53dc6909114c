"""The conference's record (protokoll): notes, and key trade-offs with each actor's
acknowledgement (Uppfattat)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base


class Note(Base):
    """A note for the record: typed with `/samverkan notera`, or a message of the thread
    taken with the shortcut *Till protokollet* (then `message_ts` names it, once)."""

    __tablename__ = "record_note"
    __table_args__ = (UniqueConstraint("conference_id", "message_ts"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(32))  # who wrote it (the message's author)
    noted_by: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]


class TradeOff(Base):
    """A key trade-off (avvägning) the leader repeated so that it is clear to all."""

    __tablename__ = "trade_off"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    posted_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    acks: Mapped[list["TradeOffAck"]] = relationship(order_by="TradeOffAck.at", lazy="selectin",
                                                     back_populates="trade_off")

    @property
    def ref(self) -> str:
        return f"tradeoff:{self.id}"


class TradeOffAck(Base):
    __tablename__ = "trade_off_ack"
    __table_args__ = (UniqueConstraint("trade_off_id", "actor_id"),)  # once per actor
    id: Mapped[int] = mapped_column(primary_key=True)
    trade_off_id: Mapped[int] = mapped_column(ForeignKey("trade_off.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    trade_off: Mapped[TradeOff] = relationship(back_populates="acks")
