"""The follow-up figures as a document (Markdown, or HTML with charts as base64 PNG) and as
a short Slack text. Templates: templates/<lang>/stats.md.j2, stats.html.j2, stats_slack.md.j2."""
from __future__ import annotations

import base64
from datetime import datetime

from babel.numbers import format_decimal
from sqlalchemy import select

from bot.actions.service import local_today
from bot.cases.models import STATUSES
from bot.export import environment
from bot.region.models import Region
from bot.render import Renderer
from bot.stats import chart
from bot.stats.period import Period
from bot.stats import service
from bot.stats.service import Stats


def decimal(r: Renderer, value: float | None) -> str:
    """An average as people read it: two decimals, a decimal comma in Swedish."""
    if value is None:
        return "–"
    return format_decimal(value, "0.00", locale=r.language)


def period_label(r: Renderer, p: Period) -> str:
    if p.tertial:
        return r.t("stats_period_tertial", number=p.tertial, year=p.year, first=r.fmt_date(p.first, "d MMM"),
                   last=r.fmt_date(p.last, "d MMM"))
    return r.t("stats_period_year", year=p.year)


def case_labels(r: Renderer) -> dict[str, str]:
    return {k: r.t(f"case_status_{k}") for k in STATUSES}


def actors_chart(r: Renderer, stats: Stats) -> bytes:
    label = period_label(r, stats.period)
    return chart.actors_png(stats, r.t("stats_chart_title", period=label),
                            (r.t("stats_chart_reported"), r.t("stats_chart_spoke")), r.t("stats_chart_xlabel"),
                            r.t("stats_chart_actors"))


def _charts(r: Renderer, stats: Stats) -> dict[str, str]:
    label = period_label(r, stats.period)
    conferences = [(r.t("stats_label_held"), stats.held), (r.t("stats_label_skipped"), stats.skipped),
                   (r.t("stats_label_missed"), stats.missed)]
    i = stats.items
    items = [(r.t("stats_label_on_time"), i.on_time), (r.t("stats_label_late"), i.late),
             (r.t("stats_label_declined"), i.declined), (r.t("stats_label_open"), i.open)]
    cases = [(name, stats.cases.get(k, 0)) for k, name in case_labels(r).items()]
    pngs = {"actors": actors_chart(r, stats),
            "conferences": chart.counts_png(conferences, r.t("stats_conferences_title", period=label)),
            "action_items": chart.counts_png(items, r.t("stats_items_title", period=label)),
            "cases": chart.counts_png(cases, r.t("stats_cases_title", period=label))}
    return {k: base64.b64encode(v).decode("ascii") for k, v in pngs.items()}


def render(fmt: str, r: Renderer, region: str, stats: Stats, now: datetime) -> str:
    env = environment(fmt, r)
    charts = _charts(r, stats) if fmt == "html" else {}
    return env.get_template(f"stats.{fmt}.j2").render(
        region=region, s=stats, period=period_label(r, stats.period), exported_at=now, charts=charts,
        case_labels=case_labels(r), pct=lambda v: f"{round(v * 100)} %", num=lambda v: decimal(r, v))


def slack_text(r: Renderer, region: str, stats: Stats) -> str:
    return r.render("stats_slack.md.j2", region=region, s=stats, period=period_label(r, stats.period),
                    case_labels=case_labels(r), pct=lambda v: f"{round(v * 100)} %", num=lambda v: decimal(r, v))


def stats_document(sf, cfg, p: Period, fmt: str, now: datetime) -> str:
    r = Renderer(cfg.language, cfg.tz)
    with sf() as s:
        region = s.scalars(select(Region).where(Region.name == cfg.region)).first()
        if region is None:
            raise LookupError(f"region {cfg.region!r} is not in the database (has `samverkan run` been started?)")
        stats = service.compute(s, region.id, p, cfg.tz, local_today(now, cfg.tz))
    return render(fmt, r, cfg.region, stats, now)
