"""After the conference woven into the day, over signed HTTP: the Snabbutvärdera DM at
every close (ordinary and activated), `/atgard lyft` making an ärende, open ärenden and
målkonflikter in every opening, målkonflikter under *Slutsatser* in the samlad
lägesbild, and efterskede (not called in at avstämningar; shown in the speaking order
and the samlad lägesbild)."""
from __future__ import annotations

from bot.cases.models import Case
from bot.conflicts.models import Conflict
from tests.after_support import KOORD, KOORD2, POLIS, TRV, rows, samverkan
from tests.helpers import text_of
from tests.test_activation import activate, command, thread_texts
from tests.test_summary_support import at, atgard, close_conference, open_conference, thread


def _opening(bot, day: int, month: int = 11) -> str:
    conf = open_conference(bot, day, month)
    return text_of(thread(bot, conf)[0])


def test_atgard_lyft_makes_an_arende_listed_in_every_opening_until_closed(bot):
    conf = open_conference(bot)
    answer = atgard(bot, "lyft Gemensam vinterberedskap <E4>", user=POLIS)
    assert "Ärende #1 till Regionala samordningsgruppen" in answer
    (case,) = rows(bot, Case)
    assert (case.raised_by, case.conference_id, case.status, case.text) == (
        POLIS, conf.id, "lyft", "Gemensam vinterberedskap <E4>")
    assert case.action_item_id is not None
    samverkan(bot, "konflikt polisen trafikverket: Avstängning mot framkomlighet", TRV)
    close_conference(bot)

    opening = _opening(bot, 3, 12)
    assert "*Uppföljning: öppna ärenden*" in opening
    assert "*#1* Gemensam vinterberedskap &lt;E4&gt; · _lyft_ · Polisregion Stockholm → Regionala samordningsgruppen" in opening
    assert "*Uppföljning: öppna målkonflikter*" in opening
    assert "*#1* Polisregion Stockholm ↔ Trafikverket: Avstängning mot framkomlighet" in opening
    close_conference(bot, 3, 12)

    with bot.ctx.tx() as s:  # closed and resolved since
        s.get(Case, case.id).status = "avslutat"
        s.get(Conflict, 1).resolved_at = bot.ctx.now()
    opening = _opening(bot, 10, 12)
    assert "öppna ärenden" not in opening and "öppna målkonflikter" not in opening


def test_summary_lists_open_conflicts_under_slutsatser(bot):
    conf = open_conference(bot)
    samverkan(bot, "konflikt sos-alarm region-stockholm: Ambulanser vid <storhelg>", POLIS)
    close_conference(bot)
    summary = "\n".join(text_of(m) for m in thread(bot, conf)[1:] if (m.get("text") or "").startswith("Samlad"))
    assert "*Slutsatser: målkonflikter och beroenden*" in summary
    assert "*#1* SOS Alarm ↔ Region Stockholm: Ambulanser vid &lt;storhelg&gt;" in summary


def test_close_of_an_activation_dms_snabbutvardera(bot):
    bot.clock.set(at(10, 0))
    activate(bot)
    command(bot, "/avaktivera", "Klart", KOORD)
    bot.drain()
    for user in (KOORD, KOORD2):
        assert [m for m in bot.emu.dms(user) if m["text"] == "Snabbutvärdera aktiverat läge nr 1"], user
    assert not [m for m in bot.emu.dms(POLIS) if m["text"].startswith("Snabbutvärdera")]


def test_an_actor_in_efterskede_is_not_called_in_at_avstamningar(bot):
    bot.clock.set(at(10, 0))
    activate(bot)
    assert command(bot, "/aktivera", "fas polisen efterskede", KOORD) == "Polisregion Stockholm: efterskede."
    assert command(bot, "/aktivera", "fas trafikverket efterfas", KOORD) == "Trafikverket: efterskede."
    bot.drain()
    before = len(bot.emu.dms(POLIS))
    answer = command(bot, "/aktivera", "avstämning 14:00", KOORD)
    assert "6 aktörer är kallade" in answer
    bot.drain()
    call = thread_texts(bot)[-1]
    assert "<@U0POL001>" not in call and "<@U0TRV001>" not in call and "<@U0SOS001>" in call
    assert "I efterskede (kallas inte): Polisregion Stockholm, Trafikverket" in call
    assert len(bot.emu.dms(POLIS)) == before  # no DM either
    bot.tick(at(14, 0))
    assert "<@U0POL001>" not in thread_texts(bot)[-1]
    assert len(bot.emu.dms(POLIS)) == before
    # back to pågående: called in again
    assert command(bot, "/aktivera", "fas polisen pågående", KOORD) == "Polisregion Stockholm: pågående."
    command(bot, "/aktivera", "avstämning 15:00", KOORD)
    bot.drain()
    assert "<@U0POL001>" in thread_texts(bot)[-1]


def test_efterskede_shows_in_the_speaking_order_and_the_summary(bot):
    bot.clock.set(at(10, 0))
    activate(bot)
    command(bot, "/aktivera", "fas polisen efterskede", KOORD)
    order = samverkan_order(bot)
    assert "Polisregion Stockholm" in order and "efterskede" in order.split("Polisregion Stockholm")[1].split("\n")[0]
    command(bot, "/avaktivera", "", KOORD)
    bot.drain()
    summary = "\n".join(t for t in thread_texts(bot) if "Samlad lägesbild" in t)
    assert "I efterskede: Polisregion Stockholm" in summary


def samverkan_order(bot) -> str:
    r = bot.slack.slash_command("/talarordning", "", user_id=POLIS, channel_id=bot.cfg.channel)
    bot.drain()
    return text_of(r.json()) if r.text else ""
