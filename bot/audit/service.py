from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry


def record(session: Session, at: datetime, action: str, *, region_id: int | None = None,
           user_id: str | None = None, subject: str | None = None, **details: Any) -> AuditEntry:
    entry = AuditEntry(region_id=region_id, at=at, user_id=user_id, action=action,
                       subject=subject, details=details or None)
    session.add(entry)
    return entry
