"""Slack payloads of the samlad lägesbild, rendered from templates/summary*.j2.

The summary is built as a list of blocks, each actor's report starting its own section,
and split over as many thread messages as Slack's limits need (bk.sections splits long
text at 3000 characters, bk.paginate groups blocks into messages of at most 50 blocks
and ~11,000 characters). Nothing is cut.
"""
from __future__ import annotations

import base64
from typing import Any

from bot.conference.messages import mode_label
from bot.conference.models import ACTIVATED
from bot.render import Renderer
from bot.slack import blocks as bk
from bot.slack.text import SlackSafe, escape
from bot.summary.chart import participation_png
from bot.summary.digest import Digest
from bot.summary.service import SummaryData

Payload = dict[str, Any]

def _optional(r: Renderer, key: str) -> str | None:
    try:
        return r.t(key)
    except KeyError:
        return None


def labels(r: Renderer, keys) -> dict[str, str]:
    return {k: _optional(r, f"summary_field_{k}") or k for k in keys}


def status_labels(r: Renderer) -> dict[str, str]:
    return {k: _optional(r, f"summary_status_{k}") or k for k in ("normal", "påverkad", "allvarlig")}


def title(r: Renderer, d: SummaryData) -> str:
    c = d.conference
    return r.t("summary_header_activated", number=c.number) if d.activated else r.t("summary_header", week=c.iso_week)


def blocks(r: Renderer, d: SummaryData, host: str) -> list[dict[str, Any]]:
    field_keys = {k for _, reps in d.groups for rep in reps for k, _ in rep.fields}
    field_labels, st_labels = labels(r, field_keys), status_labels(r)
    out = [bk.header(title(r, d)),  # the leader's analysis leads, then the head (date, participation)
           *bk.sections(r.render("summary_lead.md.j2", lead=d.record.lead)), bk.divider(),
           *bk.sections(r.render("summary_head.md.j2", d=d, mode=mode_label(r, d.conference), host=host,
                                 status_labels=st_labels))]
    if d.in_after_phase:
        out += bk.sections(r.t("summary_after_phase", actors=", ".join(d.in_after_phase)))
    if not d.groups:
        out += [bk.divider(), *bk.sections(r.t("summary_no_reports"))]
    for category, reports in d.groups:
        out += [bk.divider(), *bk.sections(r.render("summary_category.md.j2", category=category))]
        for rep in reports:
            out += bk.sections(r.render("summary_report.md.j2", rep=rep, labels=field_labels,
                                        status_labels=st_labels))
    out.append(bk.divider())
    for key, entries in d.aggregated.items():
        out += bk.sections(r.render("summary_aggregated.md.j2", title=r.t(f"summary_aggregate_{key}"),
                                    entries=entries, empty=r.t(f"summary_aggregate_empty_{key}")))
    if d.conflicts:  # Slutsatser: open målkonflikter and dependencies
        out += [bk.divider(), *bk.sections(r.render("summary_conflicts.md.j2", conflicts=d.conflicts))]
    out += [bk.divider(), *bk.sections(r.render("summary_actions.md.j2", d=d))]
    out += bk.sections(r.render("summary_raised.md.j2", d=d))
    out += [bk.divider(), *bk.sections(r.render("summary_record.md.j2", rec=d.record))]
    return out


def pages(r: Renderer, d: SummaryData, host: str) -> list[Payload]:
    """The summary as thread messages, each within Slack's limits."""
    grouped = bk.paginate(blocks(r, d, host))
    name = title(r, d)
    return [{"text": bk.fallback(r.t("summary_fallback", title=name, page=i + 1, pages=len(grouped))),
             "blocks": page} for i, page in enumerate(grouped)]


def notice(r: Renderer, d: SummaryData, link_url: str, pages_count: int) -> Payload:
    """The short top-level notice in the channel, linking to the summary's first message."""
    name = title(r, d)
    shown = SlackSafe(f"<{link_url}|{escape(r.t('summary_link_label'))}>")
    body = r.render("summary_notice.md.j2", title=name, link=shown, activated=d.activated, pages=pages_count,
                    reported=len(d.reported), total=d.actors_total, items=len(d.new_items), raised=len(d.raised))
    return {"text": bk.fallback(r.t("summary_notice_fallback", title=name)), "blocks": bk.sections(body)}


def where(r: Renderer, d_or_conf) -> str:
    conf = getattr(d_or_conf, "conference", d_or_conf)
    if conf.kind == ACTIVATED:
        return r.t("summary_where_activated", number=conf.number)
    return r.t("summary_where_ordinary", week=conf.iso_week)


# ---- the weekly digest ------------------------------------------------------------------------

def digest_pages(r: Renderer, d: Digest) -> list[dict[str, Any]]:
    """The digest as channel messages (more than one only with very many open items)."""
    blocks = [bk.header(r.t("digest_header", week=d.iso_week)), *bk.sections(r.render("digest.md.j2", d=d))]
    text = bk.fallback(r.t("digest_fallback", week=d.iso_week))
    return [{"text": text, "blocks": page} for page in bk.paginate(blocks)]


def digest_chart(r: Renderer, d: Digest) -> dict[str, str]:
    title = r.t("digest_chart_title", first=d.points[0].week, last=d.iso_week)
    labels = [r.t("digest_chart_week", week=p.week) for p in d.points]
    png = participation_png(d.points, labels, title, r.t("digest_chart_ylabel"))
    return {"filename": f"rapportering-{d.iso_year}-v{d.iso_week:02d}.png",
            "content_b64": base64.b64encode(png).decode("ascii"), "title": title,
            "comment": r.t("digest_chart_comment")}
