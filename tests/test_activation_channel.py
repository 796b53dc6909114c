"""`activation.separate_channel: true`: each activation gets its own new channel with the
members invited, created through the emulator's conversations.create/invite."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.activation.messages import ACCEPT_ACTION
from tests.conftest import RunningBot
from tests.helpers import block_text
from tests.test_activation import (
    CH, KOORD, KOORD2, REASON, TIBS, activated, activation_root, audit_actions, command, dm_texts, thread_texts,
)

CHANNEL_NAME = "snofall-1-2026-11-26"


def start_bot(database_url, cfg, emu):
    """The `bot` fixture's RunningBot, on another region config."""
    from alembic import command as alembic

    from bot.clock import FixedClock
    from bot.db.schema import alembic_config
    from bot.region.models import Region

    alembic.stamp(alembic_config(database_url), "head")
    clock = FixedClock(datetime(2026, 11, 26, 8, 0, tzinfo=ZoneInfo("Europe/Stockholm")))
    b = RunningBot(database_url, cfg, emu, clock)
    with b.ctx.sf.begin() as s:
        s.get(Region, b.ctx.region_id).created_at = datetime(2020, 1, 1, tzinfo=ZoneInfo("UTC"))
    return b


@pytest.fixture
def channel_bot(engine, database_url, region_cfg, emu):
    """The `bot` fixture with its own channel per activation (prefix "snofall"), and one
    more member: a deltagare (no TiB) of Södertörns brandförsvarsförbund."""
    from bot.config.region import MemberConfig

    cfg = region_cfg.model_copy(update={
        "activation": region_cfg.activation.model_copy(update={"separate_channel": True, "channel_prefix": "snofall"}),
        "members": (*region_cfg.members, MemberConfig(user="U0SBF001", actor="sbff", roles=["deltagare"])),
    })
    emu.add_user("U0SBF001", name="sbff.001")
    b = start_bot(database_url, cfg, emu)
    yield b
    b.close()


@pytest.fixture
def crowded_bot(engine, database_url, region_cfg, emu):
    """Every one of the 37 actors with 6 more TiB members (222 more people to call in)."""
    from bot.config.region import MemberConfig

    members = [MemberConfig(user=f"U1A{i:02d}{j:02d}", actor=a.id, roles=["tib"])
               for i, a in enumerate(region_cfg.actors) for j in range(6)]
    for m in members:
        emu.add_user(m.user, name=f"{m.actor}.{m.user[-4:]}")
    cfg = region_cfg.model_copy(update={"members": (*region_cfg.members, *members)})
    b = start_bot(database_url, cfg, emu)
    yield b
    b.close()


def drain_across_channels(bot) -> None:
    """Drains the outbox. A message linking to a message in another channel (the summary
    notice in the conference channel links to the summary in the activation's channel)
    may be tried first; the worker then retries it a few seconds later by the bot's
    clock, which stands still in tests: move it on until everything is out."""
    for _ in range(5):
        try:
            bot.drain(timeout=2)
            return
        except AssertionError:
            bot.clock.advance(timedelta(minutes=1))
    bot.drain()


def responses(bot, n: int) -> list[str]:
    assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) >= n, timeout=15), bot.emu.response_posts
    bot.drain()
    return [p["json"]["text"] for p in bot.emu.response_posts]


def channel_by_name(bot, name: str) -> dict | None:
    with bot.emu.state.lock:
        found = [dict(c) for c in bot.emu.state.channels.values() if c.get("name") == name]
    return found[0] if found else None


def test_activation_gets_its_own_channel_with_members_invited(channel_bot):
    bot = channel_bot
    assert "en egen kanal skapas" in command(bot, "/aktivera", REASON, KOORD2)
    (reply,) = responses(bot, 1)
    new = channel_by_name(bot, CHANNEL_NAME)
    assert new is not None and not new["is_private"]
    assert f"har startat i kanalen <#{new['id']}>" in reply
    assert set(TIBS) | {KOORD2} <= set(new["members"]) and "U0TRV002" not in new["members"]

    (conf,) = activated(bot)
    assert conf.channel == new["id"]
    root = activation_root(bot, channel=new["id"])
    assert root["ts"] == conf.root_ts
    assert all(f"<@{u}>" in block_text(root) for u in TIBS)
    # the conference channel is told where the activation runs
    notice = [block_text(m) for m in bot.emu.messages(CH)]
    assert len(notice) == 1 and REASON in notice[0]
    assert f"*AKTIVERAT LÄGE nr 1 (2026)* pågår i <#{new['id']}>" in notice[0]
    assert f"Konferensen pågår i kanalen <#{new['id']}>" in dm_texts(bot, "U0POL001")[0]
    assert "activation.channel_created" in audit_actions(bot)
    calls = [c.method for c in bot.emu.calls if c.method.startswith("conversations.")]
    assert calls[:2] == ["conversations.create", "conversations.invite"]

    # calling in an actor without a TiB: its members are called and invited to the channel
    assert "U0SBF001" not in new["members"]
    assert command(bot, "/aktivera", "kalla sbff", KOORD).startswith("Södertörns brandförsvarsförbund har kallats")
    assert bot.emu.wait_for(lambda: "U0SBF001" in channel_by_name(bot, CHANNEL_NAME)["members"])
    bot.drain()
    assert "<@U0SBF001>" in thread_texts(bot, channel=new["id"])[-1]

    # the ordinary opening points to the channel; /avaktivera tells both channels
    bot.tick(datetime(2026, 11, 26, 16, 0, tzinfo=ZoneInfo("Europe/Stockholm")))
    ordinary = [block_text(m) for m in bot.emu.messages(CH) if "v. 48" in block_text(m) and "öppen" in block_text(m)]
    assert f"Aktiverat läge pågår (nr 1): {REASON} — se kanalen <#{new['id']}>." in ordinary[0]
    command(bot, "/avaktivera", "", KOORD)
    drain_across_channels(bot)
    assert "Åter till ordinarie läge." in block_text(bot.emu.messages(CH)[-1])
    assert f"tråd i kanalen <#{new['id']}>" in block_text(bot.emu.messages(CH)[-1])
    assert "Åter till ordinarie läge." in block_text(bot.emu.messages(new["id"])[-1])
    assert "Aktiverat läge nr 1 är avslutat*" in thread_texts(bot, channel=new["id"])[-1]


def test_a_taken_name_gets_a_suffix(channel_bot, emu):
    emu.add_channel("C0TAKEN1", name=CHANNEL_NAME)
    command(channel_bot, "/aktivera", REASON, KOORD)
    responses(channel_bot, 1)
    new = channel_by_name(channel_bot, f"{CHANNEL_NAME}-2")
    assert new is not None and activated(channel_bot)[0].channel == new["id"]


def test_if_slack_cannot_create_the_channel_the_activation_runs_in_the_conference_channel(channel_bot, emu):
    emu.fail("conversations.create", status=500, times=3)  # the first try and both retries
    command(channel_bot, "/aktivera", REASON, KOORD)
    (reply,) = responses(channel_bot, 1)
    assert "Det gick inte att skapa en egen kanal (internal_error)" in reply
    assert f"körs i stället i konferenskanalen <#{CH}>" in reply and "nr 1 (2026) har startat" in reply
    (conf,) = activated(channel_bot)
    assert conf.channel == CH and conf.status == "open"
    assert activation_root(channel_bot)["ts"] == conf.root_ts
    assert "activation.channel_failed" in audit_actions(channel_bot)


def test_invitations_that_fail_are_reported_and_the_channel_is_still_used(channel_bot, emu):
    with emu.state.lock:  # an account that Slack no longer knows: its invitation fails
        del emu.state.users["U0POL001"]
    command(channel_bot, "/aktivera", REASON, KOORD)
    (reply,) = responses(channel_bot, 1)
    new = channel_by_name(channel_bot, CHANNEL_NAME)
    assert new is not None and activated(channel_bot)[0].channel == new["id"]
    assert "Kunde inte bjuda in alla" in reply and "(user_not_found): <@U0POL001>" in reply
    assert "U0SOS001" in new["members"] and "U0POL001" not in new["members"]


def test_accepting_a_request_creates_the_channel_once(channel_bot):
    bot = channel_bot
    command(bot, "/aktivera", REASON, "U0TRV001")
    bot.drain()
    (msg,) = [m for m in bot.emu.messages(CH) if "Begäran om aktiverat läge" in block_text(m)]
    bot.slack.block_action(KOORD2, ACCEPT_ACTION, message=msg)
    (reply,) = responses(bot, 1)
    new = channel_by_name(bot, CHANNEL_NAME)
    assert f"aktiverat läge nr 1 har startat i kanalen <#{new['id']}>" in reply
    assert [c.method for c in bot.emu.calls].count("conversations.create") == 1
    assert any(f"pågår i kanalen <#{new['id']}>" in t for t in dm_texts(bot, "U0TRV001"))


def test_a_long_call_in_is_split_within_slacks_limits(crowded_bot):
    from sqlalchemy import select

    from bot.slack.models import OutboxMessage

    bot = crowded_bot
    assert "37 aktörer är kallade" in command(bot, "/aktivera", REASON, KOORD)
    bot.drain(timeout=60)
    root = activation_root(bot)
    posts = [root, *bot.emu.thread(CH, root["ts"])[1:]]
    text = "\n".join(block_text(m) for m in posts)
    start = text.index("Kallelse till aktiverat läge nr 1.")
    callin = text[start:text.index("Rapportera er aktörs lägesbild", start)]
    lines = {line.split("*")[1]: line for line in callin.splitlines() if line.startswith("• *")}
    for i, actor in enumerate(bot.cfg.actors):
        assert all(f"<@U1A{i:02d}{j:02d}>" in lines[actor.name] for j in range(6)), actor.id
        assert callin.count(f"• *{actor.name}*:") == 1
    sections = [b for b in root["blocks"] if b["type"] == "section" and "<@U1A" in b["text"]["text"]]
    assert len(sections) >= 2 and all(len(b["text"]["text"]) <= 3000 for b in sections)
    with bot.ctx.sf() as s:
        assert s.scalars(select(OutboxMessage).where(OutboxMessage.status != "sent")).all() == []
    assert len(bot.emu.dms("U1A0000")) == 1 and len(bot.emu.dms("U1A3605")) == 1


def test_a_call_in_too_long_for_one_message_is_paginated():
    """Without Slack: 37 actors with 40 members each make a root too big for one message;
    every page stays within 50 blocks and the text budget, and nothing is dropped."""
    from types import SimpleNamespace

    from bot.activation.messages import opening
    from bot.activation.service import CallIn
    from bot.render import Renderer
    from bot.slack import blocks as bk

    conf = SimpleNamespace(number=3, year=2026, reason=REASON, activated_by=KOORD, opened_at=datetime(2026, 11, 26, 7))
    calls = [CallIn(SimpleNamespace(name=f"Aktör {i}"), [f"U2B{i:02d}{j:02d}" for j in range(40)]) for i in range(37)]
    payload = opening(Renderer(), conf, calls, host="Länsstyrelsen Stockholm")
    pages = bk.paginate(payload["blocks"])
    assert len(pages) >= 2
    for page in pages:
        assert len(page) <= 50 and sum(bk.block_text_length(b) for b in page) <= bk.MESSAGE_TEXT_BUDGET
    text = "\n".join(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section")
    assert all(text.count(f"<@U2B{i:02d}{j:02d}>") == 1 for i in range(37) for j in range(40))
    assert payload["blocks"][0]["text"]["text"] == "AKTIVERAT LÄGE nr 3 (2026)"
