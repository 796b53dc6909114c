"""Config text is escaped where it is rendered: a region and an actor whose names hold
broadcast mentions go through a whole conference day, and the outbox's last guard
never has to fire (it logs an error when it does)."""
from __future__ import annotations

import logging

import pytest

from tests.hostile import capture_logs
from tests.test_summary_support import add_report, at, atgard, close_conference, open_conference


@pytest.fixture
def region_cfg():
    from bot.config import load_region
    from tests.conftest import REGION_FILE

    cfg = load_region(REGION_FILE)
    actors = [a.model_copy(update={"name": "<!channel> Polisen & <@U0TIB001>"}) if a.id == "polisen" else a
              for a in cfg.actors]
    return cfg.model_copy(update={"actors": actors, "region": "<!here> Stockholm"})


def test_broadcast_in_config_names_is_escaped_where_rendered(bot):
    logs, undo = capture_logs()
    try:
        bot.tick(at(9, 1))  # the kallelse
        conf = open_conference(bot)
        add_report(bot, conf.id, "polisen", {"lage": "Lugnt."})
        atgard(bot, "polisen Ta fram en lägesrapport senast fredag")
        for command, text in (("/lagesbild", "status"), ("/talarordning", ""), ("/samverkan", "status"),
                              ("/atgard", "lista")):
            assert bot.slack.slash_command(command, text, user_id="U0LST001").status_code == 200
        bot.slack.event({"type": "app_home_opened", "user": "U0POL001", "tab": "home"})
        for _ in range(3):  # the floor: "Ordet till …" for the first actors
            bot.slack.slash_command("/talarordning", "nästa", user_id="U0LST001")
        close_conference(bot)
        for command, text in (("/aktivera", "Storm över länet"), ("/aktivera", "fas polisen efterskede"),
                              ("/aktivera", "status"), ("/avaktivera", "Klart")):
            assert bot.slack.slash_command(command, text, user_id="U0LST001").status_code == 200
            bot.drain()
        bot.slack.slash_command("/aktivera", "Begäran", user_id="U0POL001")
        bot.drain()
    finally:
        undo()
    guard = [r for r in logs.records if "broadcast mention" in r.getMessage()]
    assert guard == []
    assert not [m for m in bot.emu.mentions_sent() if m.startswith("<!")]
    posted = str(bot.emu.all_posts())
    assert "&lt;!channel&gt; Polisen &amp; &lt;@U0TIB001&gt;" in posted
    assert "<!channel>" not in posted and "<!here>" not in posted


def test_the_last_guard_logs_an_error_when_it_fires(bot):
    """The guard itself still works: a payload with a broadcast queued straight into the
    outbox (a bug elsewhere) is defused and logged as an error."""
    from bot.slack import outbox

    logs, undo = capture_logs()
    try:
        with bot.ctx.tx() as s:
            outbox.post(s, bot.ctx.now(), bot.cfg.channel, "<!channel> hej", None)
        bot.drain()
    finally:
        undo()
    assert [r for r in logs.records if r.levelno == logging.ERROR and "broadcast mention" in r.getMessage()]
    assert "<!channel>" not in str(bot.emu.messages(bot.cfg.channel))
