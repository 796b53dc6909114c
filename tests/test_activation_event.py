"""While an activation runs, over signed HTTP: avstämningar and their reminders,
calling in one more actor, per-actor phase, and /avaktivera."""
from __future__ import annotations

from sqlalchemy import select

from bot.activation.models import Avstamning, Participant
from bot.audit.models import AuditEntry
from bot.schedule.models import JobClaim
from tests.helpers import block_text
from tests.test_activation import (
    CH, KOORD, KOORD2, REASON, TIBS, activate, activated, activation_root, audit_actions, command, dm_texts, local,
    thread_texts,
)


def avstamningar(bot) -> list[Avstamning]:
    with bot.ctx.sf() as s:
        return list(s.scalars(select(Avstamning).order_by(Avstamning.id)))


# ---- avstämning -------------------------------------------------------------------------
def test_avstamning_calls_in_and_reminds_at_that_time(bot):
    activate(bot)
    answer = command(bot, "/aktivera", "avstämning 14:00", KOORD2)
    assert answer == "Nästa avstämning: idag kl. 14.00. 8 aktörer är kallade och påminns då."
    bot.drain()
    (a,) = avstamningar(bot)
    assert a.at == local(14) and a.status == "planned"
    set_msg = thread_texts(bot)[-1]
    assert "Nästa avstämning idag kl. 14.00" in set_msg and all(f"<@{u}>" in set_msg for u in TIBS)
    assert "Nästa avstämning idag kl. 14.00" in dm_texts(bot, "U0POL001")[-1]
    assert "activation.avstamning_set" in audit_actions(bot)
    assert "Nästa avstämning:* idag kl. 14.00" in command(bot, "/aktivera", "status", "U0POL001")

    bot.tick(local(13, 59))
    assert "Avstämning nu" not in "\n".join(thread_texts(bot))
    bot.tick(local(14, 0))
    reminders = [t for t in thread_texts(bot) if "Avstämning nu, kl. 14.00" in t]
    assert len(reminders) == 1 and all(f"<@{u}>" in reminders[0] for u in TIBS)
    for u in TIBS[1:]:
        assert "Avstämning nu, kl. 14.00" in dm_texts(bot, u)[-1], u
    assert avstamningar(bot)[0].status == "reminded"
    assert "activation.avstamning_reminded" in audit_actions(bot)
    bot.tick(local(14, 1))  # never twice
    assert len([t for t in thread_texts(bot) if "Avstämning nu" in t]) == 1
    with bot.ctx.sf() as s:
        assert s.get(JobClaim, (bot.ctx.region_id, local(14).date(), f"avstamning:{a.id}")) is not None


def test_avstamning_time_passed_is_tomorrow_and_a_new_one_replaces_it(bot):
    activate(bot)
    assert "i morgon kl. 07.30" in command(bot, "/aktivera", "avstämning 7.30", KOORD)
    assert "idag kl. 15.00" in command(bot, "/aktivera", "avstamning kl. 15", KOORD)
    first, second = avstamningar(bot)
    assert first.at == local(7, 30, day=27) and first.status == "replaced"
    assert second.at == local(15) and second.status == "planned"
    bot.tick(local(7, 30, day=27))  # the replaced one is never reminded
    assert "Avstämning nu, kl. 07.30" not in "\n".join(thread_texts(bot))


def test_bad_avstamning_times_are_refused_with_an_example(bot):
    activate(bot)
    for bad in ("25:00", "14:75", "snart", ""):
        answer = command(bot, "/aktivera", f"avstämning {bad}", KOORD)
        assert "ingen tid" in answer and "`/aktivera avstämning 14:00`" in answer, bad
    assert "Bara en samverkanskoordinator" in command(bot, "/aktivera", "avstämning 14:00", "U0POL001")
    assert avstamningar(bot) == []


# ---- calling in and phases ----------------------------------------------------------------
def test_calling_in_one_more_actor(bot, emu):
    activate(bot)
    before = len(dm_texts(bot, "U0TRV001"))
    answer = command(bot, "/aktivera", "kalla Trafikverket", KOORD)
    assert answer.startswith("Trafikverket har kallats (1 medlem)")
    bot.drain()
    last = thread_texts(bot)[-1]
    assert f"<@{KOORD}> kallar in fler aktörer" in last and "*Trafikverket*: <@U0TRV001>" in last
    assert len(dm_texts(bot, "U0TRV001")) == before + 1
    assert "Du kallas för Trafikverket" in dm_texts(bot, "U0TRV001")[-1]
    # by a member's mention (should_escape sends <@U…|name>): that member's actor
    answer = command(bot, "/aktivera", "kalla <@U0POL001|polisen.001>", KOORD)
    assert answer.startswith("Polisregion Stockholm har kallats")
    (conf,) = activated(bot)
    with bot.ctx.sf() as s:
        trv = s.scalars(select(Participant).where(Participant.conference_id == conf.id)).all()
        assert sorted(p.times_called for p in trv) == [1] * 6 + [2, 2]
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "activation.called_in")).all()
        assert [e.details["actors"] for e in entries][1:] == [["trafikverket"], ["polisen"]]

    assert "Okänd aktör “brandkåren x”" in command(bot, "/aktivera", "kalla brandkåren x", KOORD)
    assert "Brandkåren Attunda har inga medlemmar" in command(bot, "/aktivera", "kalla attunda", KOORD)
    assert "Ange vilken aktör" in command(bot, "/aktivera", "kalla", KOORD)
    assert "Bara en samverkanskoordinator" in command(bot, "/aktivera", "kalla polisen", "U0POL001")


def test_kalla_with_nothing_active_is_read_as_a_reason(bot):
    assert "nr 1 (2026) har startat" in activate(bot, "kalla vindar och isbildning", user=KOORD)
    assert activated(bot)[0].reason == "kalla vindar och isbildning"


def test_phase_per_actor_is_shown_in_the_status(bot):
    activate(bot)
    assert command(bot, "/aktivera", "fas polisen efterskede", KOORD) == "Polisregion Stockholm: efterskede."
    assert command(bot, "/aktivera", "fas SOS Alarm efterfas", KOORD) == "SOS Alarm: efterskede."  # the old word works
    assert command(bot, "/aktivera", "fas sos-alarm pågående", KOORD) == "SOS Alarm: pågående."
    bot.drain()
    assert "*Polisregion Stockholm* är nu i *efterskede*" in "\n".join(thread_texts(bot))
    status = command(bot, "/aktivera", "status", "U0TYR001")
    assert "*Efterskede* (1): Polisregion Stockholm" in status and "*Pågående* (7)" in status
    assert "Skriv aktören och fasen" in command(bot, "/aktivera", "fas polisen klar", KOORD)
    assert "inte kallad" in command(bot, "/aktivera", "fas attunda efterfas", KOORD)
    assert "Bara en samverkanskoordinator" in command(bot, "/aktivera", "fas polisen pågående", "U0POL001")
    # an avstämning names the actors in efterskede and does not call them in (issue 11)
    command(bot, "/aktivera", "avstämning 14:00", KOORD)
    bot.drain()
    assert "<@U0POL001>" not in thread_texts(bot)[-1]
    assert "I efterskede (kallas inte): Polisregion Stockholm" in thread_texts(bot)[-1]


# ---- the end -----------------------------------------------------------------------------
def test_deactivation_posts_summary_closes_and_returns_to_ordinarie_lage(bot):
    activate(bot)
    command(bot, "/aktivera", "avstämning 14:00", KOORD)
    assert "Bara en samverkanskoordinator" in command(bot, "/avaktivera", "", "U0POL001")
    assert "inte medlem" in command(bot, "/avaktivera", "", "U0OUTSIDER")
    assert activated(bot)[0].status == "open"

    answer = command(bot, "/avaktivera", "Vädret har mojnat <b>", KOORD)
    assert answer.startswith("Aktiverat läge nr 1 är avslutat. Ordinarie läge gäller")
    bot.drain()
    (conf,) = activated(bot)
    assert (conf.status, conf.closed_at, conf.closing_comment) == ("closed", local(8), "Vädret har mojnat <b>")
    closing = thread_texts(bot)[-1]
    assert "Aktiverat läge nr 1 är avslutat* av <@U0LST001>" in closing and "mojnat &lt;b&gt;" in closing
    notice = block_text(bot.emu.messages(CH)[-1])
    assert "Åter till ordinarie läge." in notice and REASON in notice and "Vädret har mojnat &lt;b&gt;" in notice
    actions = audit_actions(bot)
    steps = ["activation.deactivate", "activation.closed", "activation.summary_posted", "activation.ordinary_mode"]
    assert [a for a in actions if a in steps] == steps
    assert avstamningar(bot)[0].status == "cancelled"
    bot.tick(local(14))
    assert not any("Avstämning nu" in t for t in thread_texts(bot))

    assert "ordinarie läge gäller redan" in command(bot, "/avaktivera", "", KOORD2)
    assert "Inget aktiverat läge pågår" in command(bot, "/aktivera", "status", KOORD2)
    # kept for export: the conference and its thread are still there
    assert activation_root(bot)["ts"] == conf.root_ts
    bot.tick(local(16))  # the ordinary opening no longer mentions it
    ordinary = [block_text(m) for m in bot.emu.messages(CH) if "Regional samverkanskonferens v. 48" in block_text(m)]
    assert ordinary and "Aktiverat läge pågår" not in ordinary[0]


# ---- reports go to the activated conference (the lägesbild capability routes them) ------------
def test_lagesbild_during_an_activation_lands_in_the_activated_thread(bot):
    activate(bot)
    answer = command(bot, "/lagesbild", "Vägarna är hala, plogning pågår", "U0TRV001")
    assert "inlämnad till aktiverat läge nr 1" in answer
    bot.drain()
    reports = [t for t in thread_texts(bot) if "Vägarna är hala, plogning pågår" in t]
    assert len(reports) == 1 and "Trafikverket" in reports[0]
    elsewhere = [m for m in bot.emu.all_posts() if "Vägarna är hala" in block_text(m)]
    assert len(elsewhere) == 1  # not in the ordinary conference, not top-level


def test_the_speaking_order_of_an_activation_is_who_was_called_in(bot):
    """Those called in take part (not the whole region); one called in later joins the end,
    and the summary counts them, not all 37 actors."""
    from sqlalchemy import select

    from bot.conference.models import Conference
    from bot.floor import service as floor_service
    from bot.floor.state import TURN

    bot.slack.slash_command("/aktivera", "Gasläcka i Hjulsta", user_id="U0LST001", channel_id=bot.cfg.channel)
    bot.drain()
    with bot.ctx.sf() as s:
        conf = s.scalars(select(Conference).where(Conference.kind == "activated")).one()
        actors = [e.actor for e in floor_service.state_of(floor_service.get(s, conf.id)).entries if e.kind == TURN]
        keys = {a.id: a.key for a in floor_service.actors_by_id(s, conf.region_id).values()}
    with_tib = {m.actor for m in bot.cfg.members if "tib" in m.roles}
    assert {keys[a] for a in actors} == with_tib and len(actors) == len(with_tib) < 37

    bot.slack.slash_command("/avaktivera", "Klart", user_id="U0LST001", channel_id=bot.cfg.channel)
    bot.drain()
    summary = [m for m in bot.emu.thread(bot.cfg.channel, conf.root_ts) if "Samlad lägesbild" in str(m.get("blocks"))]
    assert summary and f"0 av {len(with_tib)} aktörer har rapporterat" in str(summary[0]["blocks"])


def test_an_actor_called_in_later_joins_the_end_of_the_order_once():
    from bot.floor.state import FloorState, join

    state = FloorState()
    state, changed = join(state, 7)
    assert changed and [e.actor for e in state.entries] == [7] and state.entries[0].reported is False
    again, changed = join(state, 7)
    assert not changed and again == state


def test_deactivation_comment_is_shown_as_typed(bot):
    """Slack sends &, < and > escaped; the comment is stored as typed and escaped once."""
    bot.slack.slash_command("/aktivera", "Övning", user_id="U0LST001", channel_id=bot.cfg.channel)
    bot.slack.slash_command("/avaktivera", "Tack R&amp;D &lt;3", user_id="U0LST001", channel_id=bot.cfg.channel)
    bot.drain()
    shown = "\n".join(str(m.get("blocks")) for m in bot.emu.messages(bot.cfg.channel))
    assert "Tack R&amp;D &lt;3" in shown and "&amp;amp;" not in shown
