"""The floor over the database: the stored order and rotation across weeks, the opening
message, late reports, participation. (The Slack side is in test_floor_http.py.)"""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.reply import Refusal
from bot.conference.flows import FLOWS
from bot.conference.models import ACTIVATED, OPEN, Conference
from bot.floor import flows as floor_flows
from bot.floor import service
from bot.floor.models import Floor, FloorRotation
from bot.region.models import Actor
from bot.report.models import Report, ReportVersion
from bot.schedule.runner import ConferenceScheduler
from bot.slack import blocks as bk
from bot.slack.models import OutboxMessage
from tests.helpers import block_text, make_ctx

STHLM = ZoneInfo("Europe/Stockholm")


def local(y, m, d, hh, mm, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=STHLM)


def actor_id(ctx, key: str) -> int:
    with ctx.sf() as s:
        return s.scalars(select(Actor.id).where(Actor.key == key)).one()


def add_report(ctx, conference_id: int, key: str, *, need: bool = False, nothing_new: bool = False) -> int:
    """A report as the lägesbild capability stores it (rows only; their service is not used)."""
    now = ctx.now()
    aid = actor_id(ctx, key)
    with ctx.tx() as s:
        r = Report(conference_id=conference_id, actor_id=aid, version=1, nothing_new=nothing_new,
                   needs_coordination=need, created_at=now, updated_at=now)
        s.add(r)
        s.flush()
        s.add(ReportVersion(report_id=r.id, version=1, fields={"lage": "Lugnt."}, status="normal",
                            nothing_new=nothing_new, submitted_by="U0TEST", submitted_at=now))
    return aid


def conference(ctx, week: int) -> Conference:
    with ctx.sf() as s:
        return s.scalars(select(Conference).where(Conference.iso_week == week, Conference.kind == "ordinary")).one()


def floor_keys(ctx, conference_id: int) -> list[str]:
    with ctx.sf() as s:
        names = {a.id: a.key for a in s.scalars(select(Actor))}
        return [names[e.actor] for e in service.state_of(service.get(s, conference_id)).turns()]


def open_week(ctx, sched, day: datetime) -> Conference:
    ctx.clock.set(day.replace(hour=9, minute=0, second=1))
    sched.tick()
    ctx.clock.set(day.replace(hour=16, minute=0, second=1))
    sched.tick()
    ctx.clock.set(day.replace(hour=17, minute=0, second=1))
    sched.tick()
    return conference(ctx, day.isocalendar()[1])


def test_rotation_is_stored_and_advances_once_per_ordinary_conference(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 8, 0))
    sched = ConferenceScheduler(ctx, FLOWS)
    weeks = [open_week(ctx, sched, local(2026, 11, 26, 0, 0) + timedelta(weeks=k)) for k in range(3)]
    orders = [floor_keys(ctx, c.id) for c in weeks]
    kommun = [o[9:36] for o in orders]
    assert [k[0] for k in kommun] == ["ksl", "botkyrka", "danderyd"]
    assert [k[-1] for k in kommun] == ["osteraker", "ksl", "botkyrka"]
    assert [o[0] for o in orders] == ["lansstyrelsen"] * 3
    with ctx.sf() as s:
        offsets = {r.category: r.offset for r in s.scalars(select(FloorRotation))}
        used = [s.get(Floor, c.id).offsets for c in weeks]
    assert offsets == {"blåljus": 3, "sjukvård": 3, "trafik": 3, "kommun": 3, "övriga": 3}
    assert used[0] == {} and used[2]["kommun"] == 2
    # the stored order does not change when asked again (nothing is recomputed)
    with ctx.tx() as s:
        service.ensure(s, s.get(Conference, weeks[0].id), region_cfg.speaking_order, ctx.now())
    assert floor_keys(ctx, weeks[0].id) == orders[0]


def test_activated_conference_uses_current_offsets_without_advancing(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 8, 0))
    with ctx.tx() as s:
        region_id = ctx.region_id
        s.add(FloorRotation(region_id=region_id, category="kommun", offset=4))
        conf = Conference(region_id=region_id, kind=ACTIVATED, year=2026, number=1, iso_year=2026, iso_week=48,
                          status=OPEN, channel=region_cfg.channel, created_at=ctx.now(), opened_at=ctx.now())
        s.add(conf)
        s.flush()
        floor_flows.opening_blocks(ctx, s, conf)
        conf_id = conf.id
    assert floor_keys(ctx, conf_id)[9] == "haninge"  # ksl, botkyrka, danderyd, ekero, then haninge
    with ctx.sf() as s:
        assert s.get(FloorRotation, (ctx.region_id, "kommun")).offset == 4
        assert s.get(FloorRotation, (ctx.region_id, "blåljus")) is None


def test_opening_message_has_the_numbered_order_with_markers_within_limits(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 9, 0, 1))
    sched = ConferenceScheduler(ctx, FLOWS)
    sched.tick()
    conf = conference(ctx, 48)
    for a in region_cfg.actors:
        if a.id not in ("polisen", "tyreso"):
            add_report(ctx, conf.id, a.id, need=a.id == "sos-alarm")
    ctx.clock.set(local(2026, 11, 26, 16, 0, 1))
    sched.tick()
    with ctx.sf() as s:
        opening = s.scalars(select(OutboxMessage).where(OutboxMessage.ref == conf.ref)).one()
        headline = s.scalars(select(OutboxMessage).where(OutboxMessage.ref == f"floor:{conf.id}")).one()
        thread = list(s.scalars(select(OutboxMessage).where(OutboxMessage.thread_ref == conf.ref)
                                .order_by(OutboxMessage.id)))
    text = block_text(opening.payload)
    assert "*Talarordning*" in text and "1. Länsstyrelsen Stockholm" in text
    assert "2. SOS Alarm :handshake:" in text
    assert "6. Polisregion Stockholm :grey_question:" in text  # not reported: last among blåljus
    assert "36. Tyresö kommun :grey_question:" in text and "37. Försvarsmakten Militärregion Mitt" in text
    assert len(opening.payload["blocks"]) <= bk.BLOCKS_PER_MESSAGE
    assert all(len(b["text"]["text"]) <= bk.SECTION_MAX for b in opening.payload["blocks"] if b.get("text"))
    # the headline follows in the thread; the host's lägesbild is there and asks for nothing:
    # no call-in post (the headline shows the floor)
    assert headline.thread_ref == conf.ref and "*Ordet har:* Länsstyrelsen Stockholm" in block_text(headline.payload)
    assert [m for m in thread if "Ordet till" in block_text(m.payload)] == []
    # SOS Alarm reported a need for coordination: it is called in by mention
    floor_flows.move(ctx, "U0LST001", conf.id)
    with ctx.sf() as s:
        turn = [m for m in s.scalars(select(OutboxMessage).where(OutboxMessage.thread_ref == conf.ref))
                if "Ordet till" in block_text(m.payload)]
    assert len(turn) == 1 and "Ordet till *SOS Alarm* :handshake:" in block_text(turn[0].payload)
    assert "<@U0SOS001>" in block_text(turn[0].payload)


def test_a_long_order_is_split_into_sections_never_cut(engine, region_cfg):
    template = region_cfg.actor("ksl")
    many = [template.model_copy(update={"id": f"kommun-{i:03d}", "name": f"Kommun nummer {i:03d} " + "x" * 60})
            for i in range(300)]
    cfg = region_cfg.model_copy(update={"actors": (*region_cfg.actors, *many)})
    ctx = make_ctx(engine, cfg, local(2026, 11, 26, 16, 0, 1))
    ConferenceScheduler(ctx, FLOWS).tick()
    conf = conference(ctx, 48)
    with ctx.sf() as s:
        pages = [m.payload for m in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
                 if m.ref == conf.ref or (m.thread_ref == conf.ref and "Talarordning" not in block_text(m.payload)
                                          and "Ordet till" not in block_text(m.payload))]
        headline = s.scalars(select(OutboxMessage).where(OutboxMessage.ref == f"floor:{conf.id}")).one()
    text = "\n".join(block_text(p) for p in pages)
    assert len(pages) >= 2  # continued in the thread
    for i in range(300):
        assert f"Kommun nummer {i:03d}" in text
    assert "337. " in text
    for p in [*pages, headline.payload]:
        assert len(p["blocks"]) <= bk.BLOCKS_PER_MESSAGE
        assert sum(bk.block_text_length(b) for b in p["blocks"]) <= bk.MESSAGE_TEXT_BUDGET


def test_report_during_the_meeting_moves_an_absent_actor_to_the_end(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 9, 0, 1))
    sched = ConferenceScheduler(ctx, FLOWS)
    sched.tick()
    conf = conference(ctx, 48)
    for a in region_cfg.actors:
        if a.id != "polisen":
            add_report(ctx, conf.id, a.id)
    ctx.clock.set(local(2026, 11, 26, 16, 0, 1))
    sched.tick()
    assert floor_keys(ctx, conf.id)[5] == "polisen"
    ctx.clock.set(local(2026, 11, 26, 16, 5))
    pol = add_report(ctx, conf.id, "polisen", need=True)
    with ctx.tx() as s:
        floor_flows.on_reports(ctx, s, s.get(Conference, conf.id), [pol])
    assert floor_keys(ctx, conf.id)[-1] == "polisen"
    with ctx.sf() as s:
        last = service.state_of(service.get(s, conf.id)).turns()[-1]
        updates = list(s.scalars(select(OutboxMessage).where(OutboxMessage.ref == f"floor:{conf.id}")))
    assert last.reported and last.need and last.late
    assert len(updates) == 1  # the headline not yet posted by a worker: the waiting post got the new content
    # a revision of the same report does not move it again
    with ctx.tx() as s:
        floor_flows.on_reports(ctx, s, s.get(Conference, conf.id), [pol])
    assert floor_keys(ctx, conf.id)[-1] == "polisen" and floor_keys(ctx, conf.id).count("polisen") == 1


def test_participation_reported_spoke_passed_absent(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 9, 0, 1))
    sched = ConferenceScheduler(ctx, FLOWS)
    sched.tick()
    conf = conference(ctx, 48)
    reported = {add_report(ctx, conf.id, k) for k in ("sos-alarm", "ssbf", "sbff", "attunda", "stockholm")}
    ctx.clock.set(local(2026, 11, 26, 16, 0, 1))
    sched.tick()
    # order: host (no report), sos-alarm, ssbf, sbff, attunda, polisen (no report), …
    host = actor_id(ctx, "lansstyrelsen")
    floor_flows.move(ctx, "U0LST001", conf.id)  # host spoke, sos-alarm has the floor
    floor_flows.move(ctx, "U0LST001", conf.id, passed=True)  # sos-alarm passed
    floor_flows.move(ctx, "U0LST001", conf.id)  # ssbf spoke, sbff has the floor (counts)
    with ctx.sf() as s:
        p = service.participation(s, conf.id)
    sos, ssbf, sbff = actor_id(ctx, "sos-alarm"), actor_id(ctx, "ssbf"), actor_id(ctx, "sbff")
    assert set(p.reported) == reported
    assert p.spoke == [host, ssbf, sbff] and p.passed == [sos]
    # absent: given the floor, no report, did not speak (sos-alarm passed but had reported);
    # not heard: the floor never reached them, report or not
    assert p.absent == []
    assert actor_id(ctx, "polisen") in p.not_heard and actor_id(ctx, "stockholm") in p.not_heard
    assert not {host, sos, ssbf, sbff} & set(p.not_heard) and len(p.not_heard) == 37 - 4
    floor_flows.move(ctx, "U0LST001", conf.id)  # sbff spoke, attunda has the floor
    floor_flows.move(ctx, "U0LST001", conf.id, passed=True)  # attunda passed (reported)
    floor_flows.move(ctx, "U0LST001", conf.id, passed=True)  # polisen passed, no report
    with ctx.sf() as s:
        p = service.participation(s, conf.id)
    assert p.absent == [actor_id(ctx, "polisen")] and actor_id(ctx, "polisen") not in p.not_heard


def test_participation_without_a_floor_lists_everyone_without_report_absent(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 9, 0, 1))
    ConferenceScheduler(ctx, FLOWS).tick()
    conf = conference(ctx, 48)
    pol = add_report(ctx, conf.id, "polisen")
    with ctx.sf() as s:
        p = service.participation(s, conf.id)
        assert service.participation(s, 999999) == service.Participation()
    assert p.reported == [pol] and p.spoke == [] and len(p.absent) == 36


def test_rights_koordinator_or_the_host_tib_only(engine, region_cfg):
    from bot.config.region import MemberConfig

    extra = (MemberConfig(user="U0LST003", actor="lansstyrelsen", roles=["tib"]),
             MemberConfig(user="U0LST004", actor="lansstyrelsen", roles=["deltagare"]),
             MemberConfig(user="U0POL009", actor="polisen", roles=["tib", "admin"]))
    cfg = region_cfg.model_copy(update={"members": (*region_cfg.members, *extra)})
    ctx = make_ctx(engine, cfg, local(2026, 11, 26, 16, 0))
    with ctx.sf() as s:
        allowed = {u: service.may_run(s, ctx.region_id, u, "lansstyrelsen")
                   for u in ("U0LST001", "U0LST002", "U0LST003", "U0LST004", "U0POL001", "U0POL009", "U0NOBODY")}
    assert allowed == {"U0LST001": True, "U0LST002": True, "U0LST003": True, "U0LST004": False,
                       "U0POL001": False, "U0POL009": False, "U0NOBODY": False}


def test_command_uses_the_open_activated_conference_first(engine, region_cfg):
    ctx = make_ctx(engine, region_cfg, local(2026, 11, 26, 16, 0, 1))
    ConferenceScheduler(ctx, FLOWS).tick()
    ordinary = conference(ctx, 48)
    with ctx.sf() as s:
        assert service.conference_for_command(s, ctx.region_id).id == ordinary.id
    with ctx.tx() as s:
        act = Conference(region_id=ctx.region_id, kind=ACTIVATED, year=2026, number=1, iso_year=2026, iso_week=48,
                         status=OPEN, channel=region_cfg.channel, created_at=ctx.now(), opened_at=ctx.now())
        s.add(act)
        s.flush()
        act_id = act.id
    with ctx.sf() as s:
        assert service.conference_for_command(s, ctx.region_id).id == act_id
    with pytest.raises(Refusal) as refused:  # the activated one has no floor (yet): said, not guessed
        floor_flows.command_show(ctx, "U0LST001")
    assert refused.value.key == "floor_refused_no_floor"
