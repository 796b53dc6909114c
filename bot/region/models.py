"""Region, actors (organisations) and their members with roles."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base
from bot.region import roles

ROLES = roles.ALL


class Region(Base):
    __tablename__ = "region"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    # first seen: scheduled occurrences before this are not "missed", the bot did not exist yet
    created_at: Mapped[datetime]


class Actor(Base):
    __tablename__ = "actor"
    __table_args__ = (UniqueConstraint("region_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    key: Mapped[str] = mapped_column(String(64))  # the id in the region file, e.g. "polisen"
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)  # removed from the file: kept for history
    position: Mapped[int] = mapped_column(default=0)  # order in the region file


class Member(Base):
    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("actor_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))
    user_id: Mapped[str] = mapped_column(String(32), index=True)  # Slack user id
    active: Mapped[bool] = mapped_column(default=True)
    actor: Mapped[Actor] = relationship(lazy="joined")
    roles: Mapped[list["MemberRole"]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", back_populates="member"
    )

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)


class MemberRole(Base):
    __tablename__ = "member_role"
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    member: Mapped[Member] = relationship(back_populates="roles")
