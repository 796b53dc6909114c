"""Display names from Slack's users.info (through the emulator), cached a day; when Slack
cannot answer, a cached name is kept, and without one the id is returned unknown."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.db.base import make_session_factory
from bot.people import service
from bot.people.models import Person
from bot.slack.client import make_web_client
from bot.slack.users import name_lookup

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)


def _calls(emu) -> int:
    with emu.state.lock:
        return sum(1 for c in emu.state.calls if c[0] == "users.info")


def test_names_are_cached_for_a_day_and_survive_slack_being_down(engine, emu):
    emu.add_user("U0NAME01", name="anna.k", real_name="Anna Karlsson")
    lookup = name_lookup(make_web_client("xoxb-test-token", emu.api_url))
    sf = make_session_factory(engine)
    with sf.begin() as s:
        got = service.names(s, ["U0NAME01", "U0GONE01", "U0NAME01", ""], NOW, lookup)
    assert got["U0NAME01"].name == "anna.k" and got["U0GONE01"].name is None and not got["U0GONE01"].known
    asked = _calls(emu)
    assert asked == 2
    with sf.begin() as s:  # within the day: from the cache, Slack is not asked (the unknown one is asked again)
        assert service.names(s, ["U0NAME01"], NOW + timedelta(hours=23), lookup)["U0NAME01"].name == "anna.k"
    assert _calls(emu) == asked
    emu.add_user("U0NAME01", name="anna.karlsson")
    with sf.begin() as s:  # older than a day: asked again, renamed
        assert service.names(s, ["U0NAME01"], NOW + timedelta(hours=25), lookup)["U0NAME01"].name == "anna.karlsson"
    emu.set_down(True)
    try:
        with sf.begin() as s:  # Slack down: the cached name is still used
            later = service.names(s, ["U0NAME01", "U0NEW001"], NOW + timedelta(days=3), lookup)
    finally:
        emu.set_down(False)
    assert later["U0NAME01"].name == "anna.karlsson" and later["U0NEW001"].name is None
    with sf() as s:
        assert s.get(Person, "U0NAME01").fetched_at == NOW + timedelta(days=3)
        assert service.names(s, ["U0NAME01"], NOW, None)["U0NAME01"].name == "anna.karlsson"  # cache only
