"""The one error boundary: an unexpected exception inside a flow (a bug, simulated by
making the flow the listener calls raise) gives the person the Swedish apology within
3 s, over real HTTP, and stores nothing."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

import handlers.aktivera
import handlers.atgard
import handlers.lagesbild
import handlers.samverkan
import handlers.talarordning
from bot.db.base import Base

APOLOGY = "Något gick fel i boten, så det blev inte av."
USER = "U0LST002"  # a koordinator (and tib of Länsstyrelsen)

COMMANDS = [  # (command, text, module whose flow is called, the flow's name)
    ("/samverkan", "status", handlers.samverkan.conference_status, "week_status"),
    ("/samverkan", "sammanfattning", handlers.samverkan.summary_flows, "command"),
    ("/lagesbild", "Läget är lugnt.", handlers.lagesbild.flows, "submit_quick"),
    ("/lägesbild", "status", handlers.lagesbild.flows, "status"),
    ("/lagesbild", "", handlers.lagesbild.flows, "open_modal"),
    ("/talarordning", "", handlers.talarordning.flows, "command_show"),
    ("/talarordning", "nästa", handlers.talarordning.flows, "command_next"),
    ("/atgard", "polisen Kontrollera vägarna", handlers.atgard.flows, "create"),
    ("/åtgärd", "lista", handlers.atgard.flows, "list_open"),
    ("/atgard", "lyft Snöröjning", handlers.atgard.flows, "raise_point"),
    ("/aktivera", "Storm över länet", handlers.aktivera.flows, "aktivera"),
    ("/avaktivera", "", handlers.aktivera.flows, "avaktivera"),
]

BUTTONS = [  # (action id, value, module, flow)
    ("report_open_modal", '{"a":"lansstyrelsen","c":null}', handlers.lagesbild.flows, "open_from_button"),
    ("floor_next", "1:1", handlers.talarordning.flows, "press_move"),
    ("floor_skip", "1:1", handlers.talarordning.flows, "press_move"),
    ("floor_request", "1", handlers.talarordning.flows, "press_ask"),
    ("action_ack", "1", handlers.atgard.flows, "press"),
    ("action_done", "1", handlers.atgard.flows, "press"),
    ("activation_accept", "1", handlers.aktivera.flows, "accept"),
    ("activation_decline", "1", handlers.aktivera.flows, "decline"),
]


def row_counts(bot) -> dict[str, int]:
    """Rows of every table but seen_trigger (a slash command's trigger id is recorded before
    the flow runs, so that a replay has no effect: bookkeeping of the request, not data)."""
    with bot.ctx.sf() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
                if t.name != "seen_trigger"}


def _bug(*args, **kw):
    raise RuntimeError("a bug in the flow")


def _answers(bot) -> list[str]:
    return [p["json"].get("text", "") for p in bot.emu.response_posts]


@pytest.mark.parametrize(("cmd", "text", "module", "flow"), COMMANDS,
                         ids=[f"{c} {t}".strip() for c, t, *_ in COMMANDS])
def test_a_bug_behind_a_command_apologises_and_stores_nothing(bot, monkeypatch, cmd, text, module, flow):
    before = row_counts(bot)
    monkeypatch.setattr(module, flow, _bug)
    started = time.monotonic()
    r = bot.slack.slash_command(cmd, text, user_id=USER, channel_id=bot.cfg.channel)
    assert r.status_code == 200, r.text
    said = r.json().get("text", "") if r.text else ""
    if APOLOGY not in said:  # acknowledged at once; the answer follows through response_url
        assert bot.emu.wait_for(lambda: any(APOLOGY in t for t in _answers(bot)), timeout=3), _answers(bot)
    assert time.monotonic() - started < 3
    assert "Traceback" not in said and "RuntimeError" not in said
    bot.drain()
    assert row_counts(bot) == before
    assert not bot.emu.messages(bot.cfg.channel)


@pytest.mark.parametrize(("action_id", "value", "module", "flow"), BUTTONS, ids=[b[0] for b in BUTTONS])
def test_a_bug_behind_a_button_apologises_and_stores_nothing(bot, monkeypatch, action_id, value, module, flow):
    before = row_counts(bot)
    monkeypatch.setattr(module, flow, _bug)
    started = time.monotonic()
    r = bot.slack.block_action(USER, action_id, value=value, channel_id=bot.cfg.channel)
    assert r.status_code == 200, r.text
    assert bot.emu.wait_for(lambda: any(APOLOGY in t for t in _answers(bot)), timeout=3), _answers(bot)
    assert time.monotonic() - started < 3
    bot.drain()
    assert row_counts(bot) == before
    assert not bot.emu.messages(bot.cfg.channel)
