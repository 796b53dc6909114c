"""How long building the samlad lägesbild takes for 37 and for 500 actors (no Slack).

For each size: a fresh SQLite database with that many actors, every actor reporting all
seven lägesbild fields (~400 characters each), a few action items; then timed, best of
5 runs: gathering the data (`summary.service.build`), and rendering + splitting into
Slack messages (`summary.messages.pages`). Prints one line per size.

Usage: .venv/bin/python bench/bench_summary.py [--sizes 37,500] [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bot.db.models  # noqa: E402,F401
from bot.actions import service as actions  # noqa: E402
from bot.config import parse_region  # noqa: E402
from bot.conference.models import CLOSED, ORDINARY, Conference  # noqa: E402
from bot.db.base import Base, make_engine, make_session_factory  # noqa: E402
from bot.region.models import Actor  # noqa: E402
from bot.region.service import sync_region  # noqa: E402
from bot.render import Renderer  # noqa: E402
from bot.report.models import Report, ReportVersion  # noqa: E402
from bot.slack import blocks as bk  # noqa: E402
from bot.summary import messages, service  # noqa: E402

TZ = ZoneInfo("Europe/Stockholm")
FIELDS = ("lage", "intraffat", "kommande", "konsekvenser", "atgarder", "behov", "kommunikation")
CATEGORIES = ["blåljus", "sjukvård", "trafik", "kommun", "övriga"]
WORDS = "läget är stabilt men vi följer utvecklingen noga och samordnar med berörda aktörer i regionen".split()


def region(n: int):
    actors = [{"id": "lansstyrelsen", "name": "Länsstyrelsen", "category": "värd"}]
    actors += [{"id": f"aktor-{i:03d}", "name": f"Aktör nummer {i}", "category": CATEGORIES[i % 5]} for i in range(1, n)]
    return parse_region({
        "region": "Bench", "timezone": "Europe/Stockholm", "channel": "C0BENCH01",
        "conference": {"weekday": "thursday", "time": "16:00"},
        "speaking_order": {"first": ["lansstyrelsen"], "categories": CATEGORIES},
        "actors": actors, "members": [{"user": "U0BENCH01", "actor": "lansstyrelsen", "roles": ["tib", "koordinator"]}],
    })


def text(seed: int, chars: int = 400) -> str:
    out, i = [], seed
    while sum(len(w) + 1 for w in out) < chars:
        out.append(WORDS[i % len(WORDS)])
        i += 7
    return " ".join(out)


def setup(n: int, url: str):
    cfg = region(n)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    sf = make_session_factory(engine)
    now = datetime(2026, 11, 26, 17, 0, tzinfo=TZ)
    with sf.begin() as s:
        region_id = sync_region(s, cfg, now - timedelta(days=365)).id
        conf = Conference(region_id=region_id, kind=ORDINARY, year=2026, number=48, iso_year=2026, iso_week=48,
                          week_key="2026-W48", status=CLOSED, channel=cfg.channel, held_on="2026-11-26",
                          opened_at=now - timedelta(hours=1), closed_at=now, created_at=now)
        s.add(conf)
        s.flush()
        for j, actor in enumerate(s.query(Actor).filter(Actor.region_id == region_id).all()):
            rep = Report(conference_id=conf.id, actor_id=actor.id, version=1, created_at=now, updated_at=now)
            s.add(rep)
            s.flush()
            s.add(ReportVersion(report_id=rep.id, version=1, fields={f: text(j + k) for k, f in enumerate(FIELDS)},
                                status="normal", submitted_by="U0BENCH01", submitted_at=now))
            if j % 10 == 0:
                actions.create(s, region_id, conference=conf, owner_actor_id=actor.id, text=text(j, 120),
                               due=now.date() + timedelta(days=3), user_id="U0BENCH01", now=now)
        conf_id = conf.id
    return cfg, engine, sf, conf_id


def bench(n: int, repeat: int, tmp: str) -> str:
    cfg, engine, sf, conf_id = setup(n, f"sqlite:///{tmp}/bench-{n}.db")
    r = Renderer("sv", cfg.tz)
    build_times, render_times = [], []
    for _ in range(repeat):
        with sf() as s:
            conf = s.get(Conference, conf_id)
            t0 = time.perf_counter()
            data = service.build(s, conf, cfg, conf.closed_at.astimezone(TZ).date())
            t1 = time.perf_counter()
            pages = messages.pages(r, data, "Länsstyrelsen")
            t2 = time.perf_counter()
        build_times.append(t1 - t0)
        render_times.append(t2 - t1)
    engine.dispose()
    blocks = sum(len(p["blocks"]) for p in pages)
    chars = sum(bk.block_text_length(b) for p in pages for b in p["blocks"])
    return (f"{n:4d} actors: build {min(build_times) * 1000:7.1f} ms, render+split {min(render_times) * 1000:7.1f} ms "
            f"(median {statistics.median(render_times) * 1000:.1f} ms) -> {len(pages)} messages, {blocks} blocks, "
            f"{chars:,} characters")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="37,500")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            print(bench(n, args.repeat, tmp), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
