"""Retention: posted outbox rows, processed Slack event ids and the trigger ids of slash
commands (kept a day: bot.edge refuses a request signed more than five minutes ago, so an
older one can never be replayed) are deleted after a while;
the audit log is kept unless a retention is set for it. Waiting (pending) and refused
(failed) outbox rows are never deleted: they are work or evidence for an operator.

Deletion runs as scheduler housekeeping (`RetentionJob`, at most once per `every`), in
batches of `batch` rows, each batch its own short transaction, so a big first clean-up
never holds a long lock."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from bot.audit.models import AuditEntry, ProcessedEvent, SeenTrigger
from bot.slack.models import SENT, OutboxMessage

log = logging.getLogger(__name__)
TRIGGER_IDS_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class Retention:
    sent_days: int | None = 30  # None: kept forever
    event_ids_days: int | None = 7
    audit_days: int | None = None


def _purge(sf: sessionmaker, key: Any, where: Any, batch: int, max_batches: int) -> int:
    deleted = 0
    for _ in range(max_batches):
        with sf.begin() as s:
            ids = list(s.scalars(select(key).where(where).order_by(key).limit(batch)))
            if ids:
                s.execute(delete(key.class_).where(key.in_(ids)))
        deleted += len(ids)
        if len(ids) < batch:
            break
    return deleted


def purge(sf: sessionmaker, now: datetime, retention: Retention, *, batch: int = 500,
          max_batches: int = 20) -> dict[str, int]:
    """Deletes what is older than the retention allows; returns how many rows per kind."""
    done: dict[str, int] = {}
    if retention.sent_days is not None:
        cutoff = now - timedelta(days=retention.sent_days)
        done["outbox_sent"] = _purge(sf, OutboxMessage.id, (OutboxMessage.status == SENT)
                                     & (OutboxMessage.sent_at < cutoff), batch, max_batches)
    if retention.event_ids_days is not None:
        cutoff = now - timedelta(days=retention.event_ids_days)
        done["event_ids"] = _purge(sf, ProcessedEvent.event_id, ProcessedEvent.received_at < cutoff,
                                   batch, max_batches)
    done["trigger_ids"] = _purge(sf, SeenTrigger.trigger_id, SeenTrigger.received_at < now - TRIGGER_IDS_KEPT,
                                 batch, max_batches)
    if retention.audit_days is not None:
        cutoff = now - timedelta(days=retention.audit_days)
        done["audit"] = _purge(sf, AuditEntry.id, AuditEntry.at < cutoff, batch, max_batches)
    return done


class RetentionJob:
    """Scheduler housekeeping: `purge` at most once per `every`."""

    def __init__(self, sf: sessionmaker, retention: Retention, every: timedelta = timedelta(hours=1)):
        self.sf, self.retention, self.every = sf, retention, every
        self._last: datetime | None = None

    def __call__(self, now: datetime) -> None:
        if self._last is not None and now - self._last < self.every:
            return
        self._last = now
        done = purge(self.sf, now, self.retention)
        if any(done.values()):
            log.info("retention: deleted %s", ", ".join(f"{n} {kind}" for kind, n in done.items() if n))
