"""Aktiverat läge over signed HTTP against the emulator: a koordinator's direct
activation with call-in, refusals, status, and the ordinary opening's note.
(Helpers here are shared by the other test_activation_*.py files.)"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.activation.models import Participant
from bot.audit.models import AuditEntry
from bot.conference.models import Conference
from bot.slack.text import unescape
from tests.helpers import block_text

STHLM = ZoneInfo("Europe/Stockholm")
CH = "C0CONF01"
KOORD, KOORD2 = "U0LST001", "U0LST002"  # U0LST001 is also Länsstyrelsen's TiB
TIBS = ["U0LST001", "U0POL001", "U0SOS001", "U0SSB001", "U0RST001", "U0TRV001", "U0STH001", "U0TYR001"]
REASON = "SMHI klass 2-varning för mycket snö inom 24 timmar"


def local(hh: int, mm: int = 0, day: int = 26) -> datetime:
    return datetime(2026, 11, day, hh, mm, tzinfo=STHLM)


def command(bot, cmd: str, text: str, user: str) -> str:
    r = bot.slack.slash_command(cmd, text, user_id=user, channel_id=CH)
    assert r.status_code == 200, r.text
    return r.json()["text"]


def activate(bot, reason: str = REASON, user: str = KOORD2) -> str:
    answer = command(bot, "/aktivera", reason, user)
    bot.drain()
    return answer


def activation_root(bot, number: int = 1, channel: str = CH) -> dict:
    roots = [m for m in bot.emu.messages(channel) if (m.get("blocks") or [{}])[0].get("type") == "header"
             and f"AKTIVERAT LÄGE nr {number} " in m["blocks"][0]["text"]["text"]]
    assert len(roots) == 1, [block_text(m) for m in bot.emu.messages(channel)]
    return roots[0]


def thread_texts(bot, number: int = 1, channel: str = CH) -> list[str]:
    root = activation_root(bot, number, channel)
    return [block_text(m) for m in bot.emu.thread(channel, root["ts"])[1:]]


def activated(bot) -> list[Conference]:
    with bot.ctx.sf() as s:
        return list(s.scalars(select(Conference).where(Conference.kind == "activated").order_by(Conference.id)))


def audit_actions(bot) -> list[str]:
    with bot.ctx.sf() as s:
        return [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def dm_texts(bot, user: str) -> list[str]:
    return [block_text(m) for m in bot.emu.dms(user)]


# ---- tests ------------------------------------------------------------------------------
def test_koordinator_activates_at_once_and_calls_in_every_tib(bot):
    answer = activate(bot, "Snö <b> & is", user=KOORD)
    assert "Aktiverat läge nr 1 (2026) har startat" in answer and "8 aktörer" in answer

    (conf,) = activated(bot)
    assert (conf.kind, conf.status, conf.year, conf.number, conf.week_key) == ("activated", "open", 2026, 1, None)
    assert conf.reason == "Snö <b> & is" and conf.activated_by == KOORD and conf.channel == CH
    assert conf.opened_at == local(8) and conf.root_ts is not None

    root = activation_root(bot)
    assert root["ts"] == conf.root_ts and root["thread_ts"] is None  # a top-level message
    text = block_text(root)
    assert root["blocks"][0]["text"]["text"] == "AKTIVERAT LÄGE nr 1 (2026)"
    assert "Snö &lt;b&gt; &amp; is" in text and "<b>" not in text  # the reason is escaped
    assert f"Aktiverat av <@{KOORD}>" in text and "Torsdag 26 november 2026 kl. 08.00" in text
    agenda = text[text.index("*Dagordning*"):]
    order = [agenda.index(w) for w in ("Kommunikation", "Lägesbild per aktör", "Behov av samordning", "Åtgärder",
                                       "Nästa avstämning")]
    assert order == sorted(order) and agenda.index("1. *Kommunikation*") >= 0

    callin = text[text.index("Kallelse till aktiverat läge nr 1."):]  # in the root message itself
    for u in TIBS:
        assert f"<@{u}>" in callin, u
    assert "<@U0TRV002>" not in callin and "<@U0LST002>" not in callin  # deltagare / koordinator only
    assert "Polisregion Stockholm*: <@U0POL001>" in callin

    for u in TIBS[1:]:
        (dm,) = dm_texts(bot, u)
        assert "AKTIVERAT LÄGE nr 1 (2026)" in dm and "Snö &lt;b&gt; &amp; is" in dm and "/lagesbild" in dm
    assert dm_texts(bot, KOORD) == []  # the one who activated is not messaged about it
    assert dm_texts(bot, "U0TRV002") == []
    assert "du kallas för Trafikverket" in dm_texts(bot, "U0TRV001")[0]

    with bot.ctx.sf() as s:
        assert len(s.scalars(select(Participant).where(Participant.conference_id == conf.id)).all()) == 8
    assert {"activation.activated", "activation.called_in"} <= set(audit_actions(bot))
    assert not any(m in str(bot.emu.all_posts()) for m in ("<!channel>", "<!here>", "<!everyone>"))


def test_one_activation_at_a_time_and_numbers_run_through_the_year(bot):
    activate(bot, "Storm")
    answer = command(bot, "/aktivera", "Ytterligare händelse", KOORD)
    assert "Aktiverat läge nr 1 pågår redan (Storm)" in answer and "/avaktivera" in answer
    assert len(activated(bot)) == 1
    command(bot, "/avaktivera", "", KOORD)
    assert "nr 2 (2026)" in activate(bot, "Översvämning")
    assert [(c.number, c.status) for c in activated(bot)] == [(1, "closed"), (2, "open")]


def test_refusals_change_nothing(bot):
    assert "inte medlem" in command(bot, "/aktivera", "Storm", "U0OUTSIDER")
    answer = command(bot, "/aktivera", "   ", KOORD)  # no reason: status/help, nothing activated
    assert "Inget aktiverat läge pågår" in answer and "/aktivera avstämning 14:00" in answer
    long = command(bot, "/aktivera", "x" * 1501, KOORD)
    assert "för lång (1501 tecken, högst 1500)" in long
    assert "Inget aktiverat läge pågår" in command(bot, "/aktivera", "status", "U0POL001")
    assert "Inget aktiverat läge pågår" in command(bot, "/aktivera", "avstämning 14:00", KOORD)
    assert "Inget aktiverat läge pågår" in command(bot, "/aktivera", "fas polisen efterfas", KOORD)
    bot.drain()
    assert activated(bot) == [] and bot.emu.messages(CH) == [] and audit_actions(bot) == []


def test_text_escaped_by_slack_is_read_back_as_typed(bot):
    # /aktivera has should_escape: true, so Slack sends entities and <@U…|name> mentions
    activate(bot, "Brand hos &lt;Tyresö&gt; &amp; <@U0TYR001|tyreso.001>", user=KOORD)
    (conf,) = activated(bot)
    assert conf.reason == "Brand hos <Tyresö> & @tyreso.001"
    assert "Brand hos &lt;Tyresö&gt; &amp; @tyreso.001" in block_text(activation_root(bot))


def test_status_shows_phases_and_help_lists_the_syntax(bot):
    help_text = unescape(command(bot, "/aktivera", "hjälp", "U0POL001"))  # shown as Slack reads it
    for syntax in ("/aktivera avstämning 14:00", "/aktivera kalla <aktör>", "/aktivera fas <aktör> efterskede",
                   "/avaktivera [kommentar]"):
        assert syntax in help_text
    activate(bot)
    status = command(bot, "/aktivera", "", "U0POL001")
    assert "AKTIVERAT LÄGE nr 1 (2026)" in status and "*Pågående* (8)" in status and "*Efterskede* (0): inga" in status
    assert "inte satt" in status
    assert command(bot, "/aktivera", "status", "U0OUTSIDER").startswith(":rotating_light:")


def test_ordinary_thursday_conference_still_opens_and_notes_the_activation(bot):
    activate(bot)
    bot.tick(local(16, 0))
    ordinary = [m for m in bot.emu.messages(CH) if "Regional samverkanskonferens v. 48" in block_text(m)]
    assert len(ordinary) == 1
    text = block_text(ordinary[0])
    assert f"Aktiverat läge pågår (nr 1): {REASON} — se <https://emulator.slack.test/archives/{CH}/p" in text
    assert "|den separata tråden>" in text
    with bot.ctx.sf() as s:
        kinds = sorted((c.kind, c.status) for c in s.scalars(select(Conference)))
    assert kinds == [("activated", "open"), ("ordinary", "open")]


def test_two_koordinators_activating_at_once_open_one_activation(bot):
    import threading

    barrier, answers = threading.Barrier(2), []

    def go(user: str, reason: str) -> None:
        barrier.wait()
        answers.append(command(bot, "/aktivera", reason, user))

    threads = [threading.Thread(target=go, args=a) for a in ((KOORD, "Storm"), (KOORD2, "Snöoväder"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)
    bot.drain()
    assert len(answers) == 2 and len(activated(bot)) == 1, answers
    assert sum("har startat" in a for a in answers) == 1 and sum("pågår redan" in a for a in answers) == 1
    assert len([m for m in bot.emu.messages(CH) if "AKTIVERAT LÄGE nr" in block_text(m)]) == 1
