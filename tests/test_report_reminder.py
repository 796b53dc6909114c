"""The reminder at `conference.reminder`: one DM per tib member of each actor with no
report, with a button that opens the modal; nothing to those that reported."""
from __future__ import annotations

import json

from tests.test_report_support import at, conference, new_view, report_of, submit, text_of


def test_reminder_reaches_only_actors_without_a_report(bot):
    bot.tick(at(9, 0, 1))  # kallelse
    bot.slack.slash_command("/lagesbild", "Lugnt.", user_id="U0POL001")
    bot.slack.slash_command("/lagesbild", "inget", user_id="U0SOS001")  # inget nytt counts as reported
    bot.tick(at(15, 0, 1))
    for reported in ("U0POL001", "U0SOS001"):
        assert bot.emu.dms(reported) == []
    for tib in ("U0LST001", "U0SSB001", "U0RST001", "U0TRV001", "U0STH001", "U0TYR001"):
        dms = bot.emu.dms(tib)
        assert len(dms) == 1, tib
        assert "Påminnelse: lägesbild saknas" in text_of(dms[0])
        assert "den regionala samverkanskonferensen v. 48 (ordinarie läge), torsdag 26 november kl. 16.00" in text_of(dms[0])
    # members without the tib role get nothing (U0LST002 koordinator, U0TRV002 deltagare)
    assert bot.emu.dms("U0LST002") == [] and bot.emu.dms("U0TRV002") == []
    bot.tick(at(15, 10))
    assert len(bot.emu.dms("U0TYR001")) == 1  # once


def test_the_reminder_button_opens_the_modal_for_that_conference(bot):
    bot.tick(at(15, 0, 1))
    dm = bot.emu.dms("U0TYR001")[0]
    button = next(e for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert button["text"]["text"] == "Rapportera lägesbild"
    assert json.loads(button["value"]) == {"a": "tyreso", "c": conference(bot, 48).id}
    known = set(bot.emu.views)
    r = bot.slack.block_action("U0TYR001", "report_open_modal", message=dm)
    assert r.status_code == 200
    view = new_view(bot, known)
    assert "*Tyresö kommun*" in text_of(view) and "v. 48" in text_of(view)
    r = submit(bot, "U0TYR001", view, lage="Vattenläcka i centrum, åtgärdad.")
    assert "inlämnad till den regionala samverkanskonferensen v. 48" in text_of(r.json()["view"])
    assert report_of(bot, "tyreso", week=48).current.fields == {"lage": "Vattenläcka i centrum, åtgärdad."}


def test_someone_else_pressing_the_button_is_told_why_not(bot):
    bot.tick(at(15, 0, 1))
    dm = bot.emu.dms("U0TYR001")[0]
    known = set(bot.emu.views)
    bot.slack.block_action("U0POL001", "report_open_modal", message=dm)  # a forwarded button
    view = new_view(bot, known, callback_id="report_modal_done")
    assert "Du är inte TiB för Tyresö kommun" in text_of(view)
    assert report_of(bot, "tyreso") is None
