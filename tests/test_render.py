"""Templates escape every value unless the bot built it; dates are Swedish."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.render import Renderer
from bot.slack.text import SlackSafe, defuse_broadcasts, escape, link, user_mention


@pytest.fixture
def r():
    return Renderer("sv", "Europe/Stockholm")


def test_user_text_is_escaped_by_default(r):
    out = r.env.from_string("{{ x }}").render(x="<!channel> <@U123> <https://evil|klick> & co")
    assert out == "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|klick&gt; &amp; co"


def test_bot_built_mentions_and_links_pass(r):
    out = r.env.from_string("{{ m }} {{ l }}").render(m=user_mention("U0POL001"), l=link("https://a.se/x", "<b>"))
    assert out == "<@U0POL001> <https://a.se/x|&lt;b&gt;>"


def test_user_mention_refuses_anything_but_a_user_id():
    for bad in ("!channel", "U1> <!here", "here"):
        with pytest.raises(ValueError):
            user_mention(bad)


def test_escape_is_idempotent_only_for_safe_text():
    assert escape(SlackSafe("<@U1>")) == "<@U1>"
    assert escape("a<b") == "a&lt;b"


def test_swedish_dates_and_times_in_stockholm(r):
    when = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)
    assert r.fmt_date(when) == "torsdag 26 november 2026"
    assert r.fmt_time(when) == "16.00"
    assert r.fmt_date(date(2026, 7, 2)) == "torsdag 2 juli 2026"
    summer = datetime(2026, 7, 2, 14, 0, tzinfo=timezone.utc)
    assert r.fmt_time(summer) == "16.00"  # CEST


def test_defuse_broadcasts_in_blocks():
    payload, found = defuse_broadcasts({"text": "ok", "blocks": [{"type": "section", "text": {
        "type": "mrkdwn", "text": "<!here> och <!everyone> och <!channel|kanal>"}}]})
    assert found
    assert "<!" not in str(payload)


def test_unknown_string_key_is_an_error(r):
    with pytest.raises(KeyError):
        r.t("no_such_key")
