"""Nothing refused silently, nothing split where Slack would refuse it: refusals are kept,
counted and DM'd to the koordinators once; the start-up check of the conference channel;
the placeholder case; `samverkan outbox`; the emulator validates as slack_sdk does."""
from __future__ import annotations

import requests

import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from bot.slack import blocks as bk
from bot.slack import outbox
from bot.slack.models import FAILED, PENDING, SENT, OutboxMessage
from samverkan_emulator import SlackEmulator
from tests.conftest import BOT_TOKEN, REGION_FILE
from tests.helpers import text_of
from tests.test_summary_support import at, atgard, open_conference

KOORDINATORS = ("U0LST001", "U0LST002")


def _rows(bot, **where) -> list[OutboxMessage]:
    with bot.ctx.sf() as s:
        q = select(OutboxMessage).order_by(OutboxMessage.id)
        for k, v in where.items():
            q = q.where(getattr(OutboxMessage, k) == v)
        return list(s.scalars(q))


def _figures(bot) -> dict:
    with bot.ctx.sf() as s:
        return outbox.outbox_figures(s, bot.ctx.region_id)


def test_refused_for_good_is_kept_counted_and_told_once_to_the_koordinators(bot):
    channel = bot.cfg.channel
    # the start-up check (its own thread) has asked Slack while the bot was still a member:
    # otherwise it too would see "not a member" and DM the koordinators
    assert bot.emu.wait_for(lambda: any(c.method == "conversations.info" for c in bot.emu.calls))
    bot.emu.set_bot_member(channel, False)
    with bot.ctx.tx() as s:
        for i in range(3):
            outbox.post(s, bot.ctx.now(), channel, f"meddelande {i}")
    bot.drain()
    failed = _rows(bot, status=FAILED)
    assert [r.last_error for r in failed] == ["not_in_channel"] * 3
    assert _figures(bot) == {"pending": 0, "failed": 3, "oldest_pending_age_seconds": 0.0}
    for user in KOORDINATORS:  # one DM each, naming what failed and what to do; not to the channel
        dms = bot.emu.dms(user)
        assert len(dms) == 1, dms
        text = text_of(dms[0])
        assert "not_in_channel" in text and f"<#{channel}>" in text and "/invite @samverkan" in text
        assert "samverkan outbox retry --failed" in text
    assert bot.emu.messages(channel) == []
    bot.emu.set_bot_member(channel, True)  # invited; the operator retries
    with bot.ctx.tx() as s:
        assert outbox.retry(s, bot.ctx.region_id, bot.ctx.now()) == [r.id for r in failed]
    bot.drain()
    assert [m["text"] for m in bot.emu.messages(channel)] == [f"meddelande {i}" for i in range(3)]
    assert _figures(bot)["failed"] == 0


def test_start_up_check_warns_and_dms_the_koordinators_once(bot):
    channel = bot.cfg.channel
    assert bot.rt.worker.check_channel(channel) is None and not bot.rt.worker.warnings
    bot.emu.set_bot_member(channel, False)
    assert bot.rt.worker.check_channel(channel) == "not_in_channel"
    assert bot.rt.worker.check_channel(channel) == "not_in_channel"  # a second start the same day
    assert bot.rt.worker.warnings == {"conference_channel": "not_in_channel"}
    bot.drain()
    for user in KOORDINATORS:
        dms = bot.emu.dms(user)
        assert len(dms) == 1 and "/invite @samverkan" in text_of(dms[0])
    assert "conversations.info" in [c.method for c in bot.emu.calls]
    health = requests.get(f"{bot.url}/healthz", timeout=5)
    assert health.status_code == 200 and health.json()["degraded"] is True  # starts, but says why
    assert any("not a member of the conference channel" in w for w in health.json()["warnings"])


def test_a_payload_slack_would_refuse_is_not_sent_and_is_shown(bot):
    bad = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}},
           {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "k" * 80},
                                             "action_id": "a"}]}]
    with bot.ctx.tx() as s:
        outbox.post(s, bot.ctx.now(), bot.cfg.channel, "ogiltig", bad)
    bot.drain()
    row = _rows(bot, status=FAILED)[0]
    assert row.last_error.startswith("invalid_blocks (checked before sending")
    assert not [c for c in bot.emu.calls if c.method == "chat.postMessage" and c.args.get("text") == "ogiltig"]
    assert len(bot.emu.dms("U0LST001")) == 1


@pytest.mark.parametrize("blocks, error", [
    ([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}], "invalid_blocks"),
    ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "invalid_blocks"),
    ([{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "k" * 76},
                                        "action_id": "a"}]}], "invalid_blocks"),
    ([{"type": "section", "text": {"type": "mrkdwn", "text": ""}}], "invalid_blocks"),
    ([{"type": "image", "image_url": "https://x.test/a.png"}], "invalid_blocks"),  # alt_text missing
    ([{"type": "divider"}] * 51, "invalid_blocks"),
    ([{"type": "section", "text": {"type": "mrkdwn", "text": "y" * 2999}}] * 5, "msg_blocks_too_long"),
])
def test_the_emulator_refuses_what_slack_sdk_and_the_limits_refuse(blocks, error):
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    with SlackEmulator(token=BOT_TOKEN) as emu:
        emu.add_channel("C0CONF01")
        client = WebClient(token=BOT_TOKEN, base_url=emu.api_url)
        with pytest.raises(SlackApiError) as info:
            client.chat_postMessage(channel="C0CONF01", text="t", blocks=blocks)
        assert info.value.response["error"] == error
        assert bk.payload_problems({"text": "t", "blocks": blocks})  # the bot's own check agrees
        good = [{"type": "section", "text": {"type": "mrkdwn", "text": "z" * 3000}}]
        assert client.chat_postMessage(channel="C0CONF01", text="t", blocks=good)["ok"]
        assert bk.payload_problems({"text": "t", "blocks": good}) == []
        with pytest.raises(SlackApiError) as info:
            client.chat_postMessage(channel="C0CONF01", text="t", metadata={"event_payload": {}})
        assert info.value.response["error"] == "invalid_metadata_format"


def test_long_action_text_full_of_ampersands_reaches_its_owners_with_the_link(bot):
    """2,500 characters with 75 `&` (each 5 characters escaped) and a permalink filled in
    when sent: the reminder DM is split for its final length, never inside an entity."""
    open_conference(bot)
    bot.clock.set(at(16, 20))
    # Escaped, the text is about 2,780 characters: with the reminder's own words and the
    # placeholder it fitted one section, and the link filled in later made it 3,000+.
    words = ["Väg & järnväg" if i % 2 == 0 else "samordning" for i in range(150)]
    body = (" ".join(words) + " " + "beredskap " * 200)[:2480].rstrip()
    assert body.count("&") == 75 and len(body) <= 2500
    atgard(bot, f"trafikverket {body}")
    bot.tick(at(16, 21, day=27))  # the unacknowledged reminder, with a link to the item
    assert not _rows(bot, status=FAILED)
    dm = bot.emu.dms("U0TRV001")
    assert len(dm) == 1
    sections = [b["text"]["text"] for b in dm[0]["blocks"] if b["type"] == "section"]
    assert all(len(t) <= 3000 for t in sections)
    assert "https://emulator.slack.test/archives/" in text_of(dm[0])
    for t in sections:  # no section starts or ends inside an entity or a link
        assert not t.rstrip().endswith(("&", "&a", "&am", "&amp")) and not t.startswith(("amp;", "mp;", "p;", ";"))
        assert t.count("<") == t.count(">")
    assert text_of(dm[0]).count("&amp;") == body.count("&")


def test_split_never_cuts_a_link_an_entity_or_a_placeholder():
    link = "<https://example.test/a|en länk med många ord i etiketten>"
    text = " ".join(["ord &amp; ord", link, outbox.permalink("summary:12")] * 300)
    for limit in (333, 500, 1000, 3000):
        pieces = bk.split_text(text, limit)
        assert all(bk.measure(p) <= limit for p in pieces)
        for p in pieces:
            assert p.count("<") == p.count(">") and p.count("\u27e6") == p.count("\u27e7")
            assert not p.rstrip().endswith(("&", "&a", "&am", "&amp"))
        assert " ".join(pieces).split() == text.split()


def test_placeholder_counts_as_the_room_of_its_url():
    text = "x " * 1400 + f"<{outbox.permalink('summary:1')}|här>"
    assert len(text) < 3000 < bk.measure(text)
    assert len(bk.split_text(text)) == 2


def test_outbox_command_lists_and_retries(bot, database_url):
    channel = bot.cfg.channel
    bot.emu.set_bot_member(channel, False)
    with bot.ctx.tx() as s:
        outbox.post(s, bot.ctx.now(), channel, "vägrat meddelande")
    bot.drain()
    env = {**os.environ, "DATABASE_URL": database_url, "SAMVERKAN_CONFIG": str(REGION_FILE)}

    def samverkan(*args):
        return subprocess.run([sys.executable, "-m", "bot.cli", "outbox", *args], env=env, capture_output=True,
                              text=True, timeout=60)

    listed = samverkan("list")
    assert listed.returncode == 0, listed.stderr
    failed_id = _rows(bot, status=FAILED)[0].id
    assert "1 refused by Slack" in listed.stdout and "vägrat meddelande" in listed.stdout
    assert "not_in_channel" in listed.stdout and "retry --failed" in listed.stdout
    assert samverkan("retry").returncode == 1
    missing = samverkan("retry", "999999")
    assert missing.returncode == 1 and "999999" in missing.stderr
    bot.emu.set_bot_member(channel, True)
    again = samverkan("retry", str(failed_id))
    assert again.returncode == 0 and str(failed_id) in again.stdout
    bot.drain()
    assert [m["text"] for m in bot.emu.messages(channel)] == ["vägrat meddelande"]
    assert _rows(bot, id=failed_id)[0].status == SENT
    assert "0 pending, 0 refused" in samverkan().stdout
    assert not _rows(bot, status=PENDING)
