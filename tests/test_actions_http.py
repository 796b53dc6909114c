"""/atgard over signed HTTP against the emulator: owners, dates shown back, refusals,
the Kvittera/Klar buttons and who may press them, /atgard lista and /atgard lyft."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import func, select

from bot.actions.models import ActionItem
from bot.audit.models import AuditEntry
from tests.test_summary_support import (at, atgard, item, item_message, items, open_conference, text_of,
                                        thread)


def _count(bot) -> int:
    with bot.ctx.sf() as s:
        return s.scalar(select(func.count()).select_from(ActionItem))


def test_item_is_a_thread_message_with_buttons_and_the_due_date_shown_back(bot):
    conf = open_conference(bot)
    bot.clock.set(at(16, 20))
    reply = atgard(bot, "trafikverket Samordna information om vägläget senast fredag")
    assert "Åtgärdspunkt #1 för *Trafikverket* är registrerad" in reply
    assert "senast fredag 27 november 2026 (v. 48)" in reply and "du skrev `fredag`" in reply
    row = items(bot)[0]
    assert (row.due, row.text, row.created_by, row.conference_id) == (
        date(2026, 11, 27), "Samordna information om vägläget", "U0LST001", conf.id)
    msg = item_message(bot, row.id)
    assert msg["thread_ts"] == thread(bot, conf)[0]["ts"]
    body = text_of(msg)
    assert "Ansvarig: *Trafikverket*" in body and "Ej kvitterad än" in body
    buttons = [e for b in msg["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["text"]["text"], b["action_id"], b["value"]) for b in buttons] == [
        ("Kvittera", "action_ack", "1"), ("Klar", "action_done", "1"), ("Avböj", "action_decline", "1")]


def test_owner_by_mention_by_name_and_without_diacritics(bot):
    open_conference(bot)
    atgard(bot, "<@U0TRV002|trafikverket.002> Skylta om omledning")
    atgard(bot, "Polisregion Stockholm Förstärk bevakningen vid Slussen senast imorgon")
    atgard(bot, "lansstyrelsen Kalla till extra samverkansmöte")
    atgard(bot, "SOS-ALARM Se över larmplanen", user="U0LST002")
    owners = [(i.owner_actor_id, i.text) for i in items(bot)]
    with bot.ctx.sf() as s:
        from bot.region.models import Actor
        keys = {a.id: a.key for a in s.scalars(select(Actor))}
    assert [(keys[o], t) for o, t in owners] == [
        ("trafikverket", "Skylta om omledning"),
        ("polisen", "Förstärk bevakningen vid Slussen"),
        ("lansstyrelsen", "Kalla till extra samverkansmöte"),
        ("sos-alarm", "Se över larmplanen")]


def test_every_date_form_is_resolved_in_stockholm_and_shown_back(bot):
    open_conference(bot)
    bot.clock.set(at(23, 30))  # 22.30 UTC: still Thursday in Stockholm
    cases = {
        "idag": "torsdag 26 november 2026", "imorgon": "fredag 27 november 2026",
        "fredag": "fredag 27 november 2026", "torsdag": "torsdag 3 december 2026",
        "nästa vecka": "fredag 4 december 2026", "1 dec": "tisdag 1 december 2026",
        "1 december": "tisdag 1 december 2026", "2026-12-01": "tisdag 1 december 2026",
        "v. 49": "fredag 4 december 2026", "v49": "fredag 4 december 2026", "vecka 50": "fredag 11 december 2026",
    }
    for typed, shown in cases.items():
        reply = atgard(bot, f"polisen Punkt {typed} senast {typed}")
        assert f"senast {shown}" in reply, (typed, reply)
    assert [i.text for i in items(bot)] == [f"Punkt {t}" for t in cases]


def test_unparseable_or_past_date_is_refused_with_an_example_and_nothing_is_stored(bot):
    open_conference(bot)
    for text, expect in [("polisen Gör något senast snart", "förstår jag inte"),
                         ("polisen Gör något senast 2026-11-01", "har redan passerat"),
                         ("polisen Gör något senast 31 feb", "finns inte i kalendern"),
                         ("polisen Gör något senast", "Skriv ett datum efter `senast`")]:
        reply = atgard(bot, text)
        assert expect in reply and "senast" in reply and "Ingenting sparades" in reply
    assert _count(bot) == 0


def test_refusals_change_nothing(bot):
    open_conference(bot)
    assert "Bara en TiB eller koordinator" in atgard(bot, "polisen Gör något", user="U0TRV002")
    assert "Bara en TiB eller koordinator" in atgard(bot, "polisen Gör något", user="U0OUTSIDER")
    assert "Okänd aktör `brandkåren`" in atgard(bot, "brandkåren Släck")
    assert "inte medlem av någon aktör" in atgard(bot, "<@U0OUTSIDER|outsider> Gör något")
    assert "Skriv vad Polisregion Stockholm ska göra" in atgard(bot, "polisen senast fredag")
    assert "/atgard &lt;aktör&gt; &lt;text&gt;" in atgard(bot, "")
    assert _count(bot) == 0


def test_user_text_is_escaped_and_mentions_become_plain(bot):
    open_conference(bot)
    # should_escape: Slack sends typed & < > as entities and a real mention as <@U…|name>
    atgard(bot, "polisen Kontakta <@U0SOS001|sos-alarm.001> &amp; <!channel> om &lt;b&gt;")
    row = items(bot)[0]
    assert row.text == "Kontakta @sos-alarm.001 & @channel om <b>"
    body = text_of(item_message(bot, row.id))
    assert "Kontakta @sos-alarm.001 &amp; @channel om &lt;b&gt;" in body
    assert "<!channel>" not in bot.emu.mentions_sent()


def _press(bot, user: str, action: str, item_id: int):
    msg = item_message(bot, item_id)
    r = bot.slack.block_action(user, action, message=msg, channel_id=msg["channel"])
    assert r.status_code == 200
    bot.drain()


def test_only_members_of_the_owner_may_acknowledge_and_the_message_shows_who(bot):
    open_conference(bot)
    atgard(bot, "trafikverket Samordna information om vägläget senast fredag")
    bot.clock.set(at(16, 40))
    _press(bot, "U0POL001", "action_ack", 1)
    assert bot.emu.wait_for(lambda: bot.emu.response_posts)
    refusal = bot.emu.response_posts[-1]["json"]
    assert refusal["response_type"] == "ephemeral" and "Bara medlemmar i Trafikverket" in refusal["text"]
    assert item(bot, 1).acknowledgements == []
    assert "Ej kvitterad än" in text_of(item_message(bot, 1))

    _press(bot, "U0TRV002", "action_ack", 1)  # a deltagare of the owner may acknowledge
    acks = item(bot, 1).acknowledgements
    assert [(a.user_id, a.at) for a in acks] == [("U0TRV002", at(16, 40))]
    msg = item_message(bot, 1)
    assert "Kvitterad* av <@U0TRV002> för Trafikverket, torsdag 26 november 2026 16.40" in text_of(msg)
    assert [e["action_id"] for b in msg["blocks"] if b["type"] == "actions" for e in b["elements"]] == ["action_done",
                                                                                                "action_decline"]
    assert len(msg["edits"]) == 1  # edited, not posted again
    # through the press's response_url (replace_original), not chat.update
    assert [r["ts"] for r in bot.emu.response_replaced] == [msg["ts"]]
    assert "chat.update" not in [c.method for c in bot.emu.calls]

    before = len(bot.emu.response_posts)
    r = bot.slack.block_action("U0TRV001", "action_ack", value="1", channel_id=bot.cfg.channel)
    assert r.status_code == 200
    assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) > before)
    assert "redan kvitterad av <@U0TRV002>" in bot.emu.response_posts[-1]["json"]["text"]
    assert len(item(bot, 1).acknowledgements) == 1


def test_two_members_pressing_kvittera_at_once_store_one_acknowledgement(bot):
    """Presses of a burst are written together (bot.db.writer): two members of the owner
    pressing the same item at once store one acknowledgement, and the other hears who."""
    open_conference(bot)
    atgard(bot, "trafikverket Samordna information om vägläget senast fredag")
    msg = item_message(bot, 1)
    for _ in range(3):  # the same moment, several times: also when both land in one transaction
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(lambda u: bot.slack.block_action(u, "action_ack", message=msg,
                                                                      channel_id=msg["channel"]),
                                    ["U0TRV001", "U0TRV002"]))
        assert [r.status_code for r in answers] == [200, 200]
        bot.drain()
    acks = item(bot, 1).acknowledgements
    assert len(acks) == 1
    assert f"Kvitterad* av <@{acks[0].user_id}> för Trafikverket" in text_of(item_message(bot, 1))
    assert any("redan kvitterad av" in p["json"]["text"] for p in bot.emu.response_posts)


def test_a_burst_of_presses_in_one_transaction_reads_its_items_in_one_query(bot):
    """Presses written together (bot.db.writer) read their items with one query and where
    their messages stand with two more, whatever their number; a Klar after a Kvittera of
    the same item in that transaction sees the acknowledgement (had it not, its second
    acknowledgement would fail the group and make every press run again alone)."""
    import threading
    import time

    from sqlalchemy import event

    open_conference(bot)
    for n in range(4):
        atgard(bot, f"trafikverket Punkt {n} senast fredag")
    messages = {i: item_message(bot, i) for i in range(1, 5)}
    statements: list[str] = []
    engine = bot.ctx.sf.kw["bind"]

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    presses = [("U0TRV001", "action_ack", i) for i in range(1, 5)] + [("U0TRV002", "action_done", 1)]
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=8) as pool:
        blocker = pool.submit(bot.ctx.writer.write, lambda s, g: gate.wait(10))
        time.sleep(0.05)
        groups = bot.ctx.writer.groups
        event.listen(engine, "before_cursor_execute", seen)
        try:
            answers = []
            for user, action, i in presses:  # in this order: each queued behind the one before
                answers.append(pool.submit(bot.slack.block_action, user, action, message=messages[i],
                                           channel_id=messages[i]["channel"]))
                time.sleep(0.1)
            gate.set()
            blocker.result(10)
            assert [a.result(10).status_code for a in answers] == [200] * len(presses)
            bot.drain()
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert bot.ctx.writer.groups == groups + 2  # the blocker, then the five presses together
    from_items = [st for st in statements if "FROM action_item" in st]
    assert len(from_items) == 1, from_items
    assert [(x.status, len(x.acknowledgements)) for x in items(bot)] == [("done", 1)] + [("open", 1)] * 3
    assert [a.user_id for x in items(bot) for a in x.acknowledgements] == ["U0TRV001"] * 4
    assert "Klar" in text_of(item_message(bot, 1)) and "Kvitterad* av <@U0TRV001>" in text_of(item_message(bot, 1))


def test_klar_marks_done_and_removes_the_buttons(bot):
    open_conference(bot)
    atgard(bot, "trafikverket Samordna information om vägläget")
    _press(bot, "U0STH001", "action_done", 1)  # not a member of Trafikverket
    assert item(bot, 1).status == "open"
    bot.clock.set(at(16, 50))
    _press(bot, "U0TRV001", "action_done", 1)
    row = item(bot, 1)
    assert (row.status, row.done_by, row.done_at) == ("done", "U0TRV001", at(16, 50))
    msg = item_message(bot, 1)
    assert "*Klar*: markerad av <@U0TRV001> för Trafikverket" in text_of(msg)
    assert not [b for b in msg["blocks"] if b["type"] == "actions"]
    with bot.ctx.sf() as s:
        actions = set(s.scalars(select(AuditEntry.action)))
    assert {"action.create", "action.done"} <= actions


def test_lista_shows_open_items_overdue_first(bot):
    open_conference(bot)
    atgard(bot, "polisen Senare punkt senast 2026-12-10")
    atgard(bot, "trafikverket Brådskande punkt senast idag")
    atgard(bot, "ssbf Punkt utan datum")
    atgard(bot, "sos-alarm Klar punkt")
    _press(bot, "U0SOS001", "action_done", 4)
    atgard(bot, "lyft Vinterberedskapen behöver diskuteras")
    bot.clock.set(at(10, 0, day=27))  # Friday: the "idag" item is now overdue
    r = bot.slack.slash_command("/atgard", "lista", user_id="U0TYR001")
    text = text_of(r.json())
    order = [text.index(t) for t in ("Brådskande punkt", "Senare punkt", "Punkt utan datum")]
    assert order == sorted(order)
    assert "Försenad" in text.split("Senare punkt")[0]
    assert "Klar punkt" not in text and "Vinterberedskapen" not in text
    assert "(3, varav 1 försenade)" in text


def test_lyft_records_a_raised_point(bot):
    conf = open_conference(bot)
    reply = atgard(bot, "lyft Behov av gemensam kommunikation om vinterväglag", user="U0POL001")
    assert "lyftas till Regionala samordningsgruppen" in reply and "Polisregion Stockholm" in reply
    row = items(bot)[0]
    assert (row.raised, row.conference_id, row.text) == (True, conf.id, "Behov av gemensam kommunikation om vinterväglag")
    assert "Skriv vad som ska lyftas" in atgard(bot, "lyft")
    assert "Bara en TiB eller koordinator" in atgard(bot, "lyft Något", user="U0TRV002")
    assert _count(bot) == 1


def test_item_without_any_held_conference_goes_to_the_channel(bot):
    reply = atgard(bot, "polisen Förbered vinterinsats")
    assert "i kanalen" in reply
    msg = item_message(bot, 1)
    assert msg["thread_ts"] is None and msg["channel"] == bot.cfg.channel


def test_the_swedish_alias_works_the_same(bot):
    r = bot.slack.slash_command("/åtgärd", "lista", user_id="U0POL001", channel_id=bot.cfg.channel)
    assert r.status_code == 200 and r.json()["response_type"] == "ephemeral"
    r2 = bot.slack.slash_command("/atgard", "lista", user_id="U0POL001", channel_id=bot.cfg.channel)
    assert r.json()["text"] == r2.json()["text"]


def test_a_press_being_answered_counts_as_in_flight_and_its_edit_follows(bot):
    """The outbox waits for requests being answered (bot.ops.in_flight): a press held up
    in the writer is counted until its answer, and its edit is sent after it."""
    import threading
    import time

    open_conference(bot)
    atgard(bot, "trafikverket Samordna information om vägläget senast fredag")
    msg = item_message(bot, 1)
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=2) as pool:
        blocker = pool.submit(bot.ctx.writer.write, lambda s, g: gate.wait(10))
        press = pool.submit(bot.slack.block_action, "U0TRV001", "action_ack", message=msg, channel_id=msg["channel"])
        deadline = time.monotonic() + 5
        while bot.rt.in_flight.count == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert bot.rt.in_flight.count == 1
        gate.set()
        blocker.result(10)
        assert press.result(10).status_code == 200
    assert bot.emu.wait_for(lambda: "Kvitterad* av <@U0TRV001>" in text_of(item_message(bot, 1)), timeout=5)
    assert bot.rt.in_flight.count == 0
