"""`samverkan outbox [list | retry ID | retry --failed]`: what the bot has still to post
in this region (SAMVERKAN_CONFIG), what Slack refused for good, and putting refused
messages back in the queue once the cause is fixed (the bot invited, the channel id
corrected). A running bot posts them within a second or two."""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("outbox", help="what the bot has still to post, and what Slack refused")
    p.add_argument("action", nargs="?", choices=("list", "retry"), default="list")
    p.add_argument("id", nargs="?", type=int, help="the message to retry (see `samverkan outbox list`)")
    p.add_argument("--failed", action="store_true", help="with retry: every message Slack refused")
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"samverkan: {message}", file=sys.stderr)
    return 1


def _excerpt(payload: dict, width: int = 48) -> str:
    text = " ".join(str(payload.get("text") or payload.get("filename") or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _age(created: datetime, now: datetime) -> str:
    seconds = max(0, int((now - created).total_seconds()))
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"


def run(args: argparse.Namespace) -> int:
    # imported here, as in bot.cli: `samverkan --help` stays fast
    from sqlalchemy import select

    from bot.config import ConfigError, SettingsError, load_region, load_settings
    from bot.db.base import make_engine, make_session_factory
    from bot.db.schema import SchemaError, check_current
    from bot.region.models import Region
    from bot.slack import outbox

    if args.action == "retry" and (args.id is None) == (not args.failed):
        return _fail("outbox retry needs a message id or --failed")
    try:
        settings = load_settings()
        cfg = load_region(settings.config_path)
    except SettingsError as e:
        return _fail(str(e))
    except ConfigError as e:
        return _fail(f"{settings.config_path}: {e.problems[0] if e.problems else e}")
    engine = make_engine(settings.database_url)
    try:
        check_current(engine)
        sf = make_session_factory(engine)
        now = datetime.now(timezone.utc)
        with sf.begin() as s:
            region_id = s.scalar(select(Region.id).where(Region.name == cfg.region))
            if region_id is None:
                print(f"{cfg.region}: nothing queued yet (the bot has not run for this region)")
                return 0
            if args.action == "list":
                return _list(s, cfg.region, region_id, now)
            changed = outbox.retry(s, region_id, now, args.id)
            if args.id is not None and not changed:
                return _fail(f"no pending or failed message {args.id} in {cfg.region}")
        print(f"{cfg.region}: {len(changed)} message(s) queued again: " + ", ".join(map(str, changed)))
        return 0
    except SchemaError as e:
        return _fail(str(e))
    finally:
        engine.dispose()


def _list(s, region: str, region_id: int, now: datetime) -> int:
    from bot.slack import outbox
    from bot.slack.models import FAILED

    figures = outbox.outbox_figures(s, region_id, now)
    print(f"{region}: {figures['pending']} pending, {figures['failed']} refused by Slack"
          + (f", oldest waiting {int(figures['oldest_pending_age_seconds'])}s" if figures["pending"] else ""))
    rows = outbox.waiting_and_failed(s, region_id)
    if not rows:
        return 0
    print(f"{'id':>6}  {'status':<8} {'op':<9} {'channel':<12} {'tries':>5} {'age':>5}  text / error")
    for r in rows:
        line = f"{r.id:>6}  {r.status:<8} {r.op:<9} {r.channel:<12} {r.attempts:>5} {_age(r.created_at, now):>5}  "
        print(line + _excerpt(r.payload))
        if r.last_error:
            print(" " * 8 + ("refused: " if r.status == FAILED else "last error: ") + r.last_error)
    if figures["failed"]:
        print("Fix the cause (invite the bot, correct the channel id), then: samverkan outbox retry --failed")
    return 0
