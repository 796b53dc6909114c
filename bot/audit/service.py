from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry
from bot.db.writer import insert_later


def record(session: Session, at: datetime, action: str, *, region_id: int | None = None,
           user_id: str | None = None, subject: str | None = None, **details: Any) -> None:
    """Appends an audit entry in the session's transaction (a plain row, no object to
    track: it is on the path of every report and button press; in a group of writes, one
    INSERT takes the whole group's entries)."""
    insert_later(session, AuditEntry.__table__, {"region_id": region_id, "at": at, "user_id": user_id,
                                                 "action": action, "subject": subject, "details": details or None})
