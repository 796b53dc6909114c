"""The bot's HTTP front as Slack meets it: signatures, health, event retries."""
from __future__ import annotations

import json
import time

import requests
from sqlalchemy import func, select

from bot.audit.models import ProcessedEvent
from samverkan_emulator import sign_request


def test_healthz(bot):
    r = requests.get(f"{bot.url}/healthz", timeout=5)
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is True and body["database"] == "ok" and body["outbox_pending"] == 0


def test_unknown_path_is_404(bot):
    assert requests.get(f"{bot.url}/nope", timeout=5).status_code == 404


def test_signed_slash_command_is_answered(bot):
    r = bot.slack.slash_command("/samverkan", "hjälp", user_id="U0POL001", channel_id=bot.cfg.channel)
    assert r.status_code == 200
    assert "/lagesbild" in r.json()["text"]


def _command_body() -> bytes:
    return b"command=%2Fsamverkan&text=status&user_id=U0POL001&channel_id=C0CONF01&team_id=T0TEST&trigger_id=t.1"


def test_tampered_signature_is_401_and_changes_nothing(bot):
    ts = str(int(time.time()))
    good = sign_request("test-signing-secret", ts, _command_body())
    tampered_body = _command_body().replace(b"status", b"hjalp1")
    r = bot.slack.raw(tampered_body, "application/x-www-form-urlencoded", timestamp=ts, signature=good)
    assert r.status_code == 401
    r = bot.slack.raw(_command_body(), "application/x-www-form-urlencoded", timestamp=ts,
                      signature="v0=" + "0" * 64)
    assert r.status_code == 401


def test_stale_signature_is_401(bot):
    old = str(int(time.time()) - 301)
    r = bot.slack.raw(_command_body(), "application/x-www-form-urlencoded", timestamp=old,
                      signature=sign_request("test-signing-secret", old, _command_body()))
    assert r.status_code == 401


def test_event_with_bad_signature_is_not_recorded(bot):
    body = json.dumps({"type": "event_callback", "event_id": "Ev0BAD", "team_id": "T0TEST",
                       "event": {"type": "app_home_opened", "user": "U0POL001", "tab": "home"}}).encode()
    ts = str(int(time.time()))
    r = bot.slack.raw(body, "application/json", timestamp=ts, signature="v0=" + "1" * 64)
    assert r.status_code == 401
    with bot.ctx.sf() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedEvent)) == 0


def test_event_retry_is_acknowledged_once(bot):
    event = {"type": "app_home_opened", "user": "U0POL001", "tab": "home"}
    assert bot.slack.event(event, event_id="Ev0001").status_code == 200
    assert bot.slack.event(event, event_id="Ev0001", retry_num=1).status_code == 200
    with bot.ctx.sf() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


def test_app_home_shows_the_week(bot):
    assert bot.slack.event({"type": "app_home_opened", "user": "U0POL001", "tab": "home"},
                           event_id="Ev0HOME").status_code == 200
    assert bot.emu.wait_for(lambda: bot.emu.home("U0POL001"), timeout=5)
    text = str(bot.emu.home("U0POL001")["blocks"])
    assert "Nästa ordinarie konferens: v. 48" in text
