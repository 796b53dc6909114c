"""`samverkan stats` over a year of conferences (52 weeks, 37 actors, reports, floors,
items, ärenden, two activations) written with bulk inserts: every figure of the
Markdown is recomputed here from the rows, independently of bot/stats."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timezone
from statistics import mean

import pytest
from alembic import command
from sqlalchemy import select

from bot import cli
from bot.actions.models import ActionItem
from bot.cases.models import Case
from bot.conference.models import Conference
from bot.db.schema import alembic_config
from bot.evaluation.models import Evaluation
from bot.floor.models import Floor
from bot.lessons.models import Lesson
from bot.region.models import Actor
from bot.report.models import Report
from bot.stats import period
from tests.conftest import REGION_FILE
from tests.helpers import make_ctx
from tests.year_data import TZ, build

YEAR = 2026


@pytest.fixture
def year_db(engine, database_url, region_cfg, monkeypatch):
    ctx = make_ctx(engine, region_cfg, datetime(YEAR, 1, 1, tzinfo=TZ))
    counts = build(ctx.sf, ctx.region_id, [YEAR - 1, YEAR], seed=7)
    command.stamp(alembic_config(database_url), "head")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SAMVERKAN_CONFIG", str(REGION_FILE))
    return ctx, counts


def _run(capsys, *args: str) -> str:
    assert cli.main(["stats", *args]) == 0
    return capsys.readouterr().out


def _in(when, p: period.Period) -> bool:
    start, end = p.bounds(TZ)
    return when is not None and start <= when < end


def _expected(ctx, p: period.Period, today) -> dict:
    """The figures, from the rows, one conference at a time."""
    with ctx.sf() as s:
        confs = [c for c in s.scalars(select(Conference)) if _in(c.opened_at or c.scheduled_at or c.created_at, p)]
        ordinary = [c for c in confs if c.kind == "ordinary"]
        held = [c for c in ordinary if c.opened_at is not None]
        reports = {(r.conference_id, r.actor_id) for r in s.scalars(select(Report))}
        floors = {f.conference_id: f.state["entries"] for f in s.scalars(select(Floor))}
        per_actor = {}
        for a in s.scalars(select(Actor).where(Actor.active.is_(True)).order_by(Actor.position)):
            reported = sum(1 for c in held if (c.id, a.id) in reports)
            spoke = sum(any(e["actor"] == a.id and e["status"] in ("spoke", "speaking") for e in floors[c.id])
                        for c in held)
            per_actor[a.name] = (reported, spoke)
        items = Counter()
        for i in s.scalars(select(ActionItem).where(ActionItem.raised.is_(False))):
            if not _in(i.created_at, p):
                continue
            if i.status == "done":
                items["late" if i.due and i.done_at.astimezone(TZ).date() > i.due else "on_time"] += 1
            elif i.status == "open":
                items["open"] += 1
                items["overdue"] += bool(i.due and i.due < today)
            else:
                items[i.status] += 1
        cases = Counter(c.status for c in s.scalars(select(Case)) if _in(c.created_at, p))
        conf_ids = {c.id for c in confs}
        evals = [e for e in s.scalars(select(Evaluation)) if e.conference_id in conf_ids]
        lessons = sum(1 for lesson in s.scalars(select(Lesson)) if _in(lesson.created_at, p))
        acts = [c for c in confs if c.kind == "activated"]
    return {
        "held": len(held), "skipped": sum(c.status == "skipped" for c in ordinary),
        "missed": sum(c.status == "missed" for c in ordinary), "actors": per_actor, "items": items, "cases": cases,
        "evals": evals, "lessons": lessons, "activations": len(acts),
        "activation_minutes": sum(int((c.closed_at - c.opened_at).total_seconds() // 60) for c in acts)}


def _avg(values) -> str:
    return f"{mean(values):.2f}".replace(".", ",")


def test_year_figures_match_the_rows(year_db, capsys):
    ctx, counts = year_db
    assert counts["conference"] == 2 * 52 + 1 + 4  # 2025 has 52 ISO weeks, 2026 has 53; two activations a year
    md = _run(capsys, "--year", str(YEAR))
    today = datetime.now(timezone.utc).astimezone(TZ).date()
    exp = _expected(ctx, period.year(YEAR), today)
    assert exp["held"] == 49 and exp["skipped"] == 3 and exp["missed"] == 1 and exp["activations"] == 2

    assert f"- Ordinarie konferenser hållna: {exp['held']}\n" in md
    assert f"- Inställda (helgdag): {exp['skipped']}\n" in md and f"- Blev inte av: {exp['missed']}\n" in md
    assert f"- Aktiverat läge: 2 gånger, sammanlagt {exp['activation_minutes']} minuter" in md
    table = dict((m[1], (int(m[2]), int(m[4]))) for m in re.finditer(r"^\| (.+?) \| (\d+) \| (\d+) % \| (\d+) \| \d+ % \|$",
                                                                      md, re.M))
    assert len(table) == 37 and table == exp["actors"]
    polisen = exp["actors"]["Polisregion Stockholm"]
    assert f"| Polisregion Stockholm | {polisen[0]} | {round(polisen[0] / exp['held'] * 100)} % |" in md
    i = exp["items"]
    assert f"- Klara i tid: {i['on_time']}\n- Klara för sent: {i['late']}\n- Avböjda: {i['declined']}\n" in md
    assert f"- Fortfarande öppna: {i['open']} (varav försenade: {i['overdue']})" in md
    assert i["on_time"] and i["late"] and i["open"] and i["declined"]
    for key, name in (("lyft", "Lyft"), ("behandlas", "Behandlas"), ("beslutat", "Beslutat"),
                      ("aterkopplat", "Återkopplat"), ("avslutat", "Avslutat")):
        assert f"- {name}: {exp['cases'][key]}\n" in md
    assert sum(exp["cases"].values()) > 10
    e = exp["evals"]
    assert f"- Snabbutvärderingar: {len(e)}\n" in md
    assert (f"- Medel facilitering: {_avg(x.facilitering for x in e)} · teknik: {_avg(x.teknik for x in e)} · "
            f"upplägg: {_avg(x.upplagg for x in e)} (skala 1–5)") in md
    assert f"- Lärdomar i erfarenhetsloggen: {exp['lessons']}\n" in md


def test_a_tertial_and_the_html_with_charts(year_db, capsys, tmp_path):
    ctx, _ = year_db
    md = _run(capsys, "--tertial", f"{YEAR}-T1")
    exp = _expected(ctx, period.tertial(YEAR, 1), datetime.now(timezone.utc).astimezone(TZ).date())
    assert "uppföljning T1 2026 (1 jan.–30 apr.)" in md
    assert f"- Ordinarie konferenser hållna: {exp['held']}\n" in md and f"- Inställda (helgdag): {exp['skipped']}\n" in md
    assert "- Aktiverat läge: 1 gånger, sammanlagt 300 minuter" in md
    out = tmp_path / "t3.html"
    assert cli.main(["stats", "--tertial", f"{YEAR}-T3", "--format", "html", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,iVBORw0KGgo') == 4
    assert "<td>Polisregion Stockholm</td>" in html


def test_bad_periods_exit_2(year_db, capsys):
    assert cli.main(["stats", "--tertial", "2026-T4"]) == 2
    assert "2026-T3" in capsys.readouterr().err
    assert cli.main(["stats", "--year", "2026-T1"]) == 2
    assert cli.main(["stats", "--tertial", "2026"]) == 2
