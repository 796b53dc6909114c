"""The App Home tab's view (Block Kit), built from the core's state and templates/."""
from __future__ import annotations

from typing import Any

from bot.conference import status as conference_status
from bot.context import BotContext
from bot.report import flows as report_flows
from bot.slack import blocks as bk

VIEW_BLOCKS_MAX = 100


def home_view(ctx: BotContext, user_id: str) -> dict[str, Any]:
    r = ctx.renderer
    body = r.render("status.md.j2", **conference_status.week_status(ctx))
    blocks = [bk.header(r.t("home_header", region=ctx.cfg.region)), *bk.sections(body or r.t("home_nothing")),
              *report_flows.home_blocks(ctx, user_id)]
    help_blocks = [bk.divider(), *bk.sections(r.render("help.md.j2"))]
    blocks = blocks[:VIEW_BLOCKS_MAX - len(help_blocks)] + help_blocks
    return {"type": "home", "blocks": blocks[:VIEW_BLOCKS_MAX]}
