"""After the conference over signed HTTP against the emulator: snabbutvärdering (DM at
close, modal, refusals), erfarenhetslogg, målkonflikter with Löst, ärenden moved step by
step by a koordinator (refused for anyone else) and /samverkan statistik."""
from __future__ import annotations

from bot.cases import flows as case_flows
from bot.cases.models import Case, CaseStep
from bot.conflicts.models import Conflict
from bot.evaluation.models import Evaluation
from bot.lessons.models import Lesson
from bot.region.models import Actor
from tests.after_support import (KOORD, KOORD2, OUTSIDER, POLIS, TRV, new_view, press, rows,
                                 samverkan)
from bot.slack.text import unescape
from tests.helpers import text_of
from tests.test_summary_support import at, close_conference, open_conference

EVAL_DM = "Snabbutvärdera konferensen v. 48"


def _scores(f: str, t: str, u: str, **texts: str) -> dict:
    out = {k: {"score": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": v},
                                                                      "value": v}}}
           for k, v in (("facilitering", f), ("teknik", t), ("upplagg", u))}
    out.update({k: {"text": v} for k, v in texts.items()})
    return out


def test_close_dms_snabbutvardera_and_the_modal_stores_the_evaluation(bot):
    conf = open_conference(bot)
    close_conference(bot)
    for user in (KOORD, KOORD2):  # koordinators; U0LST001 is also the host's tib: one DM
        dms = [m for m in bot.emu.dms(user) if m["text"] == EVAL_DM]
        assert len(dms) == 1, [m["text"] for m in bot.emu.dms(user)]
    assert not [m for m in bot.emu.dms(POLIS) if m["text"] == EVAL_DM]
    dm = next(m for m in bot.emu.dms(KOORD) if m["text"] == EVAL_DM)
    known = set(bot.emu.views)
    assert press(bot, KOORD, "evaluation_open", message=dm) == []
    view = new_view(bot, known, "evaluation")
    assert "konferensen v. 48" in text_of(view)
    r = bot.slack.view_submission(KOORD, view, _scores("4", "2", "5", ville="Gemensam bild av <halkan>",
                                                       lar="Dela kartan före"))
    assert "Din snabbutvärdering av konferensen v. 48 är sparad" in text_of(r.json()["view"])
    (row,) = rows(bot, Evaluation)
    assert (row.conference_id, row.user_id, row.facilitering, row.teknik, row.upplagg) == (conf.id, KOORD, 4, 2, 5)
    assert (row.ville, row.blev, row.lar) == ("Gemensam bild av <halkan>", None, "Dela kartan före")

    # /samverkan utvärdera opens it again, prefilled; a second submission replaces the first
    known = set(bot.emu.views)
    assert samverkan(bot, "utvärdera", KOORD, modal=True) == ""
    again = new_view(bot, known, "evaluation")
    score = next(b for b in again["blocks"] if b.get("block_id") == "teknik")["element"]
    assert score["initial_option"]["value"] == "2"
    r = bot.slack.view_submission(KOORD, again, _scores("5", "3", "5"))
    assert "ersätter din tidigare" in text_of(r.json()["view"])
    (row,) = rows(bot, Evaluation)
    assert (row.facilitering, row.teknik, row.ville) == (5, 3, None)


def test_evaluation_refusals(bot):
    assert "ingen konferens som har hållits" in samverkan(bot, "utvärdera", KOORD)
    open_conference(bot)
    assert "koordinatorerna och värdaktörens TiB" in samverkan(bot, "utvärdera", POLIS)
    assert "koordinatorerna och värdaktörens TiB" in samverkan(bot, "utvärdera", OUTSIDER)
    known = set(bot.emu.views)
    samverkan(bot, "utvärdera", KOORD2, modal=True)
    view = new_view(bot, known, "evaluation")
    r = bot.slack.view_submission(POLIS, view, _scores("3", "3", "3"))  # someone else submits it
    assert "koordinatorerna och värdaktörens TiB" in text_of(r.json()["view"])
    forged = {**view, "private_metadata": "999"}
    r = bot.slack.view_submission(KOORD2, forged, _scores("3", "3", "3"))
    assert "Konferensen finns inte längre" in text_of(r.json()["view"])
    assert rows(bot, Evaluation) == []


def test_lessons_are_tied_to_the_latest_conference_and_listed_escaped(bot):
    assert "Lärdomen är sparad i erfarenhetsloggen." in samverkan(bot, "lärdom Före första konferensen", POLIS)
    conf = open_conference(bot)
    assert "(konferensen v. 48)" in samverkan(bot, "lärdom Dela kartan <före> & i tid", TRV)
    assert "Skriv `/samverkan lärdom <text>`" in samverkan(bot, "lärdom", TRV)
    assert "inte med i regionfilen" in samverkan(bot, "lärdom Hej", OUTSIDER)
    first, second = rows(bot, Lesson)
    assert first.conference_id is None and (second.conference_id, second.user_id, second.text) == (
        conf.id, TRV, "Dela kartan <före> & i tid")
    with bot.ctx.sf() as s:
        assert s.get(Actor, second.actor_id).key == "trafikverket"
    listed = samverkan(bot, "lärdomar", POLIS)
    assert "Erfarenhetslogg (2 lärdomar)" in listed
    assert "Dela kartan &lt;före&gt; &amp; i tid" in listed and "<före>" not in listed
    assert listed.index("Dela kartan") < listed.index("Före första")  # newest first
    assert "inte med i regionfilen" in samverkan(bot, "lärdomar", OUTSIDER)


def test_conflicts_recorded_listed_and_resolved_by_a_koordinator_only(bot):
    open_conference(bot)
    saved = samverkan(bot, "konflikt polisen, Trafikverket: Avstängning av E4 mot <framkomlighet>", POLIS)
    assert "Målkonflikt #1 (Polisregion Stockholm, Trafikverket) är noterad" in saved
    assert "Okänd aktör `brandkaren`" in samverkan(bot, "konflikt polisen brandkaren: x", POLIS)
    assert "Skriv `/samverkan konflikt" in samverkan(bot, "konflikt polisen utan kolon", POLIS)
    assert "Skriv vad konflikten gäller" in samverkan(bot, "konflikt polisen:  ", POLIS)
    assert "inte med i regionfilen" in samverkan(bot, "konflikt polisen: x", OUTSIDER)
    samverkan(bot, "konflikt Region Stockholm sos-alarm: Ambulanser vid storhelg", TRV)
    (first, second) = rows(bot, Conflict)
    with bot.ctx.sf() as s:
        assert [s.get(Actor, i).key for i in second.actor_ids] == ["region-stockholm", "sos-alarm"]

    r = bot.slack.slash_command("/samverkan", "konflikter", user_id=POLIS, channel_id=bot.cfg.channel)
    listing = r.json()
    assert "Öppna målkonflikter: 2" in text_of(listing)
    assert "Polisregion Stockholm ↔ Trafikverket: Avstängning av E4 mot &lt;framkomlighet&gt;" in text_of(listing)
    message = {"ts": "1.0", "text": listing["text"], "blocks": listing["blocks"], "channel": bot.cfg.channel}
    refused = press(bot, POLIS, "conflict_resolve", value=str(first.id), message=None)
    assert refused and "Bara en samverkanskoordinator" in text_of(refused[0])
    assert rows(bot, Conflict)[0].resolved_at is None
    done = press(bot, KOORD, "conflict_resolve", message=message)  # the first Löst button: #1
    assert "Målkonflikt #1 är markerad som löst" in text_of(done[0])
    assert rows(bot, Conflict)[0].resolved_by == KOORD
    again = press(bot, KOORD2, "conflict_resolve", value=str(first.id))
    assert "redan markerad som löst" in text_of(again[0])
    assert "Öppna målkonflikter: 1" in samverkan(bot, "konflikter", POLIS)
    assert "okänd" not in samverkan(bot, "konflikter", POLIS)


def _raise(bot, text: str, user: str = POLIS) -> Case:
    """An ärende as `/atgard lyft` makes it (the flow it calls, in its own transaction)."""
    with bot.ctx.tx() as s:
        actor = s.query(Actor).filter_by(key="polisen").one()
        case = case_flows.create(bot.ctx, s, conference_id=None, action_item_id=None, actor_id=actor.id, user=user,
                                 text=text)
        s.flush()
        return case


def _steps(listing: dict) -> list[tuple[str, str]]:
    return [(e["text"]["text"], e["value"]) for b in listing.get("blocks", []) if b["type"] == "actions"
            for e in b["elements"]]


def test_arenden_move_step_by_step_with_comments_and_dms(bot):
    case = _raise(bot, "Gemensam vinterberedskap <E4>")
    r = bot.slack.slash_command("/samverkan", "ärenden", user_id=POLIS, channel_id=bot.cfg.channel)
    assert "Ärenden (öppna): 1" in text_of(r.json()) and _steps(r.json()) == []  # no buttons for a tib
    assert "Gemensam vinterberedskap &lt;E4&gt;" in text_of(r.json())
    assert "till Regionala samordningsgruppen" in text_of(r.json())
    r = bot.slack.slash_command("/samverkan", "arenden", user_id=KOORD, channel_id=bot.cfg.channel)
    listing = r.json()
    assert _steps(listing) == [("→ behandlas", f"{case.id}:behandlas:lyft"), ("→ avslutat", f"{case.id}:avslutat:lyft")]
    message = {"ts": "1.0", "text": listing["text"], "blocks": listing["blocks"], "channel": bot.cfg.channel}

    refused = press(bot, TRV, "case_move", message=message)
    assert refused and "Bara en samverkanskoordinator" in text_of(refused[0])
    known = set(bot.emu.views)
    assert press(bot, KOORD, "case_move", message=message) == []
    view = new_view(bot, known, "case_move")
    assert "Från *lyft* till *behandlas*" in text_of(view)
    r = bot.slack.view_submission(KOORD, view, {"comment": {"text": "   "}})
    assert r.json() == {"response_action": "errors", "errors": {"comment": "Skriv en kommentar: den skickas till den som lyfte ärendet."}}
    r = bot.slack.view_submission(TRV, view, {"comment": {"text": "Jag tar det"}})
    assert "Bara en samverkanskoordinator" in text_of(r.json()["view"])
    r = bot.slack.view_submission(KOORD, view, {"comment": {"text": "Tas upp i RSG 3 dec"}})
    assert "Ärende #1 är nu *behandlas*" in text_of(r.json()["view"])
    bot.drain()
    dm = bot.emu.dms(POLIS)[-1]
    assert dm["text"] == "Ärende #1 är nu behandlas" and "Tas upp i RSG 3 dec" in text_of(dm)
    # the same (stale) modal again: refused, nothing changes
    r = bot.slack.view_submission(KOORD2, view, {"comment": {"text": "Igen"}})
    assert "har redan flyttats: det är nu *behandlas*" in text_of(r.json()["view"])

    for to, comment in (("beslutat", "RSG beslutade: gemensam plan"), ("aterkopplat", "Återkopplat till polisen")):
        value = f"{case.id}:{to}:{rows(bot, Case)[0].status}"
        known = set(bot.emu.views)
        press(bot, KOORD2, "case_move", value=value)
        r = bot.slack.view_submission(KOORD2, new_view(bot, known, "case_move"), {"comment": {"text": comment}})
        assert r.status_code == 200
    (row,) = rows(bot, Case)
    assert (row.status, row.owner) == ("aterkopplat", KOORD2)
    assert [(s.from_status, s.to_status, s.user_id) for s in rows(bot, CaseStep)] == [
        ("lyft", "behandlas", KOORD), ("behandlas", "beslutat", KOORD2), ("beslutat", "aterkopplat", KOORD2)]
    bot.drain()
    assert [m["text"] for m in bot.emu.dms(POLIS)][-3:] == [
        "Ärende #1 är nu behandlas", "Ärende #1 är nu beslutat", "Ärende #1 är nu återkopplat"]
    assert "Inga ärenden är öppna" in samverkan(bot, "ärenden", KOORD)
    everything = samverkan(bot, "ärenden alla", KOORD)
    assert "_återkopplat_" in everything and "Återkopplat till polisen" in everything
    bad = press(bot, KOORD, "case_move", value=f"{case.id}:avslutat:aterkopplat")
    assert "kan inte gå från återkopplat till avslutat" in text_of(bad[0])
    assert "finns inte" in text_of(press(bot, KOORD, "case_move", value="77:behandlas:lyft")[0])


def test_statistik_for_a_koordinator_with_the_chart_in_the_dm(bot):
    open_conference(bot)
    close_conference(bot)
    bot.clock.set(at(18, 0))
    text = samverkan(bot, "statistik", KOORD)
    assert "*Uppföljning T3 2026 (1 sep.–31 dec.)*" in text or "*Uppföljning T3 2026" in text
    assert "Konferenser: 1 hållna" in text and "Diagrammet kommer som direktmeddelande" in text
    bot.drain()
    files = [m for m in bot.emu.dms(KOORD) if m.get("files")]
    assert len(files) == 1 and files[0]["files"][0]["name"] == "samverkan-2026-T3.png"
    assert "Uppföljning år 2026" in samverkan(bot, "statistik år", KOORD)
    assert "Okänd period `förra veckan`" in samverkan(bot, "statistik förra veckan", KOORD)
    assert "Bara en samverkanskoordinator" in samverkan(bot, "statistik", POLIS)
    bot.drain()
    assert not [m for m in bot.emu.dms(POLIS) if m.get("files")]


def test_help_names_the_after_verbs(bot):
    help_text = unescape(samverkan(bot, "hjälp", POLIS))  # as Slack shows it
    for verb in ("utvärdera", "lärdom <text>", "lärdomar", "ärenden [alla]", "konflikt <aktör>", "konflikter",
                 "statistik [tertial|år|2026-T3]"):
        assert f"/samverkan {verb}" in help_text, verb
