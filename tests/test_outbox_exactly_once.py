"""Exactly once to Slack: lost answers, a dead poster's row, leases, region scoping,
channels independent of each other's 429s. The worker against the strict emulator, on
SQLite and PostgreSQL (process kills are in test_outbox_kill.py)."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.db.base import make_session_factory
from bot.region.models import Region
from bot.slack import lookup, outbox
from bot.slack.client import make_outbox_client
from bot.slack.models import PENDING, SENT, OutboxMessage, SlackMessage
from bot.slack.worker import OutboxWorker
from samverkan_emulator import SlackEmulator

CH = "C0CONF01"
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)
TOKEN = "xoxb-test"


@pytest.fixture
def emu():
    with SlackEmulator(token=TOKEN) as e:
        e.add_channel(CH, name="samverkan")
        e.add_channel("C0OTHER1", name="annan")
        for u in ("U0POL001", "U0TIB001", "U0SOS001"):
            e.add_user(u)
        yield e


def _region(engine, name: str, channel: str = CH):
    sf = make_session_factory(engine)
    with sf.begin() as s:
        region = Region(name=name, timezone="Europe/Stockholm", channel=channel, created_at=NOW)
        s.add(region)
        s.flush()
        region_id = region.id
    outbox.bind_region(sf, region_id)
    return sf, region_id


@pytest.fixture
def sf(engine):
    return _region(engine, "Testlän")[0]


def worker(sf, emu, **kw) -> OutboxWorker:
    return OutboxWorker(sf, make_outbox_client(TOKEN, emu.api_url), FixedClock(NOW),
                        region_id=sf.kw["info"]["region_id"], channel_interval=kw.pop("channel_interval", 0.0), **kw)


def drain(w, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not w.run_once():
            if not w.pending_count():
                return
            time.sleep(0.05)
    raise AssertionError("outbox did not drain")


def rows(sf) -> list[OutboxMessage]:
    with sf() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_every_post_names_its_row_in_metadata(sf, emu):
    with sf.begin() as s:
        row = outbox.post(s, NOW, CH, "öppning", ref="conference:1")
    drain(worker(sf, emu))
    meta = emu.messages(CH)[0]["metadata"]
    assert meta == {"event_type": lookup.METADATA_TYPE,
                    "event_payload": {"outbox_id": row.id, "region_id": sf.kw["info"]["region_id"]}}
    assert rows(sf)[0].ts == emu.messages(CH)[0]["ts"] and rows(sf)[0].sending_since is None


def test_a_lost_answer_twice_gives_one_message_and_the_thread_goes_on(sf, emu):
    emu.lose_answer("chat.postMessage", times=2)
    with sf.begin() as s:
        outbox.post(s, NOW, CH, "öppning", ref="conference:1")
        outbox.post(s, NOW, CH, "rapport", thread_ref="conference:1")
    w = worker(sf, emu)
    w.run_once()  # the opening reaches Slack, the answer is lost
    first = rows(sf)[0]
    assert first.status == PENDING and first.sending_since is not None and len(emu.messages(CH)) == 1
    drain(w)  # looked up, adopted; the reply goes into its thread (its own answer lost too)
    top = emu.messages(CH)
    assert [m["text"] for m in top] == ["öppning"]
    assert [m["text"] for m in emu.thread(CH, top[0]["ts"])] == ["öppning", "rapport"]
    with sf() as s:
        assert s.get(SlackMessage, "conference:1").ts == top[0]["ts"]
    assert [c.method for c in emu.calls].count("chat.postMessage") == 2  # no third post, no client retry
    assert "conversations.history" in [c.method for c in emu.calls]
    assert "conversations.replies" in [c.method for c in emu.calls]


def test_a_dead_owners_row_is_looked_up_and_adopted_when_its_lease_ends(sf, emu):
    """A process claimed the row, Slack stored the post, the process died: the lease runs
    out after seconds and the next worker finds the message by its metadata."""
    with sf.begin() as s:
        row = outbox.post(s, NOW, CH, "öppning", ref="conference:1")
        s.flush()
        row_id, region_id = row.id, row.region_id
    client = make_outbox_client(TOKEN, emu.api_url)
    ts = client.chat_postMessage(channel=CH, text="öppning", metadata=lookup.metadata_for(row_id, region_id))["ts"]
    real_now = datetime.now(timezone.utc)
    with sf.begin() as s:
        r = s.get(OutboxMessage, row_id)
        r.lease_owner, r.lease_until, r.sending_since = "elsewhere:4242:abc", real_now + timedelta(seconds=2), real_now
    w = worker(sf, emu)
    assert w.run_once() == 0  # still leased
    time.sleep(2.1)
    drain(w)
    assert len(emu.messages(CH)) == 1
    assert rows(sf)[0].status == SENT and rows(sf)[0].ts == ts


def test_an_unknown_outcome_that_never_reached_slack_is_posted(sf, emu):
    with sf.begin() as s:
        outbox.post(s, NOW, "U0POL001", "ett DM", ref="dm:1")
    with sf.begin() as s:  # an attempt whose answer never came, and Slack never stored
        r = s.scalars(select(OutboxMessage)).one()
        r.sending_since, r.attempts = datetime.now(timezone.utc), 1
    drain(worker(sf, emu))
    assert [m["text"] for m in emu.dms("U0POL001")] == ["ett DM"]
    assert "conversations.open" in [c.method for c in emu.calls]  # the DM channel was read, by its D id


def test_a_live_worker_renews_its_lease_during_a_slow_post(sf, emu):
    hold = emu.hold_answer("chat.postMessage", seconds=7)
    with sf.begin() as s:
        outbox.post(s, NOW, CH, "långsam")
    a, b = worker(sf, emu), worker(sf, emu)
    a.start()
    try:
        assert hold.stored.wait(5)
        deadline = time.monotonic() + 6.5
        while time.monotonic() < deadline:  # b sees a live lease all the time
            assert b.run_once() == 0
            time.sleep(0.25)
        assert emu.wait_for(lambda: rows(sf)[0].status == SENT, timeout=5)
    finally:
        a.stop()
    assert len(emu.messages(CH)) == 1


def test_a_worker_takes_only_its_own_regions_rows(engine, emu):
    sf_a, _ = _region(engine, "Län A")
    sf_b, _ = _region(engine, "Län B", channel="C0OTHER1")
    with sf_a.begin() as s:
        outbox.post(s, NOW, CH, "från A")
    with sf_b.begin() as s:
        outbox.post(s, NOW, "C0OTHER1", "från B")
    drain(worker(sf_a, emu))
    assert [m["text"] for m in emu.messages(CH)] == ["från A"] and emu.messages("C0OTHER1") == []
    with sf_b() as s:
        assert s.scalars(select(OutboxMessage.status).where(OutboxMessage.channel == "C0OTHER1")).one() == PENDING
        assert outbox.outbox_figures(s, sf_b.kw["info"]["region_id"])["pending"] == 1


def test_a_row_needs_a_region(engine):
    with make_session_factory(engine).begin() as s, pytest.raises(ValueError, match="region"):
        outbox.post(s, NOW, CH, "utan region")


def test_a_429_window_on_the_conference_channel_does_not_delay_dms(sf, emu):
    emu.rate_limit_channel(CH, seconds=60, retry_after=20)
    with sf.begin() as s:
        for i in range(3):
            outbox.post(s, NOW, CH, f"kanal {i}")
        for u in ("U0POL001", "U0TIB001", "U0SOS001"):
            outbox.post(s, NOW, u, f"DM till {u}")
    w = worker(sf, emu, channel_interval=1.0)
    t0 = time.monotonic()
    w.start()
    try:
        assert emu.wait_for(lambda: all(emu.dms(u) for u in ("U0POL001", "U0TIB001", "U0SOS001")), timeout=5)
        took = time.monotonic() - t0
    finally:
        w.stop()
    assert took < 5 and emu.messages(CH) == []
    head = rows(sf)[0]
    assert head.status == PENDING and head.last_error == "ratelimited"
    assert head.not_before >= datetime.now(timezone.utc) + timedelta(seconds=15)  # Retry-After honoured


def test_channels_are_posted_in_parallel(sf, emu):
    hold = emu.hold_answer("chat.postMessage", seconds=3, match=lambda a: a.get("channel") == CH)
    with sf.begin() as s:
        outbox.post(s, NOW, CH, "långsam kanal")
        outbox.post(s, NOW, "C0OTHER1", "snabb kanal")
    w = worker(sf, emu)
    w.start()
    try:
        assert hold.stored.wait(5)
        assert emu.wait_for(lambda: emu.messages("C0OTHER1"), timeout=1.5)  # not behind the slow one
        assert emu.wait_for(lambda: w.pending_count() == 0, timeout=6)
    finally:
        w.stop()


def test_an_edit_never_lands_in_a_post_whose_outcome_is_unknown(sf, emu):
    emu.lose_answer("chat.postMessage")
    w = worker(sf, emu)
    with sf.begin() as s:
        outbox.post_or_update(s, NOW, CH, "report:1", "version 1")
    w.run_once()  # stored in Slack, answer lost
    with sf.begin() as s:
        outbox.post_or_update(s, NOW, CH, "report:1", "version 2")
    drain(w)
    msgs = emu.messages(CH)
    assert len(msgs) == 1 and msgs[0]["text"] == "version 2" and msgs[0]["edits"][0]["text"] == "version 1"


def test_a_failed_lookup_keeps_the_doubt_until_slack_can_be_asked(sf, emu):
    emu.lose_answer("chat.postMessage")
    with sf.begin() as s:
        outbox.post(s, NOW, CH, "öppning", ref="conference:1")
    w = worker(sf, emu)
    w.run_once()  # posted, answer lost
    time.sleep(1.1)  # its back-off
    emu.fail("conversations.history", status=429, retry_after=1)
    w.run_once()  # the lookup is refused: still in doubt, not posted again
    row = rows(sf)[0]
    assert row.status == PENDING and row.sending_since is not None and "ratelimited" in row.last_error
    assert len(emu.messages(CH)) == 1
    drain(w)
    assert len(emu.messages(CH)) == 1 and rows(sf)[0].ts == emu.messages(CH)[0]["ts"]
