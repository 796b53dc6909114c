"""Leading the conference over signed HTTP against the emulator: the agenda, close
control (warning, Förläng 15 min, Avsluta nu, förläng, avsluta), the joint analysis, notes
and the shortcut Till protokollet, trade-offs with Uppfattat, questions with Svara,
and Avböj on action items, with their refusals."""
from __future__ import annotations

from sqlalchemy import select

from bot.agenda.models import AgendaPoint
from bot.conference.models import CLOSED, OPEN, Conference
from tests.test_leading_support import (HOST_TIB, LEADER, POLICE, TRV, TRV_DELTAGARE, at, close_conference, find,
                                        latest, open_conference, open_samverkan_modal, press, samverkan, submit,
                                        text_of, thread)


def _status(bot, conf_id: int) -> str:
    with bot.ctx.sf() as s:
        return s.get(Conference, conf_id).status


# ---- agenda ---------------------------------------------------------------------------------

def test_a_non_leader_cannot_set_the_agenda(bot):
    assert "Bara mötesledaren" in samverkan(bot, "dagordning", POLICE)
    assert not [v for v in bot.emu.views.values() if v.get("callback_id") == "agenda_modal"]


def test_the_leader_sets_the_agenda_the_day_before_and_those_asked_to_prepare_get_a_dm(bot):
    bot.clock.set(at(14, 0, day=25))
    view = open_samverkan_modal(bot, "dagordning", "agenda_modal")
    shown = text_of(view)
    assert "konferensen v. 48" in shown and "upp till 10 punkter" in shown
    titles = [b["element"].get("initial_value") for b in view["blocks"] if b.get("block_id", "").endswith("_title")]
    assert titles[:6] == ["Syfte och dagordning", "Rapportering i talarordning", "Kommunikation",
                          "Samlad lägesbild och gemensam analys", "Åtgärder och uppföljning", "Nästa steg"]
    # a purpose without a title is refused beside the title, and nothing is stored
    body = submit(bot, LEADER, view, p7_purpose="Utan rubrik")
    assert body["response_action"] == "errors" and "p7_title" in body["errors"]
    body = submit(bot, LEADER, view, p1_title="Vinterväglag <!channel>", p1_kind="diskussion",
                  p1_purpose="Läget på vägarna inför helgen", p1_prepare=["trafikverket", "polisen"],
                  p2_title="", p2_purpose="", p3_title="", p3_purpose="", p4_title="", p4_purpose="",
                  p5_title="Överenskommelse om budskap", p5_kind="överenskommelse", p6_title="")
    assert body["response_action"] == "update"
    confirmation = text_of(body["view"])
    assert "Dagordningen för konferensen v. 48 är sparad (2 punkter)" in confirmation
    assert "Polisregion Stockholm, Trafikverket" in confirmation
    with bot.ctx.sf() as s:
        rows = s.scalars(select(AgendaPoint).order_by(AgendaPoint.position)).all()
        assert [(p.title, p.kind, p.prepare) for p in rows] == [
            ("Vinterväglag <!channel>", "diskussion", ["polisen", "trafikverket"]),
            ("Överenskommelse om budskap", "överenskommelse", [])]
    dm = text_of(bot.emu.dms(TRV)[-1])
    assert "*Trafikverket* ombeds förbereda en punkt till konferensen v. 48" in dm
    assert "Vinterväglag &lt;!channel&gt;" in dm and "torsdag 26 november 2026 (kl. 16.00)" not in dm
    assert bot.emu.dms(POLICE) and not bot.emu.dms(TRV_DELTAGARE)  # the TiBs are told, not every member
    assert "<!channel>" not in "".join(bot.emu.mentions_sent())


# ---- close control -----------------------------------------------------------------------------

def test_the_close_warning_extension_and_close_now(bot):
    conf = open_conference(bot)
    assert "Skriv antal minuter" in samverkan(bot, "förläng en stund")
    assert "Bara mötesledaren" in samverkan(bot, "förläng 10", POLICE)
    bot.tick(at(16, 49))
    assert not [m for m in thread(bot, conf) if "stänger" in (m.get("text") or "")]
    bot.tick(at(16, 50))
    warning = find(thread(bot, conf), "Konferensen stänger *kl. 17.00*, om 10 min")
    assert "aktörer har inte fått ordet än" in text_of(warning)
    assert "Bara mötesledaren" in press(bot, POLICE, warning, "close_extend")
    assert "förlängd med 15 min och stänger kl. 17.15" in press(bot, LEADER, warning, "close_extend")
    settled = latest(bot, warning)
    assert "Förlängd av <@U0LST002>: konferensen stänger kl. 17.15" in text_of(settled)
    assert not [b for b in settled["blocks"] if b["type"] == "actions"]
    assert "stänger nu *kl. 17.15*" in text_of(thread(bot, conf)[-1])
    bot.tick(at(17, 1))  # the scheduled close: extended, so still open
    assert _status(bot, conf.id) == OPEN
    assert "förlängd med 5 min och stänger kl. 17.20" in samverkan(bot, "förläng 5", HOST_TIB)
    bot.tick(at(17, 10))
    second = find(thread(bot, conf), "Konferensen stänger *kl. 17.20*")
    assert "Konferensen v. 48 är avslutad" in press(bot, LEADER, second, "close_now")
    assert _status(bot, conf.id) == CLOSED
    assert "avslutad av <@U0LST002>" in text_of(latest(bot, second))
    assert [m for m in thread(bot, conf) if (m.get("text") or "").startswith("Samlad lägesbild v. 48")]
    bot.tick(at(17, 21))  # the extended close finds it closed: nothing more
    assert len([m for m in thread(bot, conf) if (m.get("text") or "").startswith("Samlad lägesbild v. 48")]) == 1
    assert "Ingen konferens är öppen" in samverkan(bot, "avsluta")


def test_an_extended_conference_closes_at_its_new_time_and_avsluta_closes_now(bot):
    conf = open_conference(bot)
    samverkan(bot, "förläng")  # 15 minutes
    bot.tick(at(17, 1))
    assert _status(bot, conf.id) == OPEN
    bot.tick(at(17, 15))
    assert _status(bot, conf.id) == CLOSED
    conf2 = open_conference(bot, day=3, month=12)
    assert "Bara mötesledaren" in samverkan(bot, "avsluta", TRV)
    assert "Konferensen v. 49 är avslutad" in samverkan(bot, "avsluta")
    assert _status(bot, conf2.id) == CLOSED
