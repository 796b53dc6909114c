"""The `samverkan` command."""
from __future__ import annotations

import argparse
import errno
import logging
import threading
import socket
import sys
from pathlib import Path

from bot.slack import outbox_cli
from bot.stats import cli as stats_cli


def _fail(message: str, code: int = 1) -> int:
    for line in message.splitlines():  # one line per problem, each naming the command
        print(f"samverkan: {line}", file=sys.stderr)
    return code


def _setup_logging(level: str, fmt: str = "text") -> None:
    from bot.ops.logs import setup_logging

    setup_logging(level, fmt)


def _region_problem(path: Path, line: str) -> str:
    """`path: problem`, naming the file once (some problems already start with it)."""
    return line if line.startswith(f"{path}:") else f"{path}: {line}"


def cmd_config_check(args: argparse.Namespace) -> int:
    import os

    from bot.config import ConfigError, load_region

    path = Path(args.file or os.environ.get("SAMVERKAN_CONFIG") or "samverkan.yaml")
    try:
        cfg = load_region(path)
    except ConfigError as e:
        for line in e.problems:
            print(_region_problem(path, line))
        return 1
    print(f"{path}: OK ({cfg.region}, {len(cfg.actors)} actors, {len(cfg.members)} members)")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.config import SettingsError, load_settings
    from bot.db.base import make_engine
    from bot.db.schema import SchemaError, upgrade

    try:
        settings = load_settings()
    except SettingsError as e:
        return _fail(str(e))
    engine = make_engine(settings.database_url)
    try:
        before, after = upgrade(engine)
    except SchemaError as e:
        return _fail(str(e))
    finally:
        engine.dispose()
    print(f"database schema: {before or 'empty'} -> {after}")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    """The models against the migrations (a scratch database), or with --database against
    the configured database. One line per difference; exit 1 if any."""
    from bot.config import SettingsError, load_settings
    from bot.db.base import make_engine
    from bot.db.schema import SchemaError, check_current, differences, migrations_against_models

    if not args.database:
        found, against = migrations_against_models(), "the migrations"
    else:
        try:
            settings = load_settings()
        except SettingsError as e:
            return _fail(str(e))
        engine = make_engine(settings.database_url)
        try:
            check_current(engine)
            found, against = differences(engine), "the database"
        except SchemaError as e:
            return _fail(str(e))
        finally:
            engine.dispose()
    for line in found:
        print(f"samverkan db check: {line}")
    if found:
        return 1
    print(f"samverkan db check: the models and {against} agree")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.config import ConfigError, SettingsError, load_region, load_settings
    from bot.db.schema import SchemaError, check_database

    require = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN") if args.socket_mode else ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    try:
        settings = load_settings(require=require)
    except SettingsError as e:
        return _fail(str(e))
    _setup_logging(settings.log_level, settings.log_format)
    try:
        cfg = load_region(settings.config_path)
    except ConfigError as e:
        for line in e.problems:
            print(f"samverkan: {_region_problem(settings.config_path, line)}", file=sys.stderr)
        return 1

    from bot.ops.settings import health_limits, retention
    from bot.runtime import Runtime
    from bot.server import serve
    from bot.slack.startup import SlackStartupError, verify_bot_token

    log = logging.getLogger("samverkan")
    if problem := _port_problem(settings.port):  # both modes serve /healthz and /metrics there
        return _fail(problem)
    try:
        check_database(settings.database_url)  # local and quick: before asking Slack
        auth = verify_bot_token(settings.slack_bot_token, settings.slack_api_url)
        rt = Runtime(database_url=settings.database_url, cfg=cfg, bot_token=settings.slack_bot_token,
                     signing_secret=settings.slack_signing_secret or "socket-mode-unused",
                     api_url=settings.slack_api_url, health_limits=health_limits(settings),
                     retention=retention(settings), auth_test=auth)  # verified just now
    except (SchemaError, SlackStartupError) as e:
        return _fail(str(e))
    import signal

    def _terminate(signum, _frame):  # systemctl stop / docker stop: shut down cleanly
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _terminate)
    rt.start_background()
    # every template compiled beside the start, not in the first people's requests; then
    # what the start made is set aside from the garbage collector (bot.ops.gc_tuning)
    threading.Thread(target=_warm_then_settle, args=(rt,), name="templates", daemon=True).start()
    try:
        if args.socket_mode:
            from bot.ops.socket_mode import run_socket_mode

            run_socket_mode(rt, settings.slack_app_token, settings.port)  # until SIGTERM/SIGINT
        else:
            log.info("samverkan %s: listening on port %d", cfg.region, settings.port)
            try:
                serve(rt.wsgi, settings.port)
            except OSError as e:  # taken between the check above and now
                return _fail(_port_problem(settings.port, e) or str(e))
    finally:
        rt.stop()
    return 0


def _warm_then_settle(rt) -> None:
    from bot.ops import gc_tuning

    rt.ctx.renderer.warm()
    gc_tuning.settle()


def _port_problem(port: int, error: OSError | None = None) -> str | None:
    """One line if the HTTP port cannot be listened on (None: it can)."""
    if error is None:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as waitress does
        try:
            probe.bind(("0.0.0.0", port))
        except OSError as e:
            error = e
        finally:
            probe.close()
    if error is None:
        return None
    if error.errno == errno.EADDRINUSE:
        return f"PORT {port} is already in use (another samverkan, or another program): stop it or set PORT"
    if error.errno == errno.EACCES:
        return f"PORT {port} needs privileges this user does not have: set PORT to 1024 or above"
    return f"cannot listen on PORT {port}: {error.strerror or error}"


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo(verbose=args.verbose, language=args.language)


def cmd_export(args: argparse.Namespace) -> int:
    from bot.export import run_export

    return run_export(args.week, args.format, args.output)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="samverkan", description="Regional samverkanskonferens in Slack.")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the bot (HTTP endpoint and scheduler)")
    run.add_argument("--socket-mode", action="store_true", help="connect over Slack Socket Mode instead of HTTP")
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="a whole conference against an in-process Slack emulator")
    demo.add_argument("-v", "--verbose", action="store_true", help="also print the bot's log")
    demo.add_argument("--language", choices=("sv", "en"), default="sv",
                      help="the demo region's interface language (default: sv)")
    demo.set_defaults(func=cmd_demo)

    config = sub.add_parser("config", help="region file tools")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    check = config_sub.add_parser("check", help="validate a region file")
    check.add_argument("file", nargs="?", help="region file (default: $SAMVERKAN_CONFIG or ./samverkan.yaml)")
    check.set_defaults(func=cmd_config_check)

    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply schema migrations")
    up.set_defaults(func=cmd_db_upgrade)
    dbcheck = db_sub.add_parser("check", help="compare the models with the migrations; exit 1 on a difference")
    dbcheck.add_argument("--database", action="store_true",
                         help="compare the models with the database of DATABASE_URL instead")
    dbcheck.set_defaults(func=cmd_db_check)

    export = sub.add_parser("export", help="a week's conferences as a document for the archive")
    export.add_argument("--week", required=True, help="ISO week, e.g. 2026-W48")
    export.add_argument("--format", choices=("md", "html"), default="md")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export)
    outbox_cli.add_parser(sub)  # `samverkan outbox [list | retry ID | retry --failed]`
    stats_cli.add_parser(sub)  # `samverkan stats --tertial 2026-T3 | --year 2026` (bot/stats/cli.py)
    _name_subcommands(p)
    return p


def _name_subcommands(parser: argparse.ArgumentParser) -> None:
    """Shows the choices ({check}, {upgrade,check}) in usage and errors instead of the
    internal dest name (config_command), for every level of sub-commands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            if action.metavar is None:
                action.metavar = "{" + ",".join(action.choices) + "}"
            for child in action.choices.values():
                _name_subcommands(child)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
