"""App Home: the viewer's actor, its report status for the week, and a button to report."""
from __future__ import annotations

from tests.test_report_support import new_view, report_of, submit, text_of


def open_home(bot, user: str) -> dict:
    before = (bot.emu.home(user) or {}).get("hash")
    r = bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    assert r.status_code == 200
    assert bot.emu.wait_for(lambda: (bot.emu.home(user) or {}).get("hash") not in (None, before), timeout=5)
    return bot.emu.home(user)


def buttons(view: dict) -> list[dict]:
    return [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_home_shows_the_actor_without_a_report_and_a_button(bot):
    home = open_home(bot, "U0POL001")
    shown = text_of(home)
    assert "Nästa ordinarie konferens: v. 48" in shown  # the week's state is still there
    assert "*Polisregion Stockholm*: :white_large_square: ingen lägesbild ännu till den regionala " \
           "samverkanskonferensen v. 48 (ordinarie läge), torsdag 26 november kl. 16.00." in shown
    assert [b["text"]["text"] for b in buttons(home)] == ["Rapportera lägesbild"]
    assert len(home["blocks"]) <= 100


def test_the_home_button_opens_the_modal_and_the_home_shows_the_report_after(bot):
    home = open_home(bot, "U0STH001")
    known = set(bot.emu.views)
    r = bot.slack.block_action("U0STH001", "report_open_modal", view=home)
    assert r.status_code == 200
    view = new_view(bot, known)
    assert "*Stockholms stad*" in text_of(view)
    before = bot.emu.home("U0STH001")["hash"]
    submit(bot, "U0STH001", view, lage="Snöröjning pågår.")
    assert report_of(bot, "stockholm", week=48) is not None
    # opened from the Home tab: the tab is refreshed after the submission
    assert bot.emu.wait_for(lambda: bot.emu.home("U0STH001")["hash"] != before, timeout=5)
    shown = text_of(bot.emu.home("U0STH001"))
    assert "*Stockholms stad*: lägesbild inlämnad till den regionala samverkanskonferensen v. 48" in shown
    assert "senast torsdag 26 november kl. 08.00" in shown


def test_a_deltagare_sees_the_status_but_has_no_button(bot):
    bot.slack.slash_command("/lagesbild", "inget", user_id="U0TRV001")
    home = open_home(bot, "U0TRV002")
    shown = text_of(home)
    assert "*Trafikverket*: lägesbild inlämnad till den regionala samverkanskonferensen v. 48" in shown
    assert "(inget nytt)" in shown and "Bara aktörens TiB kan rapportera" in shown
    assert buttons(home) == []


def test_someone_outside_the_region_gets_no_report_section(bot):
    home = open_home(bot, "U0OUTSIDER")
    assert "lägesbild ännu" not in text_of(home) and buttons(home) == []
