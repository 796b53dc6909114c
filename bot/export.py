"""`samverkan export --week 2026-W48 --format md|html [-o FILE]`: a week's conferences as a
document for the archive (diarium, WIS).

Reads DATABASE_URL and SAMVERKAN_CONFIG from the environment like every other command,
and writes Markdown or HTML (Swedish dates, times in the region's zone) to standard output
or FILE. It only reads the database, except the cache of display names: people are named
by their Slack display name (users.info, when SLACK_BOT_TOKEN is set; else the cache). The templates are templates/sv/export.md.j2 and
export.html.j2, rendered in their own Jinja environment: no Slack escaping; HTML is
autoescaped, Markdown is written as typed.

Exit status: 0 written; 1 nothing to export (unknown week, region not in the database) or
a problem with the environment, region file or database; 2 a malformed --week.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from jinja2 import Environment, StrictUndefined
from sqlalchemy import select

from bot import export_after
from bot.actions.service import local_today
from bot.cases.models import STATUSES as CASE_STATUSES
from bot.conference import service as conferences
from bot.conference.models import ACTIVATED, Conference
from bot.render import Renderer, template_loader
from bot.summary import messages as summary_messages
from bot.summary import service as summaries
from bot.summary.models import Summary
from bot.summary.service import SummaryData

WEEK = re.compile(r"(\d{4})-?[Ww](\d{1,2})")


class ExportError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


@dataclass
class ConferenceExport:
    conference: Conference
    activated: bool
    status: str  # scheduled | open | closed | missed | skipped (shown by templates/sv/export_macros.j2)
    data: SummaryData | None  # None when it was never held
    postings: list[Summary]
    after: export_after.AfterExport = field(default_factory=export_after.AfterExport)


def parse_week(text: str) -> tuple[int, int]:
    m = WEEK.fullmatch((text or "").strip())
    if not m:
        raise ExportError(f"--week must be an ISO week such as 2026-W48, got {text!r}", 2)
    year, week = int(m[1]), int(m[2])
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ExportError(f"--week {text}: {year} has no ISO week {week}", 2) from None
    return year, week


def environment(fmt: str, r: Renderer) -> Environment:
    env = Environment(loader=template_loader(r.language),
                      autoescape=fmt == "html", undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(date=r.fmt_date, time=r.fmt_time, datetime=r.fmt_datetime,
                       md_indent=lambda text, n=2: str(text).replace("\n", "\n" + " " * n))
    return env


def collect(s, cfg, region_id: int, year: int, week: int, today: date) -> list[ConferenceExport]:
    out = []
    for conf in conferences.by_week(s, region_id, year, week):
        held = conf.opened_at is not None
        data = summaries.build(s, conf, cfg, today) if held else None
        out.append(ConferenceExport(conf, conf.kind == ACTIVATED, conf.status, data,
                                    summaries.postings_of(s, conf.id)))
    after = export_after.collect(s, [c.conference.id for c in out])
    for c in out:
        c.after = after[c.conference.id]
    out.sort(key=lambda c: (c.activated, c.conference.opened_at or c.conference.created_at))
    return out


def user_ids(confs: list[ConferenceExport]) -> set[str]:
    """Everyone the document names (it shows their display names, never the ids)."""
    ids: set[str] = set()
    for c in confs:
        ids |= {p.posted_by for p in c.postings if p.posted_by} | c.after.user_ids()
        for v in (c.data.new_items if c.data else []):
            ids |= {v.created_by, v.done_by or "", v.acknowledged.user_id if v.acknowledged else ""}
    return {i for i in ids if i}


def render(fmt: str, r: Renderer, cfg, year: int, week: int, confs: list[ConferenceExport], now: datetime,
           host: str, who=lambda user_id: user_id or "") -> str:
    env = environment(fmt, r)
    field_keys = {k for c in confs if c.data for _, reps in c.data.groups for rep in reps for k, _ in rep.fields}
    labels = summary_messages.labels(r, field_keys)
    aggregated = {k: r.t(f"summary_aggregate_{k}") for k in summaries.AGGREGATED}
    return env.get_template(f"export.{fmt}.j2").render(
        region=cfg.region, year=year, week=week, conferences=confs, exported_at=now, host=host,
        labels=labels, aggregated_titles=aggregated, who=who,
        case_status={k: r.t(f"case_status_{k}") for k in CASE_STATUSES},
        monday=date.fromisocalendar(year, week, 1), sunday=date.fromisocalendar(year, week, 7))


def export_week(sf, cfg, week_text: str, fmt: str, now: datetime, lookup=None) -> str:
    """The document. `lookup(user_id) -> name | None` asks Slack for display names not
    cached (or older than a day); without it the cache answers, else the id with a note."""
    from bot.region.models import Region

    year, week = parse_week(week_text)
    r = Renderer(cfg.language, cfg.tz)
    with sf.begin() as s:  # writes only the display-name cache
        region = s.scalars(select(Region).where(Region.name == cfg.region)).first()
        if region is None:
            raise ExportError(f"region {cfg.region!r} is not in the database (has `samverkan run` been started?)")
        confs = collect(s, cfg, region.id, year, week, local_today(now, cfg.tz))
        if not confs:
            raise ExportError(f"no conference in week {year}-W{week:02d} for region {cfg.region}: nothing to export")
        host = next((a.name for a in cfg.actors if cfg.speaking_order.first and a.id == cfg.speaking_order.first[0]),
                    cfg.region)
        who = export_after.namer(s, user_ids(confs), now, lookup, r.t("people_unknown_note"))
        return render(fmt, r, cfg, year, week, confs, now, host, who)


def run_export(week: str, fmt: str, output: str | None) -> int:
    from bot.config import ConfigError, SettingsError, load_region, load_settings
    from bot.db.base import make_engine, make_session_factory
    from bot.db.schema import SchemaError, check_current
    from bot.slack.client import make_web_client
    from bot.slack.users import name_lookup

    def fail(message: str, code: int = 1) -> int:
        print(f"samverkan: {message}", file=sys.stderr)
        return code

    if fmt not in ("md", "html"):
        return fail(f"--format must be md or html, got {fmt!r}", 2)
    try:
        parse_week(week)
        settings = load_settings()
        cfg = load_region(settings.config_path)
    except ExportError as e:
        return fail(str(e), e.code)
    except SettingsError as e:
        return fail(str(e))
    except ConfigError as e:
        for line in e.problems:
            print(f"samverkan: {settings.config_path}: {line}", file=sys.stderr)
        return 1
    if output and not Path(output).parent.is_dir():
        return fail(f"cannot write {output}: the folder {Path(output).parent} does not exist")
    engine = make_engine(settings.database_url)
    try:
        check_current(engine)
        lookup = name_lookup(make_web_client(settings.slack_bot_token, settings.slack_api_url)) \
            if settings.slack_bot_token else None
        document = export_week(make_session_factory(engine), cfg, week, fmt, datetime.now(timezone.utc), lookup)
    except ExportError as e:
        return fail(str(e), e.code)
    except SchemaError as e:
        return fail(str(e))
    finally:
        engine.dispose()
    if output:
        try:
            Path(output).write_text(document, encoding="utf-8")
        except OSError as e:
            return fail(f"cannot write {output}: {e.strerror or e}")
        print(f"samverkan: wrote {fmt} export of {week} to {output}", file=sys.stderr)
    else:
        sys.stdout.write(document)
    return 0
