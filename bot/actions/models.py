"""Action items (åtgärdspunkter) owned by actors, and their acknowledgements."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base

OPEN = "open"
DONE = "done"


class ActionItem(Base):
    __tablename__ = "action_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    conference_id: Mapped[int | None] = mapped_column(ForeignKey("conference.id"))
    owner_actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))
    text: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)  # open | done
    raised: Mapped[bool] = mapped_column(default=False)  # lyft till samordningsgruppen
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(32))
    acknowledgements: Mapped[list["Acknowledgement"]] = relationship(
        order_by="Acknowledgement.at", lazy="selectin", back_populates="item"
    )

    @property
    def ref(self) -> str:
        return item_ref(self.id)


def item_ref(item_id: int) -> str:
    """The outbox ref of an item's message in the thread."""
    return f"action:{item_id}"


class Acknowledgement(Base):
    __tablename__ = "acknowledgement"
    __table_args__ = (UniqueConstraint("item_id", "actor_id"),)  # one acknowledgement per actor
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("action_item.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    item: Mapped[ActionItem] = relationship(back_populates="acknowledgements")
