"""Idempotent commands: a replayed slash command (same trigger id) has no second effect;
a member who asks for an activation again and again is throttled, told when to retry."""
from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import func, select

from bot.audit.models import SeenTrigger

from bot.actions.models import ActionItem
from bot.activation.models import ActivationRequest
from tests.hostile import post


def _count(bot, model) -> int:
    with bot.ctx.sf() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_replayed_slash_command_has_no_second_effect(bot):
    body = urlencode({"command": "/atgard", "text": "polisen Kontrollera larmkedjan", "user_id": "U0LST001",
                      "channel_id": bot.cfg.channel, "team_id": "T0TEST", "trigger_id": "13345224609.738474920.8088930",
                      "response_url": bot.emu.new_response_url()})
    ts = str(int(time.time()))
    first = post(bot, body, timestamp=ts)
    again = post(bot, body, timestamp=ts)  # the same signed request, within Slack's five minutes
    assert first.status_code == 200 and "#1" in first.json()["text"]
    assert again.status_code == 200 and again.text == ""
    bot.drain()
    assert _count(bot, ActionItem) == 1
    # a new invocation (a new trigger id) of the same text is a new command
    assert "#2" in bot.slack.slash_command("/atgard", "polisen Kontrollera larmkedjan", user_id="U0LST001").json()["text"]


def test_a_replayed_question_or_slow_command_answers_nothing_the_second_time(bot):
    for command, text in (("/lagesbild", "status"), ("/samverkan", "sammanfattning")):
        body = urlencode({"command": command, "text": text, "user_id": "U0LST001", "channel_id": bot.cfg.channel,
                          "team_id": "T0TEST", "trigger_id": f"1334.{command[1:]}.77",
                          "response_url": bot.emu.new_response_url()})
        ts = str(int(time.time()))
        first = post(bot, body, timestamp=ts)
        bot.drain()
        again = post(bot, body, timestamp=ts)
        assert first.status_code == 200, command
        assert again.status_code == 200 and again.text == "", command
        bot.drain()
    with bot.ctx.sf() as s:
        assert s.scalar(select(func.count()).select_from(SeenTrigger)) == 2


def _koordinator_dms(bot) -> int:
    koordinators = [m.user for m in bot.cfg.members if "koordinator" in m.roles]
    return sum(len(bot.emu.dms(u)) for u in koordinators)


def test_activation_requests_are_throttled_per_member(bot):
    def aktivera(reason: str) -> str:
        r = bot.slack.slash_command("/aktivera", reason, user_id="U0POL001", channel_id=bot.cfg.channel)
        assert r.status_code == 200
        bot.drain()
        return r.json()["text"]

    aktivera("Stort larm i city")
    dms = _koordinator_dms(bot)
    assert _count(bot, ActivationRequest) == 1 and dms > 0
    for _ in range(4):
        answer = aktivera("Stort larm i city, igen")
        assert "Försök igen kl. 08.10" in answer, answer  # the fixture's clock: 08.00 local, 10 minutes
    assert _count(bot, ActivationRequest) == 1 and _koordinator_dms(bot) == dms
    # another member is not held back by the first one's throttle
    r = bot.slack.slash_command("/aktivera", "Brand i hamnen", user_id="U0TRV001", channel_id=bot.cfg.channel)
    assert r.status_code == 200
    bot.clock.set(bot.ctx.now() + timedelta(minutes=11))
    assert "Försök igen" not in aktivera("Stort larm i city, tredje gången")


def test_throttle_counts_per_region_user_and_kind(engine, region_cfg):
    from datetime import datetime, timezone

    import pytest

    from bot.reply import Refusal
    from bot.throttle import take
    from tests.helpers import make_ctx

    now = datetime(2026, 11, 26, 8, 0, tzinfo=timezone.utc)
    ctx = make_ctx(engine, region_cfg, now)
    with ctx.tx() as s:
        for _ in range(5):
            take(s, ctx.region_id, "U1", "question", now)
        with pytest.raises(Refusal) as refused:
            take(s, ctx.region_id, "U1", "question", now + timedelta(minutes=1))
        assert refused.value.key == "throttled" and refused.value.values["at"] == now + timedelta(minutes=10)
        take(s, ctx.region_id, "U2", "question", now)  # another member
        take(s, ctx.region_id, "U1", "activation_request", now)  # another kind
        take(s, ctx.region_id, "U1", "question", now + timedelta(minutes=10))  # the window has passed


def test_a_write_that_fails_leaves_the_trigger_id_to_the_commands_retry(bot):
    """A command's write that is rolled back (a collision its flow retries) does not take
    the trigger id with it: the retry stores it, so a replay is still caught."""
    from sqlalchemy.exc import IntegrityError

    from bot.audit import replay

    def collides(s, group):
        raise IntegrityError("insert", {}, Exception("collision"))

    replay.expect("4242.1.1", bot.ctx.now())
    try:
        try:
            bot.ctx.write(collides)
        except IntegrityError:
            pass
        bot.ctx.write(lambda s, group: None)  # the retry
    finally:
        replay.take()
    with bot.ctx.sf() as s:
        assert s.get(SeenTrigger, "4242.1.1") is not None
