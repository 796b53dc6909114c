"""/healthz and /metrics over real HTTP (the `bot` fixture: the Runtime as `samverkan run`
assembles it, against the emulator), retention, JSON logs and the new settings."""
from __future__ import annotations

import io
import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from bot.audit.models import AuditEntry, ProcessedEvent, SeenTrigger
from bot.config import SettingsError, load_settings
from bot.ops.logs import JsonFormatter
from bot.ops.retention import Retention, RetentionJob, purge
from bot.slack import outbox
from bot.slack.models import FAILED, PENDING, SENT, OutboxMessage


def health(bot) -> tuple[int, dict]:
    r = requests.get(f"{bot.url}/healthz", timeout=5)
    return r.status_code, r.json()


def metrics(bot) -> dict[str, float]:
    """Every sample of /metrics, parsed by prometheus_client's own parser."""
    r = requests.get(f"{bot.url}/metrics", timeout=5)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain; version=")
    out = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
            out[f"{s.name}{{{labels}}}" if labels else s.name] = s.value
    return out


def queue_post(bot, text: str = "Hej") -> int:
    with bot.ctx.tx() as s:
        msg = outbox.post(s, bot.clock.now(), bot.cfg.channel, text)
        s.flush()
        return msg.id


def status_of(bot, msg_id: int) -> str:
    with bot.ctx.sf() as s:
        return s.get(OutboxMessage, msg_id).status


def test_healthy_bot_reports_every_part(bot):
    code, body = health(bot)
    assert code == 200, body
    assert body["ok"] is True and body["degraded"] is False and body["problems"] == []
    assert body["database"] == "ok"
    assert body["outbox"] == {"pending": 0, "failed": 0, "oldest_pending_age_seconds": 0.0}
    assert body["scheduler"] == {"running": False}  # the fixture drives ticks by hand
    assert body["slack"]["unanswered_seconds"] == 0


def test_503_when_slack_stops_answering_longer_than_the_limit_and_200_after(bot, emu):
    limit = bot.rt.health_limits.slack_down_after
    emu.set_down(True)
    msg = queue_post(bot)
    assert emu.wait_for(lambda: bot.rt.watch.failures >= 1, timeout=15)
    assert status_of(bot, msg) == PENDING
    assert health(bot)[0] == 200  # failing, but not for longer than the limit yet
    bot.clock.advance(limit - timedelta(seconds=1))
    assert health(bot)[0] == 200
    bot.clock.advance(timedelta(seconds=2))
    code, body = health(bot)
    assert code == 503
    assert [p for p in body["problems"] if p.startswith("slack: no answer for 121 s (limit 120 s")], body
    assert "chat.postMessage" in body["problems"][0]
    emu.set_down(False)  # Slack is back; the outbox's next try (its back-off has passed) gets through
    assert emu.wait_for(lambda: status_of(bot, msg) == SENT, timeout=15)
    code, body = health(bot)
    assert code == 200 and body["problems"] == [], body


def test_an_idle_bot_asks_slack_and_notices_an_outage(bot, emu):
    from bot.ops.slack_watch import SlackProbe

    bot.rt.scheduler.housekeeping[:] = [j for j in bot.rt.housekeeping_jobs() if isinstance(j, SlackProbe)]
    probes = lambda: len([c for c in emu.calls if c.method == "auth.test"])  # noqa: E731
    start = probes()  # Bolt's own token check at start
    bot.rt.scheduler.tick()
    assert probes() == start  # Slack answered just now: no need to ask
    emu.set_down(True)
    bot.clock.advance(timedelta(seconds=61))
    bot.rt.scheduler.tick()  # a minute without an answer: ask (auth.test), which fails
    assert probes() > start and bot.rt.watch.failures == 1
    bot.clock.advance(timedelta(seconds=121))
    bot.rt.scheduler.tick()
    code, body = health(bot)
    assert code == 503 and "auth.test" in body["problems"][0]
    emu.set_down(False)
    bot.clock.advance(timedelta(seconds=61))
    bot.rt.scheduler.tick()
    assert health(bot)[0] == 200


def test_503_when_a_message_waits_longer_than_the_limit(bot, emu):
    emu.set_down(True)
    queue_post(bot)
    bot.clock.advance(bot.rt.health_limits.outbox_max_age + timedelta(seconds=5))
    code, body = health(bot)
    assert code == 503
    assert "outbox: a message has waited 305 s (limit 300 s)" in body["problems"]
    assert body["outbox"]["pending"] == 1 and body["outbox_pending"] == 1


def test_503_when_the_scheduler_stops_ticking(bot):
    bot.clock.set(datetime.now(timezone.utc))  # APScheduler runs on real time: nothing falls due during the test
    bot.rt.scheduler.start()  # ticks once at start, then every 20 s
    code, body = health(bot)
    assert code == 200 and body["scheduler"]["running"] is True and body["scheduler"]["seconds_since_tick"] == 0
    bot.clock.advance(timedelta(seconds=61))  # three ticks missed
    code, body = health(bot)
    assert code == 503 and "scheduler: last tick 61 s ago (limit 60 s)" in body["problems"]
    bot.rt.scheduler.tick()
    assert health(bot)[0] == 200


def test_not_in_the_conference_channel_is_503_and_refused_posts_leave_it_degraded(bot, emu):
    with emu.state.lock:
        emu.state.channels[bot.cfg.channel]["members"].remove(emu.bot_user_id)
    msg = queue_post(bot, "Kallelse")
    assert emu.wait_for(lambda: status_of(bot, msg) == FAILED)
    code, body = health(bot)
    assert code == 503
    assert ("slack: the bot cannot post in the conference channel C0CONF01 (not_in_channel); invite it to the channel"
            in body["problems"])
    assert body["degraded"] is True and body["warnings"] == [
        "outbox: 1 message(s) refused by Slack for good; see samverkan outbox list"]

    with emu.state.lock:  # the bot is invited: the next post goes through
        emu.state.channels[bot.cfg.channel]["members"].append(emu.bot_user_id)
    later = queue_post(bot, "Påminnelse")
    assert emu.wait_for(lambda: status_of(bot, later) == SENT)
    code, body = health(bot)
    assert code == 200 and body["degraded"] is True and body["outbox"]["failed"] == 1


def test_503_while_slack_refuses_the_token(bot, emu):
    emu.token = "xoxb-rotated"  # the administrator revoked the bot's token
    msg = queue_post(bot)
    assert emu.wait_for(lambda: status_of(bot, msg) == FAILED)
    code, body = health(bot)
    assert code == 503 and "slack: the bot token is refused (chat.postMessage: invalid_auth)" in body["problems"]
    emu.token = bot.rt.bot_token
    later = queue_post(bot)
    assert emu.wait_for(lambda: status_of(bot, later) == SENT)
    assert health(bot)[0] == 200


def test_metrics_parse_and_count_what_happened(bot, emu):
    before = metrics(bot)
    assert before["samverkan_database_up"] == 1
    assert before["samverkan_outbox_pending"] == 0 and before["samverkan_outbox_failed"] == 0
    assert before["samverkan_scheduler_last_tick_timestamp_seconds"] == 0

    r = bot.slack.slash_command("/samverkan", "hjälp", user_id="U0POL001", channel_id=bot.cfg.channel)
    assert r.status_code == 200
    with emu.state.lock:
        emu.state.channels[bot.cfg.channel]["members"].remove(emu.bot_user_id)
    msg = queue_post(bot)
    assert emu.wait_for(lambda: status_of(bot, msg) == FAILED)
    emu.set_down(True)
    waiting = queue_post(bot)
    assert emu.wait_for(lambda: bot.rt.watch.failures >= 1, timeout=15)
    bot.clock.advance(timedelta(seconds=42))
    bot.rt.scheduler.tick()

    seen = metrics(bot)
    assert seen["samverkan_ack_latency_seconds_count{transport=http}"] == 1
    assert 0 < seen["samverkan_ack_latency_seconds_sum{transport=http}"] < 3
    assert seen["samverkan_slack_api_errors_total{error=not_in_channel,method=chat.postMessage}"] == 1
    assert seen["samverkan_slack_api_errors_total{error=service_unavailable,method=chat.postMessage}"] >= 1
    assert seen["samverkan_slack_api_calls_total{method=auth.test}"] >= 1  # Bolt's token check at start
    with bot.ctx.sf() as s:  # the refusal DMs to the koordinators that Slack's outage holds back
        notices = len([r for r in s.scalars(select(OutboxMessage).where(OutboxMessage.status == PENDING))
                       if (r.ref or "").startswith("outbox-notice:")])
    assert seen["samverkan_outbox_pending"] == 1 + notices and seen["samverkan_outbox_failed"] == 1
    assert seen["samverkan_outbox_oldest_pending_age_seconds"] == 42
    assert seen["samverkan_scheduler_last_tick_timestamp_seconds"] == bot.clock.now().timestamp()
    assert status_of(bot, waiting) == PENDING


def test_each_bot_has_its_own_registry(bot):
    from prometheus_client import REGISTRY

    assert bot.rt.metrics.registry is not REGISTRY
    assert REGISTRY.get_sample_value("samverkan_outbox_pending") is None


def test_head_and_unknown_methods(bot):
    assert requests.head(f"{bot.url}/metrics", timeout=5).status_code == 200
    assert requests.post(f"{bot.url}/metrics", timeout=5).status_code == 404


# ---- retention -------------------------------------------------------------------------------
def _rows(bot, now, **ages):
    """Outbox rows and event ids of given ages (days), each kind as asked."""
    with bot.ctx.tx() as s:
        for status, days in ages.get("outbox", []):
            at = now - timedelta(days=days)
            s.add(OutboxMessage(op="post", region_id=bot.ctx.region_id, channel="C0CONF01",
                                payload={"text": f"{status} {days}"}, status=status,
                                not_before=now + timedelta(days=1),  # the running worker leaves it be
                                created_at=at, sent_at=at if status == SENT else None))
        for n, days in enumerate(ages.get("events", [])):
            s.add(ProcessedEvent(event_id=f"Ev{n:04d}", received_at=now - timedelta(days=days)))
        for days in ages.get("audit", []):
            s.add(AuditEntry(at=now - timedelta(days=days), action="test"))
        for n, days in enumerate(ages.get("triggers", [])):
            s.add(SeenTrigger(trigger_id=f"{n}.{n}.test", received_at=now - timedelta(days=days)))


def _count(bot, model, *where) -> int:
    with bot.ctx.sf() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_retention_deletes_old_sent_rows_and_event_ids_in_batches_never_pending_or_failed(bot):
    now = bot.clock.now()
    _rows(bot, now, outbox=[(SENT, 31)] * 5 + [(SENT, 29), (PENDING, 60), (FAILED, 60)],
          events=[8, 8, 8, 6], audit=[400], triggers=[2, 1.5, 0.5])
    done = purge(bot.ctx.sf, now, Retention(), batch=2)
    assert done == {"outbox_sent": 5, "event_ids": 3, "trigger_ids": 2}
    assert _count(bot, SeenTrigger) == 1  # a slash command's trigger id is kept a day
    with bot.ctx.sf() as s:
        left = sorted((m.status, m.payload["text"]) for m in s.scalars(select(OutboxMessage)))
    assert left == [(FAILED, "failed 60"), (PENDING, "pending 60"), (SENT, "sent 29")]
    assert _count(bot, ProcessedEvent) == 1
    assert _count(bot, AuditEntry, AuditEntry.action == "test") == 1  # audit kept unless configured

    assert purge(bot.ctx.sf, now, Retention(audit_days=365)) == {"outbox_sent": 0, "event_ids": 0, "trigger_ids": 0,
                                                                  "audit": 1}
    # trigger ids serve only against replays (five minutes): never kept longer than a day
    assert purge(bot.ctx.sf, now, Retention(sent_days=None, event_ids_days=None)) == {"trigger_ids": 0}


def test_retention_runs_from_the_scheduler_tick_at_most_hourly(bot):
    now = bot.clock.now()
    old = OutboxMessage.created_at < now - timedelta(days=1)
    bot.rt.scheduler.housekeeping.append(RetentionJob(bot.ctx.sf, Retention(sent_days=1)))
    _rows(bot, now, outbox=[(SENT, 2)])
    bot.rt.scheduler.tick()
    assert _count(bot, OutboxMessage, old) == 0
    _rows(bot, now, outbox=[(SENT, 2)])
    bot.clock.advance(timedelta(minutes=30))
    bot.rt.scheduler.tick()
    assert _count(bot, OutboxMessage, old) == 1  # not again within the hour
    bot.clock.advance(timedelta(minutes=31))
    bot.rt.scheduler.tick()
    assert _count(bot, OutboxMessage, old) == 0


# ---- logs and settings ---------------------------------------------------------------------------
def test_json_log_lines_carry_time_level_logger_message_and_traceback_without_tokens():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("samverkan.test.json")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("posting with %s failed", "xoxb-1234-secret")
        try:
            raise RuntimeError("token xapp-1-A0-99 refused")
        except RuntimeError:
            log.exception("boom")
    finally:
        log.removeHandler(handler)
    first, second = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert first["level"] == "WARNING" and first["logger"] == "samverkan.test.json"
    assert first["message"] == "posting with xoxb-*** failed" and "exc_info" not in first
    assert first["time"].endswith("+00:00")
    assert second["message"] == "boom" and "RuntimeError: token xapp-*** refused" in second["exc_info"]
    assert "secret" not in stream.getvalue() and "A0-99" not in stream.getvalue()


def test_new_variables_are_validated_with_one_line_each():
    s = load_settings({})
    assert (s.log_format, s.retention_sent_days, s.retention_event_ids_days, s.retention_audit_days,
            s.health_outbox_max_age, s.health_slack_down_after) == ("text", 30, 7, None, 300, 120)
    s = load_settings({"LOG_FORMAT": "JSON", "SAMVERKAN_RETENTION_SENT_DAYS": "never",
                       "SAMVERKAN_RETENTION_AUDIT_DAYS": "3650", "SAMVERKAN_HEALTH_SLACK_DOWN_AFTER": "30"})
    assert (s.log_format, s.retention_sent_days, s.retention_audit_days, s.health_slack_down_after) == (
        "json", None, 3650, 30)
    with pytest.raises(SettingsError) as e:
        load_settings({"LOG_FORMAT": "yaml", "SAMVERKAN_RETENTION_EVENT_IDS_DAYS": "0",
                       "SAMVERKAN_HEALTH_OUTBOX_MAX_AGE": "5m"})
    assert e.value.problems == [
        "LOG_FORMAT must be one of text, json, got 'yaml'",
        "SAMVERKAN_RETENTION_EVENT_IDS_DAYS must be between 1 and 36500 days (or never), got 0",
        "SAMVERKAN_HEALTH_OUTBOX_MAX_AGE must be a whole number of seconds, got '5m'",
    ]
