"""An action item its owning actor declined (Avböj), with the reason."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base

DECLINED = "declined"  # ActionItem.status of a declined item


class Decline(Base):
    __tablename__ = "action_decline"
    item_id: Mapped[int] = mapped_column(ForeignKey("action_item.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
