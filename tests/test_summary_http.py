"""The samlad lägesbild over signed HTTP against the emulator: posted in the thread at
close with a linked notice in the channel, split within Slack's limits (37 actors with
long reports), escaped, and posted again by `/samverkan sammanfattning`."""
from __future__ import annotations

import re

from sqlalchemy import select

from bot.conference.models import ACTIVATED, OPEN, Conference
from bot.slack import outbox
from bot.slack.models import FAILED, OutboxMessage
from bot.summary import flows as summary_flows
from bot.summary.models import Summary
from tests.test_summary_support import (add_report, at, atgard, close_conference, open_conference, text_of,
                                        thread)

PERMALINK = re.compile(r"<(https://emulator\.slack\.test/archives/C0CONF01/p(\d+)\?thread_ts=[\d.]+&cid=C0CONF01)\|")


def _summary_messages(bot, conf) -> list[dict]:
    return [m for m in thread(bot, conf)[1:] if (m.get("text") or "").startswith("Samlad lägesbild")]


def _blocks_text(messages: list[dict]) -> str:
    return "\n".join(b["text"]["text"] for m in messages for b in m["blocks"] if isinstance(b.get("text"), dict))


def test_summary_at_close_in_the_thread_with_a_linked_notice_in_the_channel(bot):
    conf = open_conference(bot)
    add_report(bot, conf.id, "polisen", {"lage": "Ökad närvaro i city.", "behov": "Samordnad information om julmarknaden.",
                                         "kommande": "Julmarknad i Gamla stan.", "kommunikation": "Gemensamt budskap om stöldrisk."},
               status="påverkad")
    add_report(bot, conf.id, "trafikverket", {"lage": "Halka på E4.", "intraffat": "Olycka vid Hallunda."}, status="allvarlig",
               versions=2)
    add_report(bot, conf.id, "tyreso", nothing_new=True, status=None)
    atgard(bot, "trafikverket Samordna information om vägläget senast fredag")
    atgard(bot, "lyft Behov av gemensam vinterberedskap")
    close_conference(bot)

    pages = _summary_messages(bot, conf)
    assert [m["text"] for m in pages] == ["Samlad lägesbild v. 48 (1/1)"]
    body = _blocks_text(pages)
    assert pages[0]["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "Samlad lägesbild v. 48",
                                                                "emoji": True}}
    assert "*Torsdag 26 november 2026* kl. 16.01–17.01 · Ordinarie läge · Mötesvärd: Länsstyrelsen Stockholm" in body
    # the floor reached only the host: the other 36 are not heard (ej hörda), none absent
    assert "*Deltagande:* 3 av 37 aktörer har rapporterat · 1 har haft ordet · 36 ej hörda · 0 frånvarande" in body
    assert "SOS Alarm" in body.split("*Ej hörda")[1].split("\n")[0] and "*Frånvarande" not in body
    # per category, in speaking-order category order, each report
    order = [body.index(t) for t in (":small_blue_diamond: *Blåljus*", "*Polisregion Stockholm* · :large_yellow_circle: påverkad",
                                     ":small_blue_diamond: *Trafik*", "*Trafikverket* · :red_circle: allvarlig · _reviderad_",
                                     ":small_blue_diamond: *Kommun*", "*Tyresö kommun*")]
    assert order == sorted(order)
    assert "*Inträffat:* Olycka vid Hallunda." in body and "Inget nytt att rapportera." in body
    # aggregated sections
    assert "*Behov av samverkan*\n• *Polisregion Stockholm*: Samordnad information om julmarknaden." in body
    assert "*Kommande händelser*\n• *Polisregion Stockholm*: Julmarknad i Gamla stan." in body
    assert "*Kommunikation*\n• *Polisregion Stockholm*: Gemensamt budskap om stöldrisk." in body
    assert "*#1 Trafikverket*: Samordna information om vägläget · senast fredag 27 november 2026" in body
    assert "*Lyfts till Regionala samordningsgruppen*\n• Behov av gemensam vinterberedskap _(Länsstyrelsen Stockholm)_" in body

    notices = [m for m in bot.emu.messages(bot.cfg.channel) if m["text"].startswith("Samlad lägesbild v. 48 är publicerad")]
    assert len(notices) == 1
    link = PERMALINK.search(text_of(notices[0]))
    assert link and link.group(2) == pages[0]["ts"].replace(".", "")
    assert "3 av 37 aktörer rapporterade · 1 ny åtgärdspunkt · 1 punkt lyfts" in text_of(notices[0])
    with bot.ctx.sf() as s:
        row = s.scalars(select(Summary)).one()
        assert (row.conference_id, row.number, row.pages, row.posted_by) == (conf.id, 1, 1, None)


def test_37_long_reports_split_within_limits_and_nothing_is_cut(bot):
    conf = open_conference(bot)
    keys = [a.id for a in bot.cfg.actors]
    assert len(keys) == 37
    fields = ("lage", "intraffat", "kommande", "konsekvenser", "atgarder", "behov", "kommunikation")
    for key in keys:
        add_report(bot, conf.id, key, {f: f"START-{key}-{f} " + "ord " * 150 + f"SLUT-{key}-{f}" for f in fields},
                   status="påverkad")
    close_conference(bot)
    with bot.ctx.sf() as s:
        assert s.scalars(select(OutboxMessage).where(OutboxMessage.status == FAILED)).all() == []
    pages = _summary_messages(bot, conf)
    n = len(pages)
    assert n >= 10
    assert [m["text"] for m in pages] == [f"Samlad lägesbild v. 48 ({i}/{n})" for i in range(1, n + 1)]
    for m in pages:  # the emulator refused nothing; check the limits here too
        assert len(m["blocks"]) <= 50
        assert sum(len(b["text"]["text"]) for b in m["blocks"] if isinstance(b.get("text"), dict)) <= 12000
    body = _blocks_text(pages)
    for key in keys:
        for f in fields:
            assert f"START-{key}-{f}" in body and f"SLUT-{key}-{f}" in body
    # every word of every report, plus the three aggregated fields once more
    assert len(re.findall(r"\bord\b", body)) == 37 * (7 + 3) * 150
    with bot.ctx.sf() as s:
        assert s.scalars(select(Summary.pages)).one() == n


def test_report_text_is_escaped_in_the_summary(bot):
    conf = open_conference(bot)
    add_report(bot, conf.id, "polisen", {"lage": "Larm <!channel> & <@U0SOS001> <https://evil.example|klicka>"})
    close_conference(bot)
    body = _blocks_text(_summary_messages(bot, conf))
    assert "Larm &lt;!channel&gt; &amp; &lt;@U0SOS001&gt; &lt;https://evil.example|klicka&gt;" in body
    assert "<!channel>" not in bot.emu.mentions_sent() and "<@U0SOS001>" not in bot.emu.mentions_sent()


def _sammanfattning(bot, user: str) -> str:
    """/samverkan sammanfattning acknowledges at once and answers through the response_url."""
    before = len(bot.emu.response_posts)
    r = bot.slack.slash_command("/samverkan", "sammanfattning", user_id=user)
    assert r.status_code == 200
    assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) > before, timeout=10)
    answer = bot.emu.response_posts[-1]["json"]
    assert answer["response_type"] == "ephemeral"
    return answer["text"]


def test_samverkan_sammanfattning_reposts_for_a_koordinator_and_links_for_others(bot):
    assert "Ingen samlad lägesbild har publicerats ännu" in _sammanfattning(bot, "U0POL001")
    conf = open_conference(bot)
    add_report(bot, conf.id, "polisen", {"lage": "Lugnt."})
    close_conference(bot)
    first = _summary_messages(bot, conf)
    assert len(first) == 1

    text = _sammanfattning(bot, "U0POL001")
    link = PERMALINK.search(text)
    assert link and link.group(2) == first[0]["ts"].replace(".", "") and "konferensen v. 48" in text
    assert len(_summary_messages(bot, conf)) == 1  # nothing posted for a non-koordinator

    add_report(bot, conf.id, "tyreso", {"lage": "Sent inkommen lägesbild."})
    assert "publiceras igen" in _sammanfattning(bot, "U0LST002")
    bot.drain()
    again = _summary_messages(bot, conf)
    assert len(again) == 2 and "Sent inkommen lägesbild." in _blocks_text(again[1:])
    with bot.ctx.sf() as s:
        assert [(x.number, x.posted_by) for x in s.scalars(select(Summary).order_by(Summary.number))] == [
            (1, None), (2, "U0LST002")]
    notices = [m for m in bot.emu.messages(bot.cfg.channel) if m["text"].startswith("Samlad lägesbild v. 48 är")]
    assert len(notices) == 1  # a repost goes to the thread only


def test_activated_conference_summary_on_close(bot):
    with bot.ctx.tx() as s:
        now = bot.ctx.now()
        conf = Conference(region_id=bot.ctx.region_id, kind=ACTIVATED, year=2026, number=3, iso_year=2026, iso_week=48,
                          status=OPEN, channel=bot.cfg.channel, opened_at=now, reason="Snöoväder, SMHI klass 2",
                          created_at=now)
        s.add(conf)
        s.flush()
        outbox.post(s, now, conf.channel, "AKTIVERAT LÄGE nr 3", ref=conf.ref)
        conf_id = conf.id
    bot.drain()
    add_report(bot, conf_id, "trafikverket", {"lage": "Stora störningar.", "kommunikation": "Avråd från resor."},
               status="allvarlig")
    bot.clock.set(at(20, 0))
    with bot.ctx.tx() as s:
        c = s.get(Conference, conf_id)
        c.status, c.closed_at = "closed", bot.ctx.now()
        summary_flows.on_close(bot.ctx, s, c)
    bot.drain()
    with bot.ctx.sf() as s:
        c = s.get(Conference, conf_id)
    body = _blocks_text(_summary_messages(bot, c))
    assert "Samlad lägesbild, aktiverat läge nr 3" in text_of(_summary_messages(bot, c)[0])
    assert "AKTIVERAT LÄGE" in body and "*Anledning:* Snöoväder, SMHI klass 2" in body
    assert "• *Trafikverket*: Avråd från resor." in body
    assert any(m["text"].startswith("Samlad lägesbild, aktiverat läge nr 3 är publicerad")
               for m in bot.emu.messages(bot.cfg.channel))
