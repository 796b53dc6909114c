"""Tables of the summary capability."""
from __future__ import annotations

from bot.db.base import Base  # noqa: F401
