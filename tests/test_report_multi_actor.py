"""A person who is TiB for several actors chooses the actor: in the modal with a select,
in the quick command with the actor's id first."""
from __future__ import annotations

import pytest

from bot.config.region import MemberConfig
from tests.test_report_support import at, input_block, new_view, open_modal, report_of, submit, text_of

MULTI = "U0MULTI01"


@pytest.fixture
def region_cfg(region_cfg):
    extra = (MemberConfig(user=MULTI, actor="polisen", roles=["tib"]),
             MemberConfig(user=MULTI, actor="sos-alarm", roles=["tib"]))
    return region_cfg.model_copy(update={"members": (*region_cfg.members, *extra)})


def test_quick_report_needs_the_actor_named(bot):
    r = bot.slack.slash_command("/lagesbild", "Lugnt.", user_id=MULTI)
    text = r.json()["text"]
    assert "TiB för flera aktörer: polisen (Polisregion Stockholm), sos-alarm (SOS Alarm)" in text
    assert report_of(bot, "polisen") is None and report_of(bot, "sos-alarm") is None

    r = bot.slack.slash_command("/lagesbild", "sos-alarm: Hög belastning i natt.", user_id=MULTI)
    assert "Lägesbild för SOS Alarm inlämnad" in r.json()["text"]
    assert report_of(bot, "sos-alarm", week=48).current.fields == {"lage": "Hög belastning i natt."}
    r = bot.slack.slash_command("/lagesbild", "polisen Lugnt i city.", user_id=MULTI)
    assert "Lägesbild för Polisregion Stockholm inlämnad" in r.json()["text"]
    assert report_of(bot, "polisen", week=48).current.fields == {"lage": "Lugnt i city."}
    r = bot.slack.slash_command("/lagesbild", "inget", user_id=MULTI)
    assert "TiB för flera aktörer" in r.json()["text"]
    r = bot.slack.slash_command("/lagesbild", "polisen: inget nytt", user_id=MULTI)
    assert "”Inget nytt att rapportera” för Polisregion Stockholm" in r.json()["text"]
    assert report_of(bot, "polisen", week=48).nothing_new
    # the other tib of SOS Alarm revises the actor's report: it belongs to the actor
    r = bot.slack.slash_command("/lagesbild", "Belastningen normal igen.", user_id="U0SOS001")
    assert "reviderad: version 2" in r.json()["text"]
    assert [v.submitted_by for v in report_of(bot, "sos-alarm", week=48).versions] == [MULTI, "U0SOS001"]


def test_the_modal_has_an_actor_select_that_refills_the_form(bot):
    bot.slack.slash_command("/lagesbild", "sos-alarm: Driftstörning i telefonin.", user_id=MULTI)
    view = open_modal(bot, MULTI)
    select = next(b for b in view["blocks"] if b.get("block_id") == "actor")["elements"][0]
    assert [o["text"]["text"] for o in select["options"]] == ["Polisregion Stockholm", "SOS Alarm"]
    assert select["initial_option"]["text"]["text"] == "Polisregion Stockholm"
    assert "initial_value" not in input_block(view, "lage")["element"]

    sos = next(o for o in select["options"] if o["text"]["text"] == "SOS Alarm")
    r = bot.slack.block_action(MULTI, "report_actor_select", view=view, selected_option=sos)
    assert r.status_code == 200
    assert bot.emu.wait_for(lambda: "SOS Alarm" in text_of(bot.emu.views[view["id"]])
                            and "Driftstörning" in str(bot.emu.views[view["id"]]["blocks"]), timeout=5)
    updated = bot.emu.views[view["id"]]
    assert input_block(updated, "lage")["element"]["initial_value"] == "Driftstörning i telefonin."
    r = submit(bot, MULTI, updated, lage="Telefonin fungerar igen.")
    assert "Lägesbild för SOS Alarm inlämnad" in text_of(r.json()["view"])
    assert report_of(bot, "sos-alarm", week=48).current.fields == {"lage": "Telefonin fungerar igen."}
    assert report_of(bot, "polisen", week=48) is None


def test_a_reminder_for_each_actor_without_a_report(bot):
    bot.slack.slash_command("/lagesbild", "polisen Lugnt.", user_id=MULTI)
    bot.tick(at(15, 0, 1))
    dms = bot.emu.dms(MULTI)
    assert len(dms) == 1 and "SOS Alarm har ännu inte lämnat någon lägesbild" in text_of(dms[0])
    known = set(bot.emu.views)
    bot.slack.block_action(MULTI, "report_open_modal", message=dms[0])
    view = new_view(bot, known)
    assert "*SOS Alarm*" in text_of(view)
