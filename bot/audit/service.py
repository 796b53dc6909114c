from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry


def record(session: Session, at: datetime, action: str, *, region_id: int | None = None,
           user_id: str | None = None, subject: str | None = None, **details: Any) -> None:
    """Appends an audit entry in the session's transaction (a plain insert: no object to
    track, it is on the path of every report and button press)."""
    session.connection().execute(_INSERT, {"region_id": region_id, "at": at, "user_id": user_id, "action": action,
                                           "subject": subject, "details": details or None})


_INSERT = insert(AuditEntry)
