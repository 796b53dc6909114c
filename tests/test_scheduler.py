"""The scheduler runner with an injected clock: once per occurrence, late within grace,
missed after it, holidays, and two schedulers on one database."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.conference.flows import FLOWS
from bot.conference.models import Conference
from bot.schedule.calendar import Kind, Timing
from bot.schedule.runner import ConferenceScheduler
from bot.slack.models import OutboxMessage
from tests.helpers import block_text, make_ctx, with_conference

STHLM = ZoneInfo("Europe/Stockholm")


def local(y, m, d, hh, mm, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=STHLM)


def outbox(ctx):
    with ctx.sf() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def conference(ctx, week=48):
    with ctx.sf() as s:
        return s.scalars(select(Conference).where(Conference.iso_week == week)).first()


def test_kallelse_then_opening_on_time_exactly_once(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 9, 0, 2))
    sched = ConferenceScheduler(ctx, FLOWS)
    done = sched.tick()
    assert [(o.kind, t) for o, t in done] == [(Kind.CALL, Timing.ON_TIME)]
    ctx.clock.set(local(2026, 11, 26, 16, 0, 1))
    done = sched.tick()
    # the 15.00 reminder was skipped over (the clock jumped past the opening): claimed as missed
    assert [(o.kind, t) for o, t in done] == [(Kind.REMINDER, Timing.MISSED), (Kind.OPEN, Timing.ON_TIME)]
    assert sched.tick() == []  # nothing twice
    posts = [m for m in outbox(ctx) if m.thread_ref is None]  # top level: kallelse and opening
    assert len(posts) == 2
    kallelse, opening = posts
    assert kallelse.ref is None and "Kallelse till regional samverkanskonferens v. 48" in block_text(kallelse.payload)
    assert opening.ref == f"conference:{conference(ctx).id}"
    text = block_text(opening.payload)
    for expected in ("v. 48", "Torsdag 26 november 2026 kl. 16.00", "Ordinarie läge", "Länsstyrelsen Stockholm",
                     "Syfte", "Rapportering i talarordning", "Samlad lägesbild", "Åtgärder och uppföljning",
                     "Nästa steg", "sekretessbelagd"):
        assert expected in text, expected
    assert "min sent" not in text
    conf = conference(ctx)
    assert conf.status == "open" and conf.opened_at == local(2026, 11, 26, 16, 0, 1)


def test_opening_late_within_grace_says_so(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 16, 3, 10))
    done = ConferenceScheduler(ctx, FLOWS).tick()
    assert (Kind.OPEN, Timing.LATE) in [(o.kind, t) for o, t in done]
    opening = [m for m in outbox(ctx) if m.ref and m.ref.startswith("conference:")]
    assert len(opening) == 1
    assert "öppnas *3 min sent*" in block_text(opening[0].payload)
    assert conference(ctx).late_minutes == 3


def test_opening_past_grace_is_reported_missed_and_never_opens(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 17, 30))
    done = dict((o.kind, t) for o, t in ConferenceScheduler(ctx, FLOWS).tick())
    assert done[Kind.OPEN] == Timing.MISSED
    texts = [block_text(m.payload) for m in outbox(ctx)]
    assert len(texts) == 1 and "blev inte av" in texts[0]  # no kallelse, no opening, no closing
    assert conference(ctx).status == "missed"


def test_installed_after_the_opening_opens_late_but_never_reports_missed(engine, region_cfg):
    now = local(2026, 11, 26, 16, 30)
    ctx = make_ctx(engine, region_cfg, now, installed=now - timedelta(minutes=1))
    done = [(o.kind, t) for o, t in ConferenceScheduler(ctx, FLOWS).tick()]
    assert (Kind.OPEN, Timing.LATE) in done
    top_level = [m for m in outbox(ctx) if m.thread_ref is None]
    assert [m.ref for m in top_level] == [f"conference:{conference(ctx).id}"]  # the opening; no kallelse


def test_installed_long_after_the_opening_posts_nothing(engine, region_cfg):
    now = local(2026, 11, 26, 18, 0)
    ctx = make_ctx(engine, region_cfg, now, installed=now)
    done = ConferenceScheduler(ctx, FLOWS).tick()
    assert done and all(t == Timing.MISSED for o, t in done if o.kind != Kind.CLOSE)
    assert outbox(ctx) == []


def test_close_after_duration_posts_in_thread(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 16, 0))
    sched = ConferenceScheduler(ctx, FLOWS)
    sched.tick()
    ctx.clock.set(local(2026, 11, 26, 17, 0, 0))
    assert [(o.kind, t) for o, t in sched.tick()] == [(Kind.CLOSE, Timing.ON_TIME)]
    conf = conference(ctx)
    # the samlad lägesbild in the thread says it (no separate closing line: one call fewer)
    summary = [m for m in outbox(ctx) if m.payload["text"].startswith("Samlad lägesbild v. 48")
               and m.thread_ref == conf.ref]
    assert summary and conf.status == "closed"
    assert "kl. 16.00–17.00" in block_text(summary[0].payload)
    assert not [m for m in outbox(ctx) if m.payload["text"] == "Konferensen v. 48 är avslutad"]


def test_holiday_skip_posts_notice_on_previous_workday(engine, region_cfg):
    # Kristi himmelsfärdsdag, Thursday 14 May 2026: the notice goes out Wednesday 09.00
    ctx = make_ctx(engine, with_conference(region_cfg, holidays="skip"), local(2026, 5, 13, 9, 0, 5))
    sched = ConferenceScheduler(ctx, FLOWS)
    assert [(o.kind, o.skipped) for o, _ in sched.tick()] == [(Kind.CALL, True)]
    text = block_text(outbox(ctx)[0].payload)
    assert "Ingen regional samverkanskonferens v. 20" in text
    assert "Torsdag 14 maj 2026 är Kristi himmelsfärdsdag" in text
    assert "torsdag 21 maj 2026 kl. 16.00" in text
    ctx.clock.set(local(2026, 5, 14, 17, 30))
    assert sched.tick() == []  # nothing opens on the holiday
    assert conference(ctx, 20).status == "skipped"


def test_holiday_previous_workday_opens_wednesday(engine, region_cfg):
    ctx = make_ctx(engine, with_conference(region_cfg, holidays="previous_workday"), local(2026, 12, 23, 16, 0, 1))
    done = [(o.kind, t) for o, t in ConferenceScheduler(ctx, FLOWS).tick()]
    assert (Kind.OPEN, Timing.ON_TIME) in done
    assert conference(ctx, 52).held_on == "2026-12-23"


def test_dst_week_opens_at_local_16(engine, region_cfg):
    # 29 March 2026 the clocks go forward: Thursday 2 April 16.00 is 14.00 UTC
    ctx = make_ctx(engine, region_cfg, datetime(2026, 4, 2, 14, 0, 2, tzinfo=timezone.utc))
    done = [(o.kind, t) for o, t in ConferenceScheduler(ctx, FLOWS).tick()]
    assert (Kind.OPEN, Timing.ON_TIME) in done


def test_two_schedulers_racing_open_once(engine, region_cfg):
    now = local(2026, 11, 26, 16, 0, 1)
    a = ConferenceScheduler(make_ctx(engine, region_cfg, now), FLOWS)
    b = ConferenceScheduler(make_ctx(engine, region_cfg, now), FLOWS)
    results: list = []
    barrier = threading.Barrier(2)

    def run(s):
        barrier.wait()
        results.append(s.tick())

    threads = [threading.Thread(target=run, args=(s,)) for s in (a, b)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    opened = [o for r in results for o, _ in r if o.kind == Kind.OPEN]
    assert len(opened) == 1
    assert len([m for m in outbox(a.ctx) if m.ref and m.ref.startswith("conference:")]) == 1
