"""How long `samverkan stats --year` takes for 1 year × 37 actors and 5 years × 300 actors.

For each size: a fresh SQLite database (or PostgreSQL with --postgres) filled with
tests/year_data.py (every ISO week a conference, most actors reporting, floors, action
items, ärenden, evaluations, lessons, two activations a year; bulk inserts), then the
command itself, in this process (`bot.cli.main(["stats", "--year", …])`), best and median
of --repeat runs, for the Markdown and for the HTML with its four charts. Goal: under 1 s
and under 5 s.

Usage: .venv/bin/python bench/bench_stats.py [--repeat 3] [--postgres]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bot.db.models  # noqa: E402,F401
from alembic import command  # noqa: E402
from bot import cli  # noqa: E402
from bot.db.base import Base, make_engine, make_session_factory  # noqa: E402
from bot.db.schema import alembic_config  # noqa: E402
from bot.region.service import sync_region  # noqa: E402
from bot.config import load_region  # noqa: E402
from tests.year_data import TZ, build  # noqa: E402

CATEGORIES = ["blåljus", "sjukvård", "trafik", "kommun", "övriga"]
PG = os.environ.get("SAMVERKAN_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test")


def region_file(n: int, path: Path) -> Path:
    actors = [{"id": "lansstyrelsen", "name": "Länsstyrelsen", "category": "värd"}]
    actors += [{"id": f"aktor-{i:03d}", "name": f"Aktör nummer {i}", "category": CATEGORIES[i % 5]} for i in range(1, n)]
    path.write_text(yaml.safe_dump({
        "region": "Bench", "timezone": "Europe/Stockholm", "channel": "C0BENCH01",
        "conference": {"weekday": "thursday", "time": "16:00"},
        "speaking_order": {"first": ["lansstyrelsen"], "categories": CATEGORIES},
        "actors": actors, "members": [{"user": "U0LST001", "actor": "lansstyrelsen", "roles": ["tib", "koordinator"]}],
    }, allow_unicode=True), encoding="utf-8")
    return path


def database(tmp: Path, name: str, postgres: bool) -> tuple[str, callable]:
    if not postgres:
        return f"sqlite:///{tmp / name}.db", lambda: None
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{PG}?options=-csearch_path%3D{schema}", drop


def timed(args: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        assert cli.main(args) == 0
        times.append(time.perf_counter() - t0)
    return times


def bench(years: int, actors: int, repeat: int, tmp: Path, postgres: bool) -> str:
    cfg_path = region_file(actors, tmp / f"region-{actors}.yaml")
    url, drop = database(tmp, f"stats-{years}-{actors}", postgres)
    try:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        command.stamp(alembic_config(url), "head")
        sf = make_session_factory(engine)
        first = 2026 - years + 1
        with sf.begin() as s:
            region_id = sync_region(s, load_region(cfg_path), datetime(first - 1, 1, 1, tzinfo=TZ)).id
        t0 = time.perf_counter()
        counts = build(sf, region_id, list(range(first, 2027)), seed=years * 1000 + actors)
        fill = time.perf_counter() - t0
        engine.dispose()
        os.environ.update(DATABASE_URL=url, SAMVERKAN_CONFIG=str(cfg_path))
        md = timed(["stats", "--year", "2026", "-o", str(tmp / "out.md")], repeat)
        html = timed(["stats", "--year", "2026", "--format", "html", "-o", str(tmp / "out.html")], repeat)
    finally:
        drop()
    return (f"{years} year(s) x {actors:3d} actors ({counts['report']:,} reports, {counts['action_item']:,} items; "
            f"filled in {fill:.1f} s): stats --year md best {min(md):.3f} s (median {statistics.median(md):.3f} s), "
            f"html best {min(html):.3f} s (median {statistics.median(html):.3f} s)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--postgres", action="store_true", help=f"PostgreSQL at {PG} instead of SQLite")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for years, actors in ((1, 37), (5, 300)):
            print(bench(years, actors, args.repeat, Path(tmp), args.postgres), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
