"""The lägesbild modal over signed HTTP: opened at once, filled in from the last report,
validation errors on the field, submission, revision, and a conference that closed meanwhile."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from bot.report import fields as F
from tests.test_report_support import (STHLM, at, conference, counts, input_block, open_modal, replies_from, report_of,
                                       submit, text_of)

FIELD_LABELS = ["Läge nu", "Inträffade händelser sedan förra konferensen", "Kommande händelser",
                "Konsekvenser och risker", "Vidtagna åtgärder och resurser", "Behov av samverkan/samordning",
                "Kommunikation (budskap, media)"]


def test_the_modal_has_every_field_the_secrecy_note_and_inget_nytt(bot):
    view = open_modal(bot, "U0POL001")
    opened = [c for c in bot.emu.calls if c.method == "views.open"]
    assert len(opened) == 1 and opened[0].ok
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == ["Inget nytt att rapportera", "Status", *FIELD_LABELS]
    for key in F.FIELDS:
        element = input_block(view, key)["element"]
        assert element["type"] == "plain_text_input" and element["max_length"] == 3000
        assert "initial_value" not in element  # the actor has never reported
    assert [o["value"] for o in input_block(view, "status")["element"]["options"]] == ["normal", "påverkad",
                                                                                       "allvarlig"]
    for block in view["blocks"]:  # Slack: option text and description at most 75 characters
        for option in (block.get("element") or {}).get("options", []):
            assert len(option["text"]["text"]) <= 75 and len(option.get("description", {}).get("text", "")) <= 75
    shown = text_of(view)
    assert "sekretessbelagd" in shown and "Polisregion Stockholm" in shown
    assert "den regionala samverkanskonferensen v. 48 (ordinarie läge), torsdag 26 november kl. 16.00" in shown
    assert len(view["private_metadata"]) <= 3000
    meta = json.loads(view["private_metadata"])
    assert meta["c"] is None  # week 48's conference does not exist yet: resolved when submitted


def test_submit_stores_the_fields_and_confirms_in_the_modal(bot):
    view = open_modal(bot, "U0POL001")
    r = submit(bot, "U0POL001", view, lage="Ökat antal inbrott i söderort.", kommande="Derby på söndag.",
               behov="Gemensamt budskap om halka.", status="påverkad")
    body = r.json()
    assert body["response_action"] == "update"
    confirmation = text_of(body["view"])
    assert ("Lägesbild för Polisregion Stockholm inlämnad till den regionala samverkanskonferensen v. 48 "
            "(ordinarie läge), torsdag 26 november kl. 16.00.") in confirmation
    report = report_of(bot, "polisen", week=48)
    assert report.current.fields == {"lage": "Ökat antal inbrott i söderort.", "kommande": "Derby på söndag.",
                                     "behov": "Gemensamt budskap om halka."}
    assert report.current.status == "påverkad" and report.needs_coordination and not report.nothing_new

    bot.tick(at(16, 0, 1))
    shown = text_of(replies_from(bot, conference(bot, 48), "Polisregion Stockholm")[0])
    for expected in ("*Läge nu*\nÖkat antal inbrott i söderort.", "*Kommande händelser*\nDerby på söndag.",
                     "Status: *Påverkad*", "Behov av samverkan/samordning"):
        assert expected in shown, expected
    assert "Konsekvenser och risker" not in shown  # empty fields are left out


def test_validation_errors_are_shown_on_the_field_and_store_nothing(bot):
    view = open_modal(bot, "U0POL001")
    r = submit(bot, "U0POL001", view, lage="   ")
    assert r.status_code == 200
    body = r.json()
    assert body["response_action"] == "errors"
    assert body["errors"] == {"lage": "Fyll i minst ett fält, eller kryssa i ”Inget nytt att rapportera”."}
    assert counts(bot) == (0, 0)
    # a field over max_length never leaves Slack's client (max_length is set on every field)
    with pytest.raises(ValueError, match="max_length 3000"):
        submit(bot, "U0POL001", view, lage="x" * 3001)
    assert counts(bot) == (0, 0)


def test_inget_nytt_in_the_modal(bot):
    view = open_modal(bot, "U0TYR001")
    r = submit(bot, "U0TYR001", view, nothing_new=True)
    assert "”Inget nytt att rapportera” för Tyresö kommun" in text_of(r.json()["view"])
    assert report_of(bot, "tyreso", week=48).nothing_new


def test_the_modal_is_filled_in_from_the_last_report_and_a_revision_edits_the_thread_message(bot):
    view = open_modal(bot, "U0SSB001")
    submit(bot, "U0SSB001", view, lage="Brand i flerbostadshus, släckt.", atgarder="Tre stationer larmade.",
           status="normal")
    bot.tick(at(16, 0, 1))
    bot.tick(at(17, 0, 1))  # week 48 closes; the next report goes to week 49
    view = open_modal(bot, "U0SSB001")
    assert input_block(view, "lage")["element"]["initial_value"] == "Brand i flerbostadshus, släckt."
    assert input_block(view, "atgarder")["element"]["initial_value"] == "Tre stationer larmade."
    assert input_block(view, "status")["element"]["initial_option"]["value"] == "normal"
    assert "Ifyllt från aktörens senaste lägesbild (v. 48)" in text_of(view)
    assert "v. 49" in text_of(view)

    # during week 49's conference: submit, then revise in the modal: one message, edited
    bot.tick(datetime(2026, 12, 3, 16, 0, 1, tzinfo=STHLM))
    week49 = conference(bot, 49)
    assert week49.status == "open"
    r = submit(bot, "U0SSB001", open_modal(bot, "U0SSB001"), lage="Lugnt, inga större insatser.")
    assert "finns i konferensens tråd" in text_of(r.json()["view"])
    bot.drain()
    first = replies_from(bot, week49, "Storstockholms brandförsvar")
    assert len(first) == 1
    view = open_modal(bot, "U0SSB001")
    assert input_block(view, "lage")["element"]["initial_value"] == "Lugnt, inga större insatser."
    r = submit(bot, "U0SSB001", view, lage="Lugnt, inga större insatser. Sent: gräsbrand i Järfälla.")
    assert "reviderad: version 2" in text_of(r.json()["view"])
    bot.drain()
    after = replies_from(bot, week49, "Storstockholms brandförsvar")
    assert [m["ts"] for m in after] == [m["ts"] for m in first]
    assert "gräsbrand i Järfälla" in text_of(after[0]) and "version 2" in text_of(after[0])


def test_a_modal_for_a_conference_that_closed_meanwhile_goes_to_the_next_and_says_so(bot):
    bot.tick(at(16, 0, 1))
    view = open_modal(bot, "U0RST001")  # opened during week 48's conference ...
    assert json.loads(view["private_metadata"])["c"] == conference(bot, 48).id
    bot.tick(at(17, 0, 1))  # ... which closes before the submission
    r = submit(bot, "U0RST001", view, lage="Hög beläggning på akutmottagningarna.")
    shown = text_of(r.json()["view"])
    assert "Den regionala samverkanskonferensen v. 48 (ordinarie läge)" in shown and "hann avslutas" in shown
    assert "inlämnad till den regionala samverkanskonferensen v. 49" in shown
    assert report_of(bot, "region-stockholm", week=49) is not None
    assert report_of(bot, "region-stockholm", week=48) is None


def test_a_refused_submission_stores_nothing(bot):
    view = open_modal(bot, "U0POL001")
    # the same modal submitted by others (as a forged payload would be): re-authorised on submit
    r = submit(bot, "U0TRV002", view, lage="Jag är deltagare.")
    assert "Bara aktörens TiB" in text_of(r.json()["view"])
    r = submit(bot, "U0SOS001", view, lage="Jag är TiB för SOS Alarm.")
    assert "Du är inte TiB för Polisregion Stockholm" in text_of(r.json()["view"])
    assert counts(bot) == (0, 0)


def test_in_activated_mode_the_modal_goes_to_the_activated_conference_unless_ordinarie(bot):
    from tests.test_report_support import open_activated

    conf = open_activated(bot, number=3)
    view = open_modal(bot, "U0STH001")
    assert "lägesbild till aktiverat läge nr 3" in text_of(view)
    r = submit(bot, "U0STH001", view, lage="Skolor stängda i morgon.", status="allvarlig")
    assert "inlämnad till aktiverat läge nr 3" in text_of(r.json()["view"])
    bot.drain()
    shown = text_of(replies_from(bot, conf, "Stockholms stad")[0])
    assert "Skolor stängda i morgon." in shown and ":red_circle: Status: *Allvarlig*" in shown
    assert "AKTIVERAT LÄGE nr 3 · inlämnad" in shown

    view = open_modal(bot, "U0STH001", "ordinarie")
    assert "den regionala samverkanskonferensen v. 48 (ordinarie läge)" in text_of(view)
    # filled in from the activated report just sent: the latest of the actor
    assert input_block(view, "lage")["element"]["initial_value"] == "Skolor stängda i morgon."
    r = submit(bot, "U0STH001", view, lage="Ordinarie vecka i övrigt.")
    assert "inlämnad till den regionala samverkanskonferensen v. 48" in text_of(r.json()["view"])
    assert report_of(bot, "stockholm", week=48).current.fields == {"lage": "Ordinarie vecka i övrigt."}
