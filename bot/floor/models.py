"""Tables of the floor capability."""
from __future__ import annotations

from bot.db.base import Base  # noqa: F401
