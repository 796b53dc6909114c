"""`samverkan stats --tertial 2026-T3 | --year 2026 [--format md|html] [-o FILE]`.

The heavy modules are imported when the command runs (like every command of bot/cli.py),
so `samverkan --help` stays quick. Reads DATABASE_URL and SAMVERKAN_CONFIG like every other command and only reads the
database. Exit status: 0 written; 1 a problem with the environment, region file or
database; 2 a malformed period or format.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from bot.stats import period


def add_parser(sub) -> None:
    p = sub.add_parser("stats", help="follow-up figures for a tertial or a year")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--tertial", help="a tertial, e.g. 2026-T3 (T1 Jan–Apr, T2 May–Aug, T3 Sep–Dec)")
    when.add_argument("--year", help="a year, e.g. 2026")
    p.add_argument("--format", choices=("md", "html"), default="md")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p.set_defaults(func=lambda args: run(args.tertial, args.year, args.format, args.output))


def _fail(message: str, code: int = 1) -> int:
    print(f"samverkan: {message}", file=sys.stderr)
    return code


def _period(tertial: str | None, year: str | None) -> period.Period:
    text = tertial if tertial is not None else year
    p = period.parse(text or "")
    if (tertial is not None) != (p.tertial is not None):
        raise period.PeriodError(f"--tertial wants a tertial such as 2026-T3, --year a year such as 2026, got {text!r}")
    return p


def run(tertial: str | None, year: str | None, fmt: str, output: str | None) -> int:
    from bot.config import ConfigError, SettingsError, load_region, load_settings
    from bot.db.base import make_engine, make_session_factory
    from bot.db.schema import SchemaError, check_current
    from bot.stats.document import stats_document

    try:
        p = _period(tertial, year)
    except period.PeriodError as e:
        return _fail(str(e), 2)
    try:
        settings = load_settings()
        cfg = load_region(settings.config_path)
    except SettingsError as e:
        return _fail(str(e))
    except ConfigError as e:
        for line in e.problems:
            print(f"samverkan: {settings.config_path}: {line}", file=sys.stderr)
        return 1
    engine = make_engine(settings.database_url)
    try:
        check_current(engine)
        text = stats_document(make_session_factory(engine), cfg, p, fmt, datetime.now(timezone.utc))
    except (SchemaError, LookupError) as e:
        return _fail(str(e))
    finally:
        engine.dispose()
    if output:
        Path(output).write_text(text, encoding="utf-8")
        print(f"samverkan: wrote {fmt} figures for {p.key} to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="samverkan")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)
