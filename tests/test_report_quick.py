"""`/lagesbild <text>`, `inget`, `status` and the refusals, over signed HTTP against the emulator."""
from __future__ import annotations

from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.slack.models import FAILED, OutboxMessage
from tests.test_report_support import (at, conference, counts, open_activated, replies_from, report_messages,
                                       report_of, text_of, thread)


def ephemeral(response) -> str:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["response_type"] == "ephemeral"
    return body["text"] + "\n" + str(body.get("blocks", ""))


def test_quick_report_before_the_opening_is_posted_when_it_opens(bot):
    text = ephemeral(bot.slack.slash_command("/lagesbild", "Lugnt i regionen. Ökad beredskap inför helgen.",
                                             user_id="U0POL001"))
    assert ("Lägesbild för Polisregion Stockholm inlämnad till den regionala samverkanskonferensen v. 48 "
            "(ordinarie läge), torsdag 26 november kl. 16.00.") in text
    assert "när konferensen öppnar" in text
    report = report_of(bot, "polisen", week=48)
    assert report.version == 1 and report.current.fields == {"lage": "Lugnt i regionen. Ökad beredskap inför helgen."}
    assert report.current.submitted_by == "U0POL001" and not report.nothing_new
    bot.drain()
    assert bot.emu.messages(bot.cfg.channel) == []  # nothing posted before the opening

    bot.tick(at(16, 0, 1))
    conf = conference(bot, 48)
    posts = thread(bot, conf)
    assert "Regional samverkanskonferens v. 48" in text_of(posts[0])
    mine = replies_from(bot, conf, "Polisregion Stockholm")
    assert len(mine) == 1
    assert "Lugnt i regionen. Ökad beredskap inför helgen." in text_of(mine[0])
    assert "Läge nu" in text_of(mine[0])


def test_report_during_the_conference_goes_to_the_thread_and_a_revision_edits_it(bot):
    bot.tick(at(16, 0, 1))
    conf = conference(bot, 48)
    text = ephemeral(bot.slack.slash_command("/lagesbild", "Trafikolycka på E4 vid Häggvik.", user_id="U0TRV001"))
    assert "inlämnad till den regionala samverkanskonferensen v. 48" in text and "finns i konferensens tråd" in text
    bot.drain()
    first = replies_from(bot, conf, "Trafikverket")
    assert len(first) == 1 and "Trafikolycka på E4" in text_of(first[0])

    text = ephemeral(bot.slack.slash_command("/lagesbild", "E4 öppen igen sedan 16.20.", user_id="U0TRV001"))
    assert "reviderad: version 2" in text
    bot.drain()
    after = replies_from(bot, conf, "Trafikverket")
    assert len(after) == 1 and after[0]["ts"] == first[0]["ts"]  # edited, not posted again
    assert "E4 öppen igen sedan 16.20." in text_of(after[0]) and "Trafikolycka" not in text_of(after[0])
    assert len(after[0]["edits"]) == 1
    assert [c.args.get("ts") for c in bot.emu.calls if c.method == "chat.update" and c.ok
            and c.args.get("ts") == first[0]["ts"]] == [first[0]["ts"]]
    report = report_of(bot, "trafikverket", week=48)
    assert [(v.version, v.submitted_by) for v in report.versions] == [(1, "U0TRV001"), (2, "U0TRV001")]
    assert report.versions[0].fields["lage"] == "Trafikolycka på E4 vid Häggvik."  # every version kept
    with bot.ctx.sf() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "report.submitted")).all()
    assert [a.details["version"] for a in audit] == [1, 2]


def test_quick_text_after_a_modal_report_replaces_only_lage_nu(bot):
    from tests.test_report_support import open_modal, submit

    view = open_modal(bot, "U0SOS001")
    assert submit(bot, "U0SOS001", view, lage="Normal drift.", behov="Samordna information om kyla.",
                  status="normal").status_code == 200
    text = ephemeral(bot.slack.slash_command("/lagesbild", "Hög belastning på 112.", user_id="U0SOS001"))
    assert "övriga fält är kvar" in text
    current = report_of(bot, "sos-alarm", week=48).current
    assert current.fields == {"lage": "Hög belastning på 112.", "behov": "Samordna information om kyla."}
    assert current.status == "normal"


def test_inget_nytt_and_status_per_category(bot):
    text = ephemeral(bot.slack.slash_command("/lagesbild", "inget", user_id="U0SOS001"))
    assert "”Inget nytt att rapportera” för SOS Alarm inlämnad till den regionala samverkanskonferensen v. 48" in text
    assert report_of(bot, "sos-alarm", week=48).nothing_new
    ephemeral(bot.slack.slash_command("/lagesbild", "Skyfall väntas i kväll.", user_id="U0STH001"))

    status = ephemeral(bot.slack.slash_command("/lagesbild", "status", user_id="U0OUTSIDER"))  # anyone may ask
    assert "2 av 37 aktörer har rapporterat (1 med inget nytt)" in status
    assert "*Blåljus*" in status and "*Kommun*" in status and "*Värd*" in status
    assert ":white_check_mark: SOS Alarm (inget nytt)" in status
    assert ":white_check_mark: Stockholms stad" in status
    assert ":white_large_square: Polisregion Stockholm" in status
    assert status.index("*Blåljus*") < status.index("SOS Alarm") < status.index("*Kommun*")

    bot.tick(at(16, 0, 1))
    conf = conference(bot, 48)
    nothing = replies_from(bot, conf, "SOS Alarm")
    assert len(nothing) == 1 and "Inget nytt att rapportera" in text_of(nothing[0])


def test_refusals_store_nothing(bot):
    cases = [
        ("U0OUTSIDER", "Allt lugnt.", "inte med som medlem av någon aktör"),
        ("U0TRV002", "Allt lugnt.", "Bara aktörens TiB"),
        ("U0TRV002", "inget", "Bara aktörens TiB"),
        ("U0POL001", "…", "Lägesbilden är tom"),
        ("U0POL001", "-- .", "Lägesbilden är tom"),
        ("U0POL001", "x" * 3001, "Texten har 3001 tecken"),
    ]
    for user, words, expected in cases:
        text = ephemeral(bot.slack.slash_command("/lagesbild", words, user_id=user))
        assert expected in text, (user, words, text)
        assert "inlämnad" not in text
    assert "högst 3000 tecken per fält" in ephemeral(bot.slack.slash_command("/lagesbild", "y" * 4000,
                                                                            user_id="U0POL001"))
    assert counts(bot) == (0, 0)
    assert conference(bot, 48) is None  # not even the conference row was created
    # the modal is refused the same way, and no view is opened
    r = bot.slack.slash_command("/lagesbild", "", user_id="U0TRV002")
    assert "Bara aktörens TiB" in ephemeral(r)
    assert not bot.emu.views
    # exactly 3000 characters is allowed
    assert "inlämnad" in ephemeral(bot.slack.slash_command("/lagesbild", "z" * 3000, user_id="U0POL001"))


def test_user_text_is_escaped_and_pings_nobody(bot):
    bot.tick(at(16, 0, 1))
    conf = conference(bot, 48)
    nasty = "<!channel> <!here|here> <!everyone> <@U0SOS001> <https://evil.example/x|Klicka här> a & b <#C0CONF01>"
    ephemeral(bot.slack.slash_command("/lagesbild", nasty, user_id="U0POL001"))
    # Slack sends &, < and > of a slash command as entities: they are decoded once, escaped once
    ephemeral(bot.slack.slash_command("/lagesbild", "inget &lt;!channel&gt; &amp; mer", user_id="U0STH001"))
    bot.drain()
    police = text_of(replies_from(bot, conf, "Polisregion Stockholm")[0])
    assert "&lt;!channel&gt; &lt;!here|here&gt; &lt;!everyone&gt; &lt;@U0SOS001&gt;" in police
    assert "&lt;https://evil.example/x|Klicka här&gt; a &amp; b &lt;#C0CONF01&gt;" in police
    city = text_of(replies_from(bot, conf, "Stockholms stad")[0])
    assert "inget &lt;!channel&gt; &amp; mer" in city and "&amp;lt;" not in city
    assert report_of(bot, "stockholm", week=48).current.fields["lage"] == "inget <!channel> & mer"
    reports = report_messages(bot, conf)
    assert len(reports) == 2
    for m in reports:
        raw = text_of(m)
        assert "<!" not in raw and "<@" not in raw and "<http" not in raw and "<#" not in raw
    assert not [m for m in bot.emu.mentions_sent() if m.startswith("<!") or m == "<@U0SOS001>"]


def test_activated_mode_takes_the_report_unless_ordinarie_is_said(bot):
    conf = open_activated(bot, number=3)
    text = ephemeral(bot.slack.slash_command("/lagesbild", "Snöröjning pågår i hela länet.", user_id="U0STH001"))
    assert "inlämnad till aktiverat läge nr 3" in text and "finns i konferensens tråd" in text
    bot.drain()
    assert len(replies_from(bot, conf, "Stockholms stad")) == 1
    assert report_of(bot, "stockholm", conference_id=conf.id) is not None

    text = ephemeral(bot.slack.slash_command("/lagesbild", "ordinarie Vecka med normal drift.", user_id="U0STH001"))
    assert "inlämnad till den regionala samverkanskonferensen v. 48 (ordinarie läge)" in text
    assert report_of(bot, "stockholm", week=48).current.fields == {"lage": "Vecka med normal drift."}
    status = ephemeral(bot.slack.slash_command("/lagesbild", "status", user_id="U0POL001"))
    assert "Lägesbilder till aktiverat läge nr 3" in status
    status = ephemeral(bot.slack.slash_command("/lagesbild", "ordinarie status", user_id="U0POL001"))
    assert "Lägesbilder till den regionala samverkanskonferensen v. 48" in status
    text = ephemeral(bot.slack.slash_command("/lagesbild", "ordinarie inget", user_id="U0POL001"))
    assert "för Polisregion Stockholm inlämnad till den regionala samverkanskonferensen v. 48" in text
    assert report_of(bot, "polisen", week=48).nothing_new
    assert report_of(bot, "polisen", conference_id=conf.id) is None


def test_help(bot):
    text = ephemeral(bot.slack.slash_command("/lagesbild", "hjälp", user_id="U0OUTSIDER"))
    for expected in ("`/lagesbild inget`", "`/lagesbild status`", "`/lagesbild ordinarie …`", "3000 tecken",
                     "sekretessbelagd"):
        assert expected in text


def test_ordinarie_is_just_a_word_without_activated_mode(bot):
    ephemeral(bot.slack.slash_command("/lagesbild", "Ordinarie verksamhet, inga störningar.", user_id="U0RST001"))
    assert report_of(bot, "region-stockholm", week=48).current.fields == {
        "lage": "Ordinarie verksamhet, inga störningar."}


def test_after_the_close_a_report_goes_to_next_week(bot):
    bot.tick(at(16, 0, 1))
    bot.tick(at(17, 0, 1))
    assert conference(bot, 48).status == "closed"
    text = ephemeral(bot.slack.slash_command("/lagesbild", "Kvällen lugn.", user_id="U0POL001"))
    assert "inlämnad till den regionala samverkanskonferensen v. 49 (ordinarie läge), torsdag 3 december kl. 16.00" in text
    assert report_of(bot, "polisen", week=49) is not None and report_of(bot, "polisen", week=48) is None
    week49 = conference(bot, 49)
    assert week49.status == "scheduled" and week49.held_on == "2026-12-03"


def test_long_report_is_split_and_a_shorter_revision_empties_the_extra_message(bot):
    from tests.test_report_support import open_modal, submit

    bot.tick(at(16, 0, 1))
    conf = conference(bot, 48)
    view = open_modal(bot, "U0LST001")
    long = {key: (f"{key} " + "<ord> & mer " * 400)[:3000] for key in
            ("lage", "intraffat", "kommande", "konsekvenser", "atgarder", "behov", "kommunikation")}
    r = submit(bot, "U0LST001", view, **long, status="påverkad")
    assert r.status_code == 200 and r.json()["response_action"] == "update"
    bot.drain()
    parts = replies_from(bot, conf, "Länsstyrelsen Stockholm")
    assert len(parts) >= 2
    whole = "\n".join(text_of(p) for p in parts)
    for key in long:  # nothing cut: every field's escaped words are there, in full
        assert f"{key} &lt;ord&gt; &amp; mer" in whole
    assert whole.count("&lt;ord&gt;") >= sum(v.count("<ord>") for v in long.values())
    assert "fortsätter (2/" in text_of(parts[1])
    with bot.ctx.sf() as s:
        assert not s.scalars(select(OutboxMessage).where(OutboxMessage.status == FAILED)).all()

    view = open_modal(bot, "U0LST001")
    r = submit(bot, "U0LST001", view, **{**{k: "" for k in long}, "lage": "Kort: läget stabilt."})
    assert r.status_code == 200
    bot.drain()
    again = replies_from(bot, conf, "Länsstyrelsen Stockholm")
    assert [m["ts"] for m in again] == [m["ts"] for m in parts]  # edited in place, nothing new posted
    assert "Kort: läget stabilt." in text_of(again[0]) and "&lt;ord&gt;" not in text_of(again[0])
    for extra in again[1:]:
        assert "behövs inte längre" in text_of(extra)


def test_a_report_stored_just_before_a_restart_is_posted_at_start_up(bot):
    from bot.report import flows, routing

    bot.tick(at(16, 0, 1))
    conf = conference(bot, 48)
    # Stored and confirmed, but the process stops before its follow-up (the thread post) runs.
    reply = flows.submit_quick(bot.ctx, "U0TRV001", routing.parse("Trafikolycka på E4 vid Häggvik."))
    assert "inlämnad" in reply.text
    bot.drain()
    assert replies_from(bot, conf, "Trafikverket") == []

    flows.publish_missing(bot.ctx)  # what start-up runs
    flows.publish_missing(bot.ctx)  # and again: nothing is posted twice
    bot.drain()
    mine = replies_from(bot, conf, "Trafikverket")
    assert len(mine) == 1 and "Trafikolycka på E4" in text_of(mine[0])


def test_a_burst_written_in_one_transaction_keeps_every_version_and_the_other_fields(bot):
    """Reports that wait for the writer together are one transaction, which reads the
    current reports of its actors once (bot.db.writer.Group.batch): an actor
    that reports twice in it gets versions 1 and 2, and a quick text keeps the fields a
    modal report gave (SOS Alarm's Behov)."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import event

    from tests.test_report_support import open_modal, submit

    view = open_modal(bot, "U0SOS001")
    assert submit(bot, "U0SOS001", view, lage="Normal drift.", behov="Samordna information om kyla.",
                  status="normal").status_code == 200
    users = ["U0POL001", "U0SSB001", "U0RST001", "U0TRV001", "U0STH001", "U0TYR001", "U0SOS001"]
    gate = threading.Event()
    groups_before = bot.ctx.writer.groups
    statements: list[str] = []
    engine = bot.ctx.sf.kw["bind"]

    def seen(conn, cursor, statement, *args):
        if threading.current_thread().name == "writer":
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    with ThreadPoolExecutor(max_workers=16) as pool:
        holder = pool.submit(bot.ctx.writer.write, lambda s, g: gate.wait(10))  # the writer waits: a queue builds
        first = [pool.submit(bot.slack.slash_command, "/lagesbild", f"Första från {u}.", user_id=u) for u in users]
        second = [pool.submit(bot.slack.slash_command, "/lagesbild", f"Andra från {u}.", user_id=u) for u in users]
        deadline = time.monotonic() + 3  # the test server has 8 threads: up to 8 wait for the writer
        while bot.ctx.writer._queue.qsize() < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
        gate.set()
        holder.result(10)
        assert all(f.result(10).status_code == 200 for f in first + second)
    event.remove(engine, "before_cursor_execute", seen)
    groups = bot.ctx.writer.groups - groups_before
    assert groups <= 8  # the 14 reports went in a few transactions, not 14
    current_reads = [st for st in statements if "FROM report JOIN report_version" in st]
    assert 0 < len(current_reads) <= groups, (len(current_reads), groups)  # one read of current reports per transaction, not one per report
    for user, actor in zip(users, ["polisen", "ssbf", "region-stockholm", "trafikverket", "stockholm", "tyreso",
                                   "sos-alarm"]):
        report = report_of(bot, actor, week=48)
        numbers = [v.version for v in report.versions]
        expected = [1, 2] if actor != "sos-alarm" else [1, 2, 3]
        assert numbers == expected and report.version == expected[-1], (actor, numbers)
        assert report.current.fields["lage"] in (f"Första från {user}.", f"Andra från {user}.")
    assert report_of(bot, "sos-alarm", week=48).current.fields["behov"] == "Samordna information om kyla."


def test_a_revision_then_a_first_report_in_one_transaction_are_written_together(bot):
    """The group's rows are inserted parents first (bot.db.writer): a revision queued before
    another actor's first report (whose report row joins the group's INSERT on
    PostgreSQL) needs no second try, and both are stored."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    assert bot.slack.slash_command("/lagesbild", "Första.", user_id="U0SOS001").status_code == 200
    gate = threading.Event()
    groups_before = bot.ctx.writer.groups
    with ThreadPoolExecutor(max_workers=4) as pool:
        holder = pool.submit(bot.ctx.writer.write, lambda s, g: gate.wait(10))
        revision = pool.submit(bot.slack.slash_command, "/lagesbild", "Andra.", user_id="U0SOS001")
        deadline = time.monotonic() + 3
        while bot.ctx.writer._queue.qsize() < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        first = pool.submit(bot.slack.slash_command, "/lagesbild", "Polisens första.", user_id="U0POL001")
        while bot.ctx.writer._queue.qsize() < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        gate.set()
        holder.result(10)
        assert revision.result(10).status_code == 200 and first.result(10).status_code == 200
    assert bot.ctx.writer.groups - groups_before == 2  # the holder, then both together: no unit ran again alone
    assert [v.version for v in report_of(bot, "sos-alarm").versions] == [1, 2]
    assert report_of(bot, "polisen").current.fields["lage"] == "Polisens första."
