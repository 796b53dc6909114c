"""`/samverkan statistik [tertial|år|2026|2026-T3]` (koordinator): the figures as a short
text, and the per-actor chart uploaded to the person's DM through the outbox."""
from __future__ import annotations

import base64

from bot.actions.service import local_today
from bot.context import BotContext
from bot.region import roles
from bot.region.service import memberships
from bot.reply import Refusal, Reply
from bot.slack import outbox
from bot.stats import document, period, service


def command(ctx: BotContext, user: str, rest: str) -> Reply:
    r = ctx.renderer
    today = local_today(ctx.now(), ctx.cfg.tz)
    try:
        p = period.from_words(rest, today)
    except period.PeriodError:
        raise Refusal("stats_bad_period", text=rest) from None
    with ctx.sf() as s:
        if not roles.is_koordinator(memberships(s, ctx.region_id, user)):
            raise Refusal("after_not_koordinator")
        stats = service.compute(s, ctx.region_id, p, ctx.cfg.tz, today)
    text = document.slack_text(r, ctx.cfg.region, stats)
    png = document.actors_chart(r, stats)
    label = document.period_label(r, p)
    with ctx.tx() as s:
        outbox.upload(s, ctx.now(), user, f"samverkan-{p.key}.png", base64.b64encode(png).decode("ascii"),
                      r.t("stats_chart_title", period=label), r.t("stats_chart_comment", period=label))
    return Reply(f"{text}\n{r.t('stats_chart_sent')}")
