"""Samlad lägesbild flows: posted at close, posted again on a koordinator's request.

At close the summary goes into the conference's thread (as many messages as Slack's
limits need), then a short top-level notice in the channel links to its first message.
The link is an outbox permalink placeholder that the worker resolves with
chat.getPermalink once the summary is posted; the notice is queued after the summary in
the same channel, so the per-channel order guarantees the summary is posted first.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session

from bot.actions.service import local_today
from bot.audit.service import record
from bot.conference.models import Conference
from bot.context import BotContext
from bot.evaluation import flows as evaluation_flows
from bot.region import roles
from bot.region.service import memberships
from bot.slack import outbox
from bot.slack.text import link
from bot.summary import messages, service
from bot.summary.models import Summary


def post_summary(ctx: BotContext, s: Session, conf: Conference, *, by: str | None = None,
                 notice: bool = True) -> Summary:
    now = ctx.now()
    data = service.build(s, conf, ctx.cfg, local_today(now, ctx.cfg.tz))
    pages = messages.pages(ctx.renderer, data, ctx.host_name())
    row = service.record_posting(s, conf, now, len(pages), by)
    for i, page in enumerate(pages):
        outbox.post(s, now, conf.channel, page["text"], page["blocks"], ref=row.page_ref(i), thread_ref=conf.ref)
    if notice:
        payload = messages.notice(ctx.renderer, data, outbox.permalink(row.page_ref(0)), len(pages))
        for channel in dict.fromkeys((conf.channel, ctx.cfg.channel)):
            outbox.post(s, now, channel, payload["text"], payload["blocks"])
    record(s, now, "summary.post", region_id=conf.region_id, user_id=by, subject=conf.ref,
           number=row.number, pages=len(pages))
    return row


def on_close(ctx: BotContext, s: Session, conf: Conference) -> None:
    """Called when a conference closes (ordinary at its end, activated at /avaktivera):
    posts the samlad lägesbild in the thread and a notice with a link in the channel, and
    asks the koordinators and the host's TiBs for a snabbutvärdering (DM)."""
    post_summary(ctx, s, conf)
    evaluation_flows.on_close(ctx, s, conf)


def command(ctx: BotContext, user_id: str, permalink: Callable[[str, str], str | None]) -> str:
    """`/samverkan sammanfattning`. A koordinator: the latest summary is posted again in its
    conference's thread (rebuilt, so later corrections are in it). Anyone else: a link to
    the latest summary, only for them. `permalink(channel, ts)` asks Slack for the link."""
    r = ctx.renderer
    with ctx.tx() as s:
        latest = service.latest_posting(s, ctx.region_id)
        if latest is None:
            return r.t("summary_none_yet")
        conf = s.get(Conference, latest.conference_id)
        where = messages.where(r, conf)
        if roles.is_koordinator(memberships(s, ctx.region_id, user_id)):
            post_summary(ctx, s, conf, by=user_id, notice=False)
            return r.t("summary_reposted", where=where)
        ts, channel, at = outbox.posted_ts(s, latest.page_ref(0)), conf.channel, latest.posted_at
    url = permalink(channel, ts) if ts else None
    if url:
        return r.t("summary_latest_link", link=link(url, r.t("summary_link_label")), where=where, at=at)
    return r.t("summary_latest_nolink", where=where, at=at)
