"""The floor as people meet it in Slack: the live headline (edited, never reposted), its
buttons and who may press them, two presses at once, and /talarordning. Over signed HTTP
against the emulator."""
from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.conference.models import Conference
from bot.floor import flows as floor_flows
from bot.floor import service
from bot.region.models import Actor
from tests.helpers import block_text

STHLM = ZoneInfo("Europe/Stockholm")
CH = "C0CONF01"


def open_conference(bot) -> Conference:
    bot.tick(datetime(2026, 11, 26, 16, 0, tzinfo=STHLM))
    with bot.ctx.sf() as s:
        return s.scalars(select(Conference).where(Conference.iso_week == 48)).one()


def root(bot) -> dict:
    return next(m for m in bot.emu.messages(CH) if "Regional samverkanskonferens v. 48" in block_text(m))


def thread(bot) -> list[dict]:
    return bot.emu.thread(CH, root(bot)["ts"])[1:]


def headlines(bot) -> list[dict]:
    return [m for m in thread(bot) if "Talarordning v. 48" in block_text(m)]


def headline(bot) -> dict:
    found = headlines(bot)
    assert len(found) == 1, f"expected one headline, found {len(found)}"
    return found[0]


def turns(bot) -> list[str]:
    return [block_text(m) for m in thread(bot) if "Ordet till" in block_text(m)]


def press(bot, user: str, action_id: str, message: dict | None = None):
    r = bot.slack.block_action(user, action_id, message=message or headline(bot))
    assert r.status_code == 200
    bot.drain()
    return r


def replies_to(bot, n: int) -> list[str]:
    assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) >= n, timeout=5)
    return [p["json"]["text"] for p in bot.emu.response_posts]


def floor_turn(bot, conf) -> int:
    with bot.ctx.sf() as s:
        return service.get(s, conf.id).turn


def test_opening_posts_one_headline_and_calls_in_the_host(bot):
    conf = open_conference(bot)
    h = headline(bot)
    text = block_text(h)
    assert "*Ordet har:* Länsstyrelsen Stockholm" in text and "*Näst på tur:* Polisregion Stockholm" in text
    assert [e["text"]["text"] for e in h["blocks"][-2]["elements"]] == ["Nästa", "Hoppa över", "Begär ordet"]
    assert h["edits"] == [] and "<@" not in text
    assert turns(bot) == [turns(bot)[0]] and "Ordet till *Länsstyrelsen Stockholm*" in turns(bot)[0]
    assert "<@U0LST001> <@U0LST002>" in turns(bot)[0]
    assert "*Talarordning*" in block_text(root(bot)) and "37. Försvarsmakten Militärregion Mitt" in block_text(root(bot))
    assert floor_turn(bot, conf) == 1


def test_next_edits_the_headline_and_mentions_the_next_actor_once(bot):
    open_conference(bot)
    press(bot, "U0LST001", "floor_next")
    h = headline(bot)
    assert len(h["edits"]) == 1
    text = block_text(h)
    assert "*Ordet har:* Polisregion Stockholm :grey_question:" in text
    assert "*Har talat (1 av 37):* Länsstyrelsen Stockholm" in text
    assert len(turns(bot)) == 2 and "Ordet till *Polisregion Stockholm*" in turns(bot)[-1]
    assert turns(bot)[-1].count("<@U0POL001>") == 1 and "ingen lägesbild inskickad" in turns(bot)[-1]
    press(bot, "U0LST002", "floor_skip")  # a koordinator who is not the host's tib
    text = block_text(headline(bot))
    assert "*Ordet har:* SOS Alarm" in text and "*Överhoppade (1):* Polisregion Stockholm" in text
    assert len(headline(bot)["edits"]) == 2 and len(headlines(bot)) == 1
    # the floor's only mentions: the members of those who got the floor
    assert set(bot.emu.mentions_sent()) == {"<@U0LST001>", "<@U0LST002>", "<@U0POL001>", "<@U0SOS001>"}
    assert bot.emu.response_posts == []  # success shows in the headline, no ephemeral noise
    # both edits went through the presses' response_urls, not the Web API
    assert [r["ts"] for r in bot.emu.response_replaced] == [headline(bot)["ts"]] * 2
    assert "chat.update" not in [c.method for c in bot.emu.calls]


def test_next_and_skip_refused_for_others_and_nothing_changes(bot):
    conf = open_conference(bot)
    before = headline(bot)
    for user, action in (("U0POL001", "floor_next"), ("U0TRV002", "floor_skip"), ("U0OUTSIDER", "floor_next")):
        press(bot, user, action, before)
    texts = replies_to(bot, 3)
    assert all("Bara en koordinator eller Länsstyrelsen Stockholms TiB" in t for t in texts)
    assert all(p["json"]["response_type"] == "ephemeral" and p["json"].get("replace_original") is False
               for p in bot.emu.response_posts)
    assert headline(bot)["edits"] == [] and len(turns(bot)) == 1 and floor_turn(bot, conf) == 1


def test_request_the_floor_queues_after_the_current_speaker(bot):
    open_conference(bot)
    press(bot, "U0TRV002", "floor_request")  # a deltagare of Trafikverket
    assert "Trafikverket har begärt ordet" in replies_to(bot, 1)[0] and "nummer 1" in replies_to(bot, 1)[0]
    text = block_text(headline(bot))
    assert "*Begärt ordet:* Trafikverket (fråga/kommentar)" in text and "*Ordet har:* Länsstyrelsen" in text
    press(bot, "U0TRV001", "floor_request")  # the same actor again
    assert "Trafikverket har redan begärt ordet" in replies_to(bot, 2)[1]
    press(bot, "U0OUTSIDER", "floor_request")
    assert "inte medlem" in replies_to(bot, 3)[2]
    press(bot, "U0LST001", "floor_next")
    assert "*Ordet har:* Trafikverket (fråga/kommentar)" in block_text(headline(bot))
    last = turns(bot)[-1]
    assert "Ordet till *Trafikverket* för en fråga/kommentar" in last
    assert "<@U0TRV002>" in last and "<@U0TRV001>" not in last  # the one who asked
    press(bot, "U0LST001", "floor_next")
    assert "*Ordet har:* Polisregion Stockholm" in block_text(headline(bot))
    assert len(headlines(bot)) == 1


def test_two_presses_at_the_same_moment_move_the_floor_once(bot):
    conf = open_conference(bot)
    h = headline(bot)
    n = 6
    barrier = threading.Barrier(n)
    codes: list[int] = []

    def go(user: str) -> None:
        barrier.wait()
        codes.append(bot.slack.block_action(user, "floor_next", message=h).status_code)

    threads = [threading.Thread(target=go, args=(u,)) for u in ["U0LST001", "U0LST002"] * (n // 2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    bot.drain()
    assert codes == [200] * n
    assert floor_turn(bot, conf) == 2  # opened (1), moved once (2)
    assert len(turns(bot)) == 2 and "Polisregion Stockholm" in turns(bot)[-1]
    texts = replies_to(bot, n - 1)
    assert len(texts) == n - 1 and all("redan gått vidare" in t for t in texts)
    assert "*Ordet har:* Polisregion Stockholm" in block_text(headline(bot))
    # the new headline's button moves on from there
    press(bot, "U0LST001", "floor_next")
    assert floor_turn(bot, conf) == 3 and "*Ordet har:* SOS Alarm" in block_text(headline(bot))


def test_slash_command_shows_and_moves(bot):
    r = bot.slack.slash_command("/talarordning", "", user_id="U0POL001")  # before the opening: the planned order
    planned = block_text(r.json())
    assert "Planerad: konferensen är inte öppen än (öppnar torsdag 26 november kl. 16.00)" in planned
    assert "1. Länsstyrelsen Stockholm" in planned and "Polisregion Stockholm" in planned
    with bot.ctx.sf() as s:  # a question: nothing stored, not even the next conference
        assert s.scalar(select(func.count()).select_from(Conference)) == 0
    r = bot.slack.slash_command("/talarordning", "nästa", user_id="U0LST001")
    assert "Ingen konferens är öppen" in r.json()["text"]
    conf = open_conference(bot)
    r = bot.slack.slash_command("/talarordning", "", user_id="U0OUTSIDER")
    body = r.json()
    assert body["response_type"] == "ephemeral"
    text = block_text(body)
    assert ":loudspeaker: 1. Länsstyrelsen Stockholm" in text and "*har ordet*" in text
    assert "37. Försvarsmakten Militärregion Mitt" in text
    r = bot.slack.slash_command("/talarordning", "nästa", user_id="U0POL001")
    assert "Bara en koordinator" in r.json()["text"] and floor_turn(bot, conf) == 1
    r = bot.slack.slash_command("/talarordning", "nästa", user_id="U0LST002")
    assert r.json()["text"] == "Ordet går till Polisregion Stockholm."
    bot.drain()
    assert "*Ordet har:* Polisregion Stockholm" in block_text(headline(bot)) and len(headline(bot)["edits"]) == 1
    text = block_text(bot.slack.slash_command("/talarordning", "", user_id="U0POL001").json())
    assert ":white_check_mark: 1. Länsstyrelsen Stockholm" in text
    assert ":loudspeaker: 2. Polisregion Stockholm" in text
    r = bot.slack.slash_command("/talarordning", "baklänges", user_id="U0POL001")
    assert "Okänt val `baklänges`" in r.json()["text"]


def test_last_speaker_done_says_the_round_is_over_then_close_refuses(bot):
    conf = open_conference(bot)
    for _ in range(36):
        floor_flows.move(bot.ctx, "U0LST001", conf.id)
    bot.drain()
    assert "*Ordet har:* Försvarsmakten Militärregion Mitt" in block_text(headline(bot))
    press(bot, "U0LST001", "floor_next")
    h = headline(bot)
    text = block_text(h)
    assert "Alla har haft ordet" in text and "samlad lägesbild" in text and "Har talat (37 av 37)" in text
    assert [e["action_id"] for e in h["blocks"][-2]["elements"]] == ["floor_request"]
    assert len(headlines(bot)) == 1 and len(turns(bot)) == 37
    r = bot.slack.slash_command("/talarordning", "nästa", user_id="U0LST001")
    assert "Alla har redan haft ordet" in r.json()["text"]
    bot.tick(datetime(2026, 11, 26, 17, 0, tzinfo=STHLM))
    press(bot, "U0TRV001", "floor_request", h)  # the button of the copy a participant still sees
    assert "inte öppen längre" in replies_to(bot, 1)[0]
    r = bot.slack.slash_command("/talarordning", "", user_id="U0POL001")
    assert "Talarordning v. 49" in block_text(r.json()) and "Planerad" in block_text(r.json())  # next week's


def test_closing_leaves_the_headline_without_buttons(bot):
    conf = open_conference(bot)
    press(bot, "U0LST001", "floor_next")
    old = headline(bot)
    bot.tick(datetime(2026, 11, 26, 17, 0, tzinfo=STHLM))  # the closing flow calls floor_flows.on_close
    h = headline(bot)
    assert not any(b["type"] == "actions" for b in h["blocks"]) and "Konferensen är avslutad" in block_text(h)
    assert "*Ordet har:* Polisregion Stockholm" in block_text(h) and len(h["edits"]) == len(old["edits"]) + 1
    press(bot, "U0LST001", "floor_next", old)  # a button in an old copy of the message
    assert "inte öppen längre" in replies_to(bot, 1)[0] and floor_turn(bot, conf) == 2


def test_report_during_the_meeting_shows_in_the_headline(bot):
    from tests.test_floor_service import add_report

    conf = open_conference(bot)
    with bot.ctx.sf() as s:
        sos = s.scalars(select(Actor.id).where(Actor.key == "sos-alarm")).one()
    add_report(bot.ctx, conf.id, "sos-alarm", need=True)
    with bot.ctx.tx() as s:
        floor_flows.on_reports(bot.ctx, s, s.get(Conference, conf.id), [sos])
    bot.drain()
    text = block_text(headline(bot))
    assert "*Näst på tur:* Polisregion Stockholm :grey_question:, Storstockholms brandförsvar" in text
    with bot.ctx.sf() as s:
        assert service.state_of(service.get(s, conf.id)).waiting[-1].actor == sos
    assert len(headline(bot)["edits"]) == 1 and len(headlines(bot)) == 1
