"""What every opening shows of the time after earlier conferences: open ärenden and open
målkonflikter (until closed or resolved). The samlad lägesbild has the conflicts itself
(bot/summary/service.py)."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.cases import flows as case_flows
from bot.conflicts import flows as conflict_flows
from bot.context import BotContext
from bot.slack import blocks as bk


def opening_blocks(ctx: BotContext, s: Session) -> list[dict[str, Any]]:
    """Under *Uppföljning* in every opening: open ärenden and open conflicts (nothing if none)."""
    cases, conflicts = case_flows.opening_lines(ctx, s), conflict_flows.open_lines(ctx, s)
    if not cases and not conflicts:
        return []
    return [bk.divider(), *bk.sections(ctx.renderer.render("after_followup.md.j2", cases=cases, conflicts=conflicts))]

