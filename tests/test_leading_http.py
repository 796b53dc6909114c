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


# ---- the joint analysis ----------------------------------------------------------------------------

def test_the_analysis_is_the_leaders_and_is_prefilled_and_editable_after_the_close(bot):
    from bot.analysis.models import Analysis
    from tests.test_report_support import new_view

    assert "Bara mötesledaren" in samverkan(bot, "analys", POLICE)
    conf = open_conference(bot)
    view = open_samverkan_modal(bot, "analys", "analysis_modal")
    assert [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"] == [
        "Gemensam analys", "Överenskommet (målbild, åtgärdsplan)", "Nästa steg"]
    body = submit(bot, LEADER, view, analysis="", agreed="", next_steps="")
    assert body["response_action"] == "errors" and "analysis" in body["errors"]
    body = submit(bot, LEADER, view, analysis="Halkan ger flera följdhändelser.", agreed="Gemensamt budskap om halka.",
                  next_steps="Avstämning fredag kl. 09.00.")
    assert "Den gemensamma analysen för konferensen v. 48 är sparad" in text_of(body["view"])
    again = open_samverkan_modal(bot, "analys", "analysis_modal", HOST_TIB)
    assert next(b for b in again["blocks"] if b.get("block_id") == "agreed")["element"]["initial_value"] == \
        "Gemensamt budskap om halka."
    close_conference(bot)
    known = set(bot.emu.views)
    samverkan(bot, "analys")
    after = new_view(bot, known, "analysis_modal")
    assert "publiceras på nytt" in text_of(after)
    body = submit(bot, LEADER, after, next_steps="Nästa konferens torsdag v. 49.")
    assert "publicerad på nytt i tråden" in text_of(body["view"])
    with bot.ctx.sf() as s:
        row = s.get(Analysis, conf.id)
        assert (row.agreed, row.next_steps) == ("Gemensamt budskap om halka.", "Nästa konferens torsdag v. 49.")
    summaries = [m for m in thread(bot, conf) if (m.get("text") or "").startswith("Samlad lägesbild v. 48")]
    assert len(summaries) == 2


# ---- the record ------------------------------------------------------------------------------------

def test_notera_and_the_shortcut_till_protokollet(bot):
    from samverkan_emulator.client import message_shortcut

    from bot.record.models import Note

    assert "Skriv anteckningen" in samverkan(bot, "notera", POLICE)
    assert "inte medlem" in samverkan(bot, "notera Något", "U0OUTSIDER")
    conf = open_conference(bot)
    assert "Antecknat till protokollet för konferensen v. 48" in samverkan(bot, "notera Polisen & SOS samordnar <@U0TRV001>", POLICE)
    noted = find(thread(bot, conf), "Till protokollet")
    assert "Polisen &amp; SOS samordnar" in text_of(noted)
    root = thread(bot, conf)[0]
    said = bot.emu.post_as_user(conf.channel, TRV, "E4 stängs i natt mellan 22 och 05.", thread_ts=root["ts"])
    elsewhere = bot.emu.post_as_user(conf.channel, TRV, "Något i kanalen")

    def shortcut(user, message):
        before = len(bot.emu.response_posts)
        r = message_shortcut(bot.slack, user, "till_protokollet", message)
        assert r.status_code == 200, r.text
        bot.drain()
        assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) > before)
        return bot.emu.response_posts[-1]["json"]["text"]

    assert "Antecknat till protokollet" in shortcut(LEADER, said)
    assert "redan i protokollet" in shortcut(POLICE, said)
    assert "fungerar på meddelanden i en samverkanskonferens tråd" in shortcut(LEADER, elsewhere)
    assert "inte medlem" in shortcut("U0OUTSIDER", said)
    with bot.ctx.sf() as s:
        notes = s.scalars(select(Note).order_by(Note.id)).all()
        assert [(n.text, n.author, n.noted_by) for n in notes] == [
            ("Polisen & SOS samordnar @U0TRV001", POLICE, POLICE),
            ("E4 stängs i natt mellan 22 och 05.", TRV, LEADER)]


# ---- trade-offs --------------------------------------------------------------------------------------

def test_a_trade_off_is_acknowledged_per_actor(bot):
    assert "ingen konferens är öppen" in samverkan(bot, "avvägning Stänga E4 i natt")
    conf = open_conference(bot)
    assert "Bara mötesledaren" in samverkan(bot, "avvägning Stänga E4 i natt", POLICE)
    assert "Avvägningen är lagd i tråden" in samverkan(bot, "avvägning Vi prioriterar framkomlighet för blåljus före kollektivtrafik")
    msg = find(thread(bot, conf), "*Avvägning*")
    assert "Inte uppfattat än* (37)" in text_of(msg)
    assert press(bot, TRV_DELTAGARE, msg, "tradeoff_ack") == ""
    shown = text_of(latest(bot, msg))
    assert "*Uppfattat* (1): Trafikverket" in shown and "Inte uppfattat än* (36)" in shown
    assert "Trafikverket har redan uppfattat avvägningen (<@U0TRV002>)" in press(bot, TRV, msg, "tradeoff_ack")
    assert "inte medlem" in press(bot, "U0OUTSIDER", msg, "tradeoff_ack")
    press(bot, POLICE, msg, "tradeoff_ack")
    assert "*Uppfattat* (2): Trafikverket, Polisregion Stockholm" in text_of(latest(bot, msg))


# ---- questions -----------------------------------------------------------------------------------------

def test_a_question_to_another_actor_is_answered_by_dm_and_in_the_open_thread(bot):
    from tests.test_leading_support import press_for_modal

    assert "Hittar ingen aktör" in samverkan(bot, "fråga vägverket Hur är läget?", POLICE)
    assert "Skriv `/samverkan fråga" in samverkan(bot, "fråga trafikverket", POLICE)
    assert "Frågan är skickad till Trafikverket (1 person)" in samverkan(
        bot, "fråga trafikverket Hur länge är E4 avstängd vid Hallunda?", POLICE)
    dm = bot.emu.dms(TRV)[-1]
    assert "Fråga till Trafikverket* från <@U0POL001> (Polisregion Stockholm)" in text_of(dm)
    assert not bot.emu.dms(TRV_DELTAGARE)
    assert "Frågan är ställd till Trafikverket" in press(bot, POLICE, dm, "question_answer")
    conf = open_conference(bot)  # the question is unanswered at the opening
    view = press_for_modal(bot, TRV_DELTAGARE, dm, "question_answer", "question_answer_modal")
    body = submit(bot, TRV_DELTAGARE, view, answer="Till kl. 05 i morgon.")
    assert "Svaret är skickat till <@U0POL001>" in text_of(body["view"])
    answer = text_of(bot.emu.dms(POLICE)[-1])
    assert "*Trafikverket svarar* (<@U0TRV002>)" in answer and "Till kl. 05 i morgon." in answer
    assert find(thread(bot, conf), "Trafikverket svarar")
    edited = latest(bot, dm)
    assert "*Besvarad* av <@U0TRV002>" in text_of(edited) and not [b for b in edited["blocks"] if b["type"] == "actions"]
    assert "redan besvarad" in press(bot, TRV, dm, "question_answer")


# ---- declining an action item ------------------------------------------------------------------------------

def test_only_the_owning_actor_declines_an_item_with_a_reason(bot):
    from bot.actions.models import ActionItem
    from tests.test_leading_support import press_for_modal
    from tests.test_summary_support import atgard, item_message

    conf = open_conference(bot)
    atgard(bot, "trafikverket Skylta om omledning vid Hallunda senast fredag")
    msg = item_message(bot, 1)
    assert "Avböj" in text_of(msg)
    assert "Bara Trafikverket kan avböja" in press(bot, POLICE, msg, "action_decline")
    view = press_for_modal(bot, TRV_DELTAGARE, msg, "action_decline", "action_decline_modal")
    body = submit(bot, TRV_DELTAGARE, view, reason="")
    assert body["response_action"] == "errors" and "reason" in body["errors"]
    body = submit(bot, TRV_DELTAGARE, view, reason="Kommunens ansvar: vägen är kommunal.")
    assert "Åtgärdspunkt #1 är avböjd" in text_of(body["view"])
    shown = text_of(latest(bot, msg))
    assert "*Avböjd* av <@U0TRV002> för Trafikverket, torsdag 26 november 2026 kl. 16.01" in shown
    assert "Kommunens ansvar: vägen är kommunal." in shown
    assert not [b for b in latest(bot, msg)["blocks"] if b["type"] == "actions"]
    with bot.ctx.sf() as s:
        assert s.get(ActionItem, 1).status == "declined"
    assert "redan avböjd" in press(bot, TRV, msg, "action_decline")
    assert conf


# ---- the samlad lägesbild -------------------------------------------------------------------------------

def test_the_summary_leads_with_the_analysis_and_holds_the_record_and_ej_horda_apart_from_franvarande(bot):
    from bot.floor.messages import NEXT, SKIP
    from tests.test_summary_support import add_report

    conf = open_conference(bot)
    add_report(bot, conf.id, "sos-alarm", nothing_new=True)

    def headline():
        return next(m for m in thread(bot, conf) if any(b.get("block_id", "").startswith("floor:")
                                                          for b in m.get("blocks") or []))

    press(bot, LEADER, headline(), NEXT)  # the host spoke; Polisen has the floor
    press(bot, LEADER, headline(), SKIP)  # Polisen passed without a report: frånvarande
    press(bot, LEADER, headline(), SKIP)  # SOS Alarm passed, but had reported: not frånvarande
    samverkan(bot, "notera Kommunerna informerar om halka via sina kanaler.", "U0STH001")
    samverkan(bot, "avvägning Blåljus före kollektivtrafik på E4 i kväll.")
    press(bot, TRV, find(thread(bot, conf), "*Avvägning*"), "tradeoff_ack")
    view = open_samverkan_modal(bot, "analys", "analysis_modal")
    submit(bot, LEADER, view, analysis="Halkan ger köer.", agreed="Gemensamt budskap om halka.",
           next_steps="Avstämning fredag kl. 09.00.")
    close_conference(bot)

    summary = [m for m in thread(bot, conf) if (m.get("text") or "").startswith("Samlad lägesbild v. 48")]
    body = "\n".join(b["text"]["text"] for m in summary for b in m["blocks"] if isinstance(b.get("text"), dict))
    assert body.startswith("Samlad lägesbild v. 48\n*Gemensam analys*\nHalkan ger köer.\n\n"
                           "*Överenskommet (målbild, åtgärdsplan)*\nGemensamt budskap om halka.")
    assert body.index("*Nästa steg*\nAvstämning fredag kl. 09.00.") < body.index("*Deltagande:*")
    # the host spoke and Storstockholms brandförsvar had the floor at the close
    assert "· 2 har haft ordet · 2 överhoppade · 33 ej hörda · 1 frånvarande" in body
    assert "*Frånvarande (fick ordet, ingen lägesbild, talade inte):* Polisregion Stockholm\n" in body
    not_heard = body.split("*Ej hörda (ordet nådde dem inte före stängningen):* ")[1].split("\n")[0]
    assert "Södertörns brandförsvarsförbund" in not_heard and "Polisregion Stockholm" not in not_heard
    assert "SOS Alarm" not in not_heard
    assert "*Avvägningar*\n• Blåljus före kollektivtrafik på E4 i kväll.\n   Uppfattat (1): Trafikverket · Inte uppfattat (36)" in body
    assert "*Protokoll (anteckningar)*\n• Kommunerna informerar om halka via sina kanaler. _(Stockholms stad)_" in body
    assert "inga formella gemensamma beslut: varje aktör beslutar inom sitt ansvar" in body


# ---- the kallelse and the opening ----------------------------------------------------------------------------

def test_the_kallelse_and_the_opening_show_the_agenda_the_closing_time_moves_and_open_questions_are_listed(bot):
    from tests.test_summary_support import atgard

    bot.clock.set(at(14, 0, day=25))
    view = open_samverkan_modal(bot, "dagordning", "agenda_modal")
    submit(bot, LEADER, view, p2_title="Vinterväglag", p2_kind="diskussion", p2_purpose="Läget på vägarna",
           p2_prepare=["trafikverket"])
    samverkan(bot, "fråga polisen Behöver ni stöd vid demonstrationen?", "U0RST001")
    bot.tick(at(9, 0))
    kallelse = find(bot.emu.messages(bot.cfg.channel), "Kallelse till regional samverkanskonferens v. 48")
    shown = text_of(kallelse)
    assert "2. *Vinterväglag* · _Diskussion_: Läget på vägarna · Förbereds av Trafikverket" in shown
    assert "*Kommunikation* · _Diskussion_" in shown  # the standing point
    conf = open_conference(bot)
    root = thread(bot, conf)[0]
    shown = text_of(root)
    assert "2. *Vinterväglag* · _Diskussion_: Läget på vägarna · Förbereds av Trafikverket" in shown
    assert "Mötet stängs *kl. 17.00*" in shown and "i tråden med `/lagesbild`" not in shown
    assert "*Obesvarade frågor* (1)" in shown and "Till *Polisregion Stockholm* från Region Stockholm" in shown
    samverkan(bot, "förläng 20")
    assert "Mötet stängs *kl. 17.20*" in text_of(latest(bot, root))
    assert "2. *Vinterväglag*" in text_of(latest(bot, root))
    # a declined item shows in the next opening: who declined it, when and why
    atgard(bot, "polisen Skylta om vid Sergels torg")
    from tests.test_leading_support import press_for_modal
    from tests.test_summary_support import item_message

    view = press_for_modal(bot, POLICE, item_message(bot, 1), "action_decline", "action_decline_modal")
    submit(bot, POLICE, view, reason="Kommunens ansvar.")
    bot.tick(at(17, 21))
    nxt = open_conference(bot, day=3, month=12)
    shown = text_of(thread(bot, nxt)[0])
    assert "*Avböjda åtgärdspunkter*" in shown
    assert "#1 *Polisregion Stockholm*: Skylta om vid Sergels torg. Avböjd av <@U0POL001> 26 nov. kl. 16.01. Skäl: Kommunens ansvar." in shown
