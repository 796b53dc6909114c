"""The outbox against the Slack emulator: store first, post after; order per channel;
threads; edits folded into waiting posts; 429 and outages delay but lose nothing."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.db.base import make_session_factory
from bot.slack import outbox
from bot.region.models import Region
from bot.slack.client import make_outbox_client
from bot.slack.models import FAILED, SENT, OutboxMessage, SlackMessage
from bot.slack.worker import OutboxWorker
from samverkan_emulator import SlackEmulator

CH = "C0CONF01"
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)


@pytest.fixture
def emu():
    with SlackEmulator(token="xoxb-test") as e:
        e.add_channel(CH, name="samverkan")
        e.add_channel("C0OTHER1", name="annan")
        yield e


@pytest.fixture
def sf(engine):
    sf = make_session_factory(engine)
    with sf.begin() as s:
        region = Region(name="Testlän", timezone="Europe/Stockholm", channel=CH, created_at=NOW)
        s.add(region)
        s.flush()
        region_id = region.id
    outbox.bind_region(sf, region_id)
    return sf


def worker(sf, emu, **kw):
    return OutboxWorker(sf, make_outbox_client("xoxb-test", emu.api_url), FixedClock(NOW),
                        region_id=sf.kw["info"]["region_id"], channel_interval=kw.pop("channel_interval", 0.0),
                        **kw)


def due_now(sf):
    """As if every back-off had passed."""
    with sf.begin() as s:
        for row in s.scalars(select(OutboxMessage)):
            row.not_before = NOW


def drain(w, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not w.run_once():
            if not w.pending_count():
                return
            time.sleep(0.02)
    raise AssertionError("outbox did not drain")


def test_root_then_replies_in_its_thread(sf, emu):
    with sf.begin() as s:
        outbox.post(s, NOW, CH, "öppning", ref="conference:1")
        outbox.post(s, NOW, CH, "rapport 1", thread_ref="conference:1")
        outbox.post(s, NOW, CH, "rapport 2", thread_ref="conference:1")
    drain(worker(sf, emu))
    top = emu.messages(CH)
    assert [m["text"] for m in top] == ["öppning"]
    assert [m["text"] for m in emu.thread(CH, top[0]["ts"])] == ["öppning", "rapport 1", "rapport 2"]
    with sf() as s:
        assert s.get(SlackMessage, "conference:1").ts == top[0]["ts"]


def test_edit_of_a_waiting_post_becomes_one_post(sf, emu):
    with sf.begin() as s:
        outbox.post_or_update(s, NOW, CH, "report:7", "version 1")
    with sf.begin() as s:
        outbox.post_or_update(s, NOW, CH, "report:7", "version 2")
    drain(worker(sf, emu))
    msgs = emu.messages(CH)
    assert [m["text"] for m in msgs] == ["version 2"]
    assert not [c for c in emu.calls if c.method == "chat.update"]


def test_edit_after_posting_uses_chat_update(sf, emu):
    w = worker(sf, emu)
    with sf.begin() as s:
        outbox.post_or_update(s, NOW, CH, "report:7", "version 1")
    drain(w)
    with sf.begin() as s:
        outbox.post_or_update(s, NOW, CH, "report:7", "version 2")
    drain(w)
    msgs = emu.messages(CH)
    assert len(msgs) == 1 and msgs[0]["text"] == "version 2"
    assert [e["text"] for e in msgs[0]["edits"]] == ["version 1"]


def test_rate_limit_is_retried_as_slack_asks(sf, emu):
    emu.fail("chat.postMessage", status=429, retry_after=1, times=1)
    with sf.begin() as s:
        outbox.post(s, NOW, CH, "efter 429")
    t0 = time.monotonic()
    drain(worker(sf, emu))
    assert [m["text"] for m in emu.messages(CH)] == ["efter 429"]
    assert time.monotonic() - t0 >= 0.9  # waited Retry-After
    statuses = [c.http_status for c in emu.calls if c.method == "chat.postMessage"]
    assert statuses == [429, 200]


def test_outage_delays_but_loses_nothing_and_keeps_order(sf, emu):
    emu.set_down(True)
    w = worker(sf, emu)
    with sf.begin() as s:
        for i in range(5):
            outbox.post(s, NOW, CH, f"meddelande {i}")
    w.run_once()
    with sf() as s:
        row = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
        assert row.status == "pending" and row.attempts == 1 and row.not_before > NOW
    emu.set_down(False)
    due_now(sf)
    drain(w)
    assert [m["text"] for m in emu.messages(CH)] == [f"meddelande {i}" for i in range(5)]


def test_permanent_error_is_kept_and_does_not_block_others(sf, emu):
    with sf.begin() as s:
        outbox.post(s, NOW, "C0MISSING", "till en kanal som inte finns")
        outbox.post(s, NOW, CH, "går fram")
    drain(worker(sf, emu))
    with sf() as s:
        rows = {r.channel: r for r in s.scalars(select(OutboxMessage))}
    assert rows["C0MISSING"].status == FAILED and rows["C0MISSING"].last_error == "channel_not_found"
    assert rows[CH].status == SENT
    assert [m["text"] for m in emu.messages(CH)] == ["går fram"]


def test_broadcast_mentions_never_leave(sf, emu):
    with sf.begin() as s:
        outbox.post(s, NOW, CH, "hej <!channel> och <!here|here>",
                    blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "<!everyone> läs"}}])
    drain(worker(sf, emu))
    assert not [m for m in emu.mentions_sent() if m.startswith("<!")]
    assert "&lt;!channel&gt;" in emu.messages(CH)[0]["text"]


def test_posts_to_one_channel_keep_about_one_per_second_after_a_short_burst(sf, emu):
    w = worker(sf, emu, channel_interval=1.0)
    with sf.begin() as s:
        for i in range(6):
            outbox.post(s, NOW, CH, f"m{i}")
        outbox.post(s, NOW, "C0OTHER1", "annan kanal")
    w.start()
    try:
        assert emu.wait_for(lambda: len(emu.messages(CH)) == 6, timeout=10)
    finally:
        w.stop()
    assert [m["text"] for m in emu.messages(CH)] == [f"m{i}" for i in range(6)]
    stamps = [c.at for c in emu.calls if c.method == "chat.postMessage" and c.args.get("channel") == CH]
    # a bucket of 3: any k+1 posts in a row span at least (k+1-3) seconds
    for i in range(len(stamps)):
        for j in range(i + 3, len(stamps)):
            assert stamps[j] - stamps[i] >= (j - i - 2) * 0.95, (i, j, stamps)
    assert len(emu.messages("C0OTHER1")) == 1


def test_permalink_placeholder_links_to_a_message_queued_earlier(sf, emu):
    with sf.begin() as s:
        outbox.post(s, NOW, CH, "öppning", ref="conference:1")
        outbox.post(s, NOW, CH, "sammanfattning", ref="summary:1", thread_ref="conference:1")
        outbox.post(s, NOW, CH, f"Samlad lägesbild: <{outbox.permalink('summary:1')}|i tråden>")
    drain(worker(sf, emu))
    root, notice = emu.messages(CH)
    summary_ts = emu.thread(CH, root["ts"])[1]["ts"]
    # a reply's permalink carries its thread, as Slack's does
    assert notice["text"] == (f"Samlad lägesbild: <https://emulator.slack.test/archives/{CH}/p"
                              f"{summary_ts.replace('.', '')}?thread_ts={root['ts']}&cid={CH}|i tråden>")


def test_link_to_a_message_in_another_channel_waits_for_it_without_back_off(sf, emu):
    with sf.begin() as s:  # the link is queued before the message it links to
        outbox.post(s, NOW, CH, f"Läs <{outbox.permalink('other:1')}|här>")
        outbox.post(s, NOW, "C0OTHER1", "målet", ref="other:1")
    drain(worker(sf, emu))  # the worker's clock never moves: no back-off may be involved
    assert emu.messages(CH)[0]["text"].startswith("Läs <https://emulator.slack.test/archives/C0OTHER1/p")
    with sf() as s:
        assert all(r.attempts == 1 for r in s.scalars(select(OutboxMessage)))


def test_link_to_a_message_that_failed_keeps_its_label(sf, emu):
    with sf.begin() as s:
        outbox.post(s, NOW, "C0MISSING", "kommer aldrig fram", ref="lost:1")
        outbox.post(s, NOW, CH, f"Se <{outbox.permalink('lost:1')}|sammanfattningen> nu")
    drain(worker(sf, emu))
    assert [m["text"] for m in emu.messages(CH)] == ["Se sammanfattningen nu"]


def test_posts_wait_while_slack_requests_are_answered_and_at_most_a_moment(sf, emu, monkeypatch):
    """Acks first (bot.ops.in_flight): while a request is being answered the worker starts
    nothing; it posts as soon as none is, and after YIELD_TO_ACKS whatever happens."""
    from bot.ops.in_flight import InFlight
    from bot.slack import worker as worker_module

    monkeypatch.setattr(worker_module, "YIELD_TO_ACKS", 1.5)
    in_flight = InFlight()
    w = worker(sf, emu, idle=in_flight.wait_idle)
    w.start()
    try:
        with in_flight.request():
            with sf.begin() as s:
                outbox.post(s, NOW, CH, "under en skur")
            time.sleep(0.5)
            assert emu.messages(CH) == []  # the request is still being answered
        assert emu.wait_for(lambda: len(emu.messages(CH)) == 1, timeout=2)

        answering = in_flight.request()
        answering.__enter__()  # a request that never ends: the post goes anyway
        started = time.monotonic()
        with sf.begin() as s:
            outbox.post(s, NOW, CH, "trots allt")
        assert emu.wait_for(lambda: len(emu.messages(CH)) == 2, timeout=5)
        assert 1.2 < time.monotonic() - started < 4
        answering.__exit__(None, None, None)
    finally:
        w.stop()
    assert in_flight.count == 0


def test_in_flight_counts_a_short_quiet_moment_after_the_last_answer_as_idle():
    """A burst's first answers are not its end: idle means none for QUIET seconds."""
    from bot.ops.in_flight import InFlight

    in_flight = InFlight()
    assert in_flight.wait_idle(0.0)  # nothing answered yet: idle at once
    with in_flight.request():
        assert not in_flight.wait_idle(0.05)
    started = time.monotonic()
    assert not in_flight.wait_idle(0.01, quiet=0.2)  # just answered: not quiet yet
    assert in_flight.wait_idle(1.0, quiet=0.2)
    assert 0.15 < time.monotonic() - started < 0.6


def test_rows_queued_in_a_group_of_writes_are_inserted_together_and_fold(sf, emu, engine):
    """In a unit of the group writer an outbox row is plain values, inserted with the
    group's others in one INSERT; an edit in the same transaction folds into it, and
    post_or_update sees it (an edit, never a second post)."""
    from sqlalchemy import event

    from bot.db.writer import GroupWriter

    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda c, cur, st, *a: statements.append(st))

    def unit(s, group):
        for n in range(3):
            outbox.post(s, NOW, CH, f"rad {n}", ref=f"x:{n}")
        outbox.update(s, NOW, "x:0", "ändrad")
        assert outbox.is_queued(s, "x:1")
        outbox.post_or_update(s, NOW, CH, "x:2", "till sist")

    writer = GroupWriter(sf)
    try:
        writer.write(unit)
    finally:
        writer.close()
    assert len([st for st in statements if st.startswith("INSERT INTO outbox ")]) == 1
    with sf() as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(r.op, r.ref, r.payload["text"]) for r in rows] == [
        ("post", "x:0", "ändrad"), ("post", "x:1", "rad 1"), ("post", "x:2", "till sist")]
    drain(worker(sf, emu))
    assert [m["text"] for m in emu.messages(CH)] == ["ändrad", "rad 1", "till sist"]
