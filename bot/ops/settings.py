"""The operations settings of `samverkan run`, from the environment's Settings."""
from __future__ import annotations

from datetime import timedelta

from bot.config.env import Settings
from bot.ops.health import HealthLimits
from bot.ops.retention import Retention


def health_limits(settings: Settings) -> HealthLimits:
    return HealthLimits(outbox_max_age=timedelta(seconds=settings.health_outbox_max_age),
                        slack_down_after=timedelta(seconds=settings.health_slack_down_after))


def retention(settings: Settings) -> Retention:
    return Retention(sent_days=settings.retention_sent_days, event_ids_days=settings.retention_event_ids_days,
                     audit_days=settings.retention_audit_days)
