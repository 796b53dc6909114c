"""The speaking-order policy and the floor's state transitions, pure (no database)."""
from __future__ import annotations

import pytest

from bot.floor import order as policy
from bot.floor import state as st
from bot.floor.order import FIRST, OrderActor, ReportFlags
from bot.floor.state import FloorState
from bot.reply import Refusal


def actors_of(cfg) -> list[OrderActor]:
    return [OrderActor(i + 1, a.id, a.category, i) for i, a in enumerate(cfg.actors)]


def ids(cfg) -> dict[str, int]:
    return {a.key: a.id for a in actors_of(cfg)}


def build(cfg, offsets=None, reports=None, rotate=True):
    so = cfg.speaking_order
    return policy.speaking_order(actors_of(cfg), so.first, so.categories, rotate=rotate, offsets=offsets or {},
                                 reports=reports if reports is not None else {a.id: ReportFlags() for a in actors_of(cfg)})


def keys(cfg, slots) -> list[str]:
    back = {v: k for k, v in ids(cfg).items()}
    return [back[s.actor_id] for s in slots]


def test_all_37_actors_once_host_first_then_categories_in_order(region_cfg):
    slots = build(region_cfg)
    assert len(slots) == 37 and len({s.actor_id for s in slots}) == 37
    assert keys(region_cfg, slots)[0] == "lansstyrelsen" and slots[0].group == FIRST
    groups = list(dict.fromkeys(s.group for s in slots))
    assert groups == [FIRST, "blåljus", "sjukvård", "trafik", "kommun", "övriga"]
    assert keys(region_cfg, slots)[1:6] == ["polisen", "sos-alarm", "ssbf", "sbff", "attunda"]
    assert keys(region_cfg, slots)[-1] == "militarregion-mitt"
    assert sum(1 for s in slots if s.group == "kommun") == 27


def test_rotation_shifts_the_start_one_step_a_week_and_nobody_is_always_last(region_cfg):
    so = region_cfg.speaking_order
    acts = actors_of(region_cfg)
    groups = policy.rotating_groups(acts, so.first, so.categories)
    assert groups == ["blåljus", "sjukvård", "trafik", "kommun", "övriga"]
    offsets: dict[str, int] = {}
    last_kommun, first_kommun = [], []
    for _week in range(27):
        kommun = [k for k, s in zip(keys(region_cfg, build(region_cfg, offsets)), build(region_cfg, offsets))
                  if s.group == "kommun"]
        first_kommun.append(kommun[0])
        last_kommun.append(kommun[-1])
        offsets = policy.advanced(offsets, groups)
    assert first_kommun[:3] == ["ksl", "botkyrka", "danderyd"]
    assert last_kommun[:3] == ["osteraker", "ksl", "botkyrka"]
    assert len(set(last_kommun)) == 27  # over 27 weeks every kommun is last exactly once
    # the host is never rotated; after 27 weeks the kommun order is back at the start,
    # and blåljus (5 actors) at its 27 % 5 = 2nd step
    after = keys(region_cfg, build(region_cfg, offsets))
    assert after[0] == "lansstyrelsen"
    assert after[9:36] == keys(region_cfg, build(region_cfg, {}))[9:36] and after[9] == "ksl"
    assert after[1:6] == ["ssbf", "sbff", "attunda", "polisen", "sos-alarm"]


def test_rotation_off_keeps_the_file_order(region_cfg):
    a = keys(region_cfg, build(region_cfg, {"kommun": 5}, rotate=False))
    assert a == keys(region_cfg, build(region_cfg, {}))


def test_not_reported_last_in_category_and_marked_need_marked(region_cfg):
    i = ids(region_cfg)
    reports = {a.id: ReportFlags() for a in actors_of(region_cfg)}
    del reports[i["polisen"]], reports[i["ksl"]], reports[i["lansstyrelsen"]]
    reports[i["sos-alarm"]] = ReportFlags(needs_coordination=True)
    slots = build(region_cfg, {"kommun": 1}, reports)
    k = keys(region_cfg, slots)
    by_key = dict(zip(k, slots))
    assert k[0] == "lansstyrelsen" and not by_key["lansstyrelsen"].reported  # the host opens anyway
    assert k[1:6] == ["sos-alarm", "ssbf", "sbff", "attunda", "polisen"]
    assert not by_key["polisen"].reported and by_key["sos-alarm"].needs_coordination
    kommun = [x for x, s in zip(k, slots) if s.group == "kommun"]
    assert kommun[0] == "botkyrka" and kommun[-1] == "ksl"  # rotated, then the absent one last


def test_nobody_reported_keeps_rotated_order(region_cfg):
    slots = build(region_cfg, {"blåljus": 2}, reports={})
    assert keys(region_cfg, slots)[1:6] == ["ssbf", "sbff", "attunda", "polisen", "sos-alarm"]
    assert not any(s.reported for s in slots)


def test_host_category_peers_and_unlisted_categories_are_never_dropped():
    acts = [OrderActor(1, "host", "värd", 0), OrderActor(2, "peer", "värd", 1), OrderActor(3, "a", "x", 2),
            OrderActor(4, "b", "other", 3)]
    slots = policy.speaking_order(acts, ["host"], ["x"], rotate=True, offsets={"värd": 1}, reports={})
    assert [(s.actor_id, s.group) for s in slots] == [(1, FIRST), (2, "värd"), (3, "x"), (4, "other")]


# ---- the live state ---------------------------------------------------------------------

def fresh(n=4, reported=(1, 2, 3, 4)) -> FloorState:
    slots = [policy.Slot(a, "g", a in reported, False) for a in range(1, n + 1)]
    return FloorState.from_order(slots)


def test_start_gives_the_host_the_floor_then_next_and_skip_move_on():
    s, got = st.start(fresh())
    assert got.actor == 1 and s.current.actor == 1 and not s.done
    s, got = st.advance(s)
    assert got.actor == 2
    s, got = st.advance(s, passed=True)
    assert got.actor == 3 and s.passed_actors() == [2]
    s, got = st.advance(s)
    s, got = st.advance(s)
    assert got is None and s.done and s.spoke_actors() == [1, 3, 4]
    with pytest.raises(Refusal) as e:
        st.advance(s)
    assert e.value.key == "floor_refused_round_done"
    with pytest.raises(Refusal) as e:
        st.advance(s, passed=True)
    assert e.value.key == "floor_refused_nobody_speaking"


def test_request_goes_right_after_the_speaker_in_order_of_asking():
    s, _ = st.start(fresh())
    s, pos = st.request(s, 3, "U3")
    assert pos == 1
    s, pos = st.request(s, 4, "U4")
    assert pos == 2
    assert [(e.actor, e.kind) for e in s.waiting] == [(3, "request"), (4, "request"), (2, "turn"), (3, "turn"),
                                                     (4, "turn")]
    with pytest.raises(Refusal) as e:
        st.request(s, 3, "U3b")
    assert e.value.key == "floor_refused_already_requested"
    with pytest.raises(Refusal) as e:
        st.request(s, 1, "U1")
    assert e.value.key == "floor_refused_already_speaking"
    s, got = st.advance(s)
    assert got.actor == 3 and got.kind == "request" and got.by == "U3"
    # after the round is done a request reopens the queue
    while s.current is not None:
        s, _ = st.advance(s)
    assert s.done
    s, pos = st.request(s, 2, "U2")
    assert pos == 1 and not s.done
    s, got = st.advance(s)
    assert got.actor == 2 and got.kind == "request"


def test_state_round_trips_through_json():
    s, _ = st.start(fresh())
    s, _ = st.request(s, 3, "U3")
    assert FloorState.from_json(s.to_json()) == s


def test_late_report_moves_a_waiting_absent_actor_to_the_end():
    s, _ = st.start(fresh(reported=(1, 3, 4)))  # 2 has no report
    s, changed = st.late_report(s, 2, needs_coordination=True)
    assert changed
    assert [e.actor for e in s.waiting] == [3, 4, 2]
    last = s.waiting[-1]
    assert last.reported and last.late and last.need


def test_late_report_after_being_passed_requeues_and_revision_only_marks():
    s, _ = st.start(fresh(reported=(1, 3, 4)))
    s, got = st.advance(s)  # 2 gets the floor, without a report
    s, got = st.advance(s, passed=True)  # and is passed
    s, changed = st.late_report(s, 2, needs_coordination=False)
    assert changed and [e.actor for e in s.waiting] == [4, 2]
    s, changed = st.late_report(s, 2, needs_coordination=False)  # same report again
    assert not changed
    s, changed = st.late_report(s, 2, needs_coordination=True)  # revised: now needs samverkan
    assert changed and [e.actor for e in s.waiting] == [4, 2] and s.waiting[-1].need


def test_late_report_of_an_actor_who_spoke_or_is_speaking_does_not_requeue():
    s, _ = st.start(fresh(reported=(3, 4)))  # the host (1) speaks without a report
    s, changed = st.late_report(s, 1, needs_coordination=False)
    assert changed and s.current.actor == 1 and s.current.reported
    s, _ = st.advance(s)  # 2 speaks, no report
    s, _ = st.advance(s)  # 2 spoke
    s, changed = st.late_report(s, 2, needs_coordination=False)
    assert changed and [e.actor for e in s.waiting] == [4] and 2 in s.spoke_actors()


def test_late_report_of_an_actor_not_in_the_order_is_added_at_the_end():
    s, _ = st.start(fresh(n=2))
    s, changed = st.late_report(s, 9, needs_coordination=False)
    assert changed and s.waiting[-1].actor == 9 and s.waiting[-1].late


def test_a_long_queue_of_requests_shows_the_next_in_line_and_counts_the_rest():
    from types import SimpleNamespace

    from bot.floor.messages import headline
    from bot.floor.state import REQUEST, SPEAKING, Entry, FloorState
    from bot.render import Renderer

    actors = {i: SimpleNamespace(name=f"Aktör nummer {i} med ett ganska långt namn" * 2) for i in range(200)}
    entries = [Entry(actor=0, status=SPEAKING)] + [Entry(actor=i, kind=REQUEST) for i in range(1, 200)]
    conf = SimpleNamespace(id=1, iso_week=48, kind="ordinary")
    payload = headline(Renderer(), conf, FloorState(tuple(entries)), 1, actors, "Länsstyrelsen")
    text = " ".join(b["text"]["text"] for b in payload["blocks"] if b.get("type") == "section")
    assert "Aktör nummer 1 med" in text  # the next in line is shown ...
    assert "Aktör nummer 199 med" not in text  # ... the last one is counted instead
    assert "till" in text.split("*Begärt ordet:*")[1].split("\n")[0]
