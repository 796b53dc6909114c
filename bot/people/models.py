"""Display names of Slack users, cached (Slack's users.info is asked at most once a day per person)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class Person(Base):
    __tablename__ = "person"
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))  # None: Slack never answered for this id
    fetched_at: Mapped[datetime]  # the latest attempt to ask Slack
