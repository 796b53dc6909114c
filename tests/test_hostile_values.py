"""Values with sane bounds, the same on both databases: due dates, NUL bytes, and stored
values that must not stop the scheduler or start-up."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, select

from bot.actions.models import ActionItem
from bot.region.models import Actor
from tests.hostile import capture_logs, row_counts
from tests.test_summary_support import at


def _atgard(bot, text: str, user: str = "U0LST001") -> str:
    r = bot.slack.slash_command("/atgard", text, user_id=user, channel_id=bot.cfg.channel)
    assert r.status_code == 200, r.text
    bot.drain()
    return r.json()["text"]


def test_due_dates_beyond_two_years_or_in_the_past_are_refused(bot):
    before = row_counts(bot)
    assert "mer än två år" in _atgard(bot, "polisen Rapportera senast 9999-12-31")
    assert "mer än två år" in _atgard(bot, "polisen Rapportera senast 2029-01-01")
    assert "redan passerat" in _atgard(bot, "polisen Rapportera senast 2026-01-01")
    assert "finns inte" in _atgard(bot, "polisen Rapportera senast 0000-01-01")
    assert row_counts(bot) == before
    assert "#1" in _atgard(bot, "polisen Rapportera senast 2028-11-01")  # within two years: accepted


def test_nul_and_control_characters_are_stored_the_same_on_both_databases(bot):
    answer = _atgard(bot, "polisen Kolla\x00 larm\x07 nu")
    assert "#1" in answer
    with bot.ctx.sf() as s:
        assert s.scalars(select(ActionItem.text)).one() == "Kolla larm nu"


def _insert_item(bot, due: date, text: str) -> int:
    with bot.ctx.tx() as s:
        actor = s.scalars(select(Actor).where(Actor.region_id == bot.ctx.region_id, Actor.key == "polisen")).one()
        item = ActionItem(region_id=bot.ctx.region_id, owner_actor_id=actor.id, text=text, due=due,
                          created_by="U0LST001", created_at=datetime(2026, 11, 20, 8, tzinfo=timezone.utc))
        s.add(item)
        s.flush()
        return item.id


def test_a_stored_due_date_of_9999_12_31_does_not_stop_the_scheduler(bot):
    _insert_item(bot, date(9999, 12, 31), "Orimligt datum")
    good = _insert_item(bot, date(2026, 11, 25), "Försenad")  # overdue: its reminder is due at 09.00 on the 26th
    logs, undo = capture_logs()
    try:
        first = bot.tick(at(9, 1))
        second = bot.tick(at(9, 2))
        bot.rt.scheduler.start()  # start-up plans the coming week: must not raise either
        bot.rt.scheduler.shutdown()
    finally:
        undo()
    kinds = {getattr(t, "kind", None) for t, _ in first}
    assert f"action:{good}:overdue" in kinds and "call_for_reports" in {str(getattr(t, "kind", "")) for t, _ in first}
    assert second == []
    errors = [r for r in logs.records if r.levelno >= 40]
    assert len(errors) == 1 and "action item" in errors[0].getMessage()  # logged once, not at every tick
    assert bot.emu.dms("U0POL001")  # the overdue reminder reached the owner


def test_strict_value_parsers_refuse_anything_the_bot_did_not_write():
    import pytest

    from bot import values
    from bot.reply import Refusal

    assert values.record_id("42") == 42 and values.record_id(7) == 7
    assert values.json_value('{"a": 3, "c": null}', a=int, c="int?") == {"a": 3, "c": None}
    assert values.choice("2", {"1", "2"}) == "2"
    assert values.bounded_int("15", 1, 240) == 15
    refused = [
        lambda: values.record_id("9" * 30), lambda: values.record_id("-1"), lambda: values.record_id("0"),
        lambda: values.record_id(2**31), lambda: values.record_id(True), lambda: values.record_id(None),
        lambda: values.record_id("1e3"), lambda: values.record_id(" 4"), lambda: values.record_id("٤"),
        lambda: values.json_value("", a=int), lambda: values.json_value("not json", a=int),
        lambda: values.json_value("[1]", a=int), lambda: values.json_value("null", a=int),
        lambda: values.json_value('{"a": "4"}', a=int), lambda: values.json_value('{"a": 4, "b": 1}', a=int),
        lambda: values.json_value('{"a": ' + "[" * 5000 + "]" * 5000 + "}", a=int),
        lambda: values.metadata({"private_metadata": '{"a": null}'}, a=int), lambda: values.metadata(None, a=int),
        lambda: values.choice("abc", {"1", "2"}), lambda: values.choice(None, {"1"}),
        lambda: values.bounded_int("241", 1, 240), lambda: values.bounded_int("x", 1, 240),
    ]
    for case in refused:
        with pytest.raises(Refusal) as e:
            case()
        assert e.value.key == "bad_value"


def test_clean_removes_what_postgresql_cannot_store():
    from bot.values import clean, clean_tree

    assert clean("a\x00b\x07c\td\ne\ud800f") == "abc\td\nef"
    deep = {"a": ["x\x00", {"b": "y\x00"}], "c": 1}
    assert clean_tree(deep) == {"a": ["x", {"b": "y"}], "c": 1}


def test_deactivation_comment_and_activation_reason_lengths_are_checked(bot):
    from bot.conference.models import Conference

    def say(command: str, text: str) -> str:
        r = bot.slack.slash_command(command, text, user_id="U0LST001", channel_id=bot.cfg.channel)
        assert r.status_code == 200
        bot.drain()
        return r.json()["text"]

    assert "för lång" in say("/aktivera", "x" * 1501)
    say("/aktivera", "Storm\x00 över länet")
    assert "för lång" in say("/avaktivera", "y" * 1501)
    with bot.ctx.sf() as s:
        conf = s.scalars(select(Conference).where(Conference.kind == "activated")).one()
        assert conf.status == "open" and conf.reason == "Storm över länet"
    say("/avaktivera", "Klart\x00 nu")  # the NUL that PostgreSQL refuses is gone before it is stored
    with bot.ctx.sf() as s:
        conf = s.scalars(select(Conference).where(Conference.kind == "activated")).one()
        assert conf.status != "open" and conf.closing_comment == "Klart nu"
