"""Ack latency of the real `samverkan run` beside a bare Bolt app served the same way,
interleaved in one run, so a noisy machine moves both sides together.

Cases (all by default; `--cases` picks some):
  lagesbild-before-sqlite, lagesbild-during-sqlite,
  lagesbild-before-postgresql, lagesbild-during-postgresql
      N simultaneous `/lagesbild <text>` from N actors, before the opening or while the
      conference is open (each report also goes to the thread and the speaking order);
  kvittera-sqlite, kvittera-postgresql
      N simultaneous Kvittera presses on N items (each by a member of the owning actor);
  atgard-sqlite, atgard-postgresql
      N simultaneous `/atgard <aktör> <text> senast fredag`, conference open.

For each case:
1. a region file with N actors (one tib each; every round comes from all of them, see
   bench/ack_cases.py) and a fresh database (temp SQLite file, or a fresh schema on
   $SAMVERKAN_TEST_PG), `samverkan db upgrade`; Kvittera: the items, seeded as already
   posted;
2. `samverkan run` (a subprocess: HTTP, scheduler, outbox worker; LOG_LEVEL=WARNING)
   against the Slack emulator in this process, and a bare Bolt app (one listener per
   command/action that acks with a text) served the same way (`bot.server.make_wsgi` +
   `bot.server.serve`) in its own process; both stay up for the whole case;
3. rounds: bot, bare, bot, bare, … (N requests released together each time, measured from
   sending to the HTTP answer, which carries the ack); a pause between rounds;
4. p50/p99/max of each side over all rounds, each round's p99s, and the median of the
   rounds' p99 ratios (bot / bare); checks that every answer was 200 and that the bot
   stored what it acknowledged.

Then (unless --no-thursday): Slack Web API calls of a whole ordinary Thursday with 37 actors
against the budget (bench/thursday.py); start-up time and RSS after the opening come from
the `lagesbild-during-*` cases (process start to /healthz; RSS once the opening is posted).

Usage: .venv/bin/python bench/bench_ack_latency.py [--n 200] [--rounds 5] [--cases a,b] [--no-thursday]
Exit status 1 if any ack took 3 s or more (Slack's limit) or something was not stored.
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ack_cases import ACK_ACTION, CHANNEL, Case, all_cases, bodies, region_file, seed_items, stored, user_of  # noqa: E402
from samverkan_emulator import SlackEmulator, sign_request  # noqa: E402

TOKEN, SECRET = "xoxb-bench-token", "bench-signing-secret"
THREADS = 16  # bot.server.serve's default waitress thread count, for both sides
PAUSE = 2.0  # seconds between rounds


@dataclass
class Result:
    case: Case
    bot: list[list[float]] = field(default_factory=list)  # one list of seconds per round
    bare: list[list[float]] = field(default_factory=list)
    cpu: dict[str, list[float]] = field(default_factory=lambda: {"bot": [], "bare": []})  # process CPU s per round
    writes: list[tuple[float, float]] = field(default_factory=list)  # the bot's (units, transactions) per round
    problems: list[str] = field(default_factory=list)
    stored: int = 0
    expected: int = 0
    startup: float | None = None
    rss_mb: float | None = None


def pct(lat: list[float], q: float) -> float:
    s = sorted(lat)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


@contextmanager
def database(postgres: bool, tmp: str, name: str):
    if not postgres:
        yield f"sqlite:///{tmp}/bench.db"
        return
    from sqlalchemy import create_engine, text

    url = os.environ.get("SAMVERKAN_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test")
    schema = f"bench_{name.replace('-', '_')}_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in url else "?"
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(proc: subprocess.Popen, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                return
        except requests.ConnectionError:
            time.sleep(0.02)
    raise SystemExit("the server did not answer /healthz")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def writer_counts(port: int) -> tuple[float, float]:
    """The bot's group writer so far, from /metrics: (units written, transactions)."""
    found = {}
    for line in requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text.splitlines():
        name, _, value = line.partition(" ")
        if name in ("samverkan_write_units_total", "samverkan_write_groups_total"):
            found[name] = float(value)
    return found.get("samverkan_write_units_total", 0.0), found.get("samverkan_write_groups_total", 0.0)


def fire(url: str, payloads: list[bytes], content_type: str, problems: list[str]) -> list[float]:
    """The requests released together; returns each one's seconds until its answer."""
    n = len(payloads)
    latencies: list[float | None] = [None] * n
    barrier = threading.Barrier(n)

    def one(i: int) -> None:
        ts = str(int(time.time()))
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": sign_request(SECRET, ts, payloads[i])}
        barrier.wait()
        t0 = time.perf_counter()
        try:
            r = requests.post(url, data=payloads[i], headers=headers, timeout=30)
            latencies[i] = time.perf_counter() - t0
            if r.status_code != 200:
                problems.append(f"HTTP {r.status_code} {r.text[:200]}")
        except requests.RequestException as e:
            problems.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [x for x in latencies if x is not None]


def post_as_bot(emu: SlackEmulator, text: str) -> str:
    r = requests.post(f"{emu.api_url}chat.postMessage", data={"channel": CHANNEL, "text": text},
                      headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).json()
    if not r.get("ok"):
        raise SystemExit(f"could not seed an item message: {r}")
    return r["ts"]


def serve_bare(port: int) -> None:
    """The bare Bolt app: one listener per command/action the cases send, each acking at once."""
    from concurrent.futures import ThreadPoolExecutor

    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.server import make_wsgi, serve

    # Like the bot: a client pointed at SLACK_API_URL (Bolt authorizes the first request with
    # auth.test), a listener pool of the bot's size, waitress with the bot's thread count.
    app = App(client=WebClient(token=TOKEN, base_url=os.environ["SLACK_API_URL"]), signing_secret=SECRET,
              token_verification_enabled=False, process_before_response=False,
              listener_executor=ThreadPoolExecutor(max_workers=32))

    @app.command("/lagesbild")
    def lagesbild(ack, command):
        ack(response_type="ephemeral", text=f"Tack, {command['user_id']}: registrerad.")

    @app.command("/atgard")
    def atgard(ack, command):
        ack(response_type="ephemeral", text=f"Åtgärdspunkt för {command['user_id']} är registrerad.")

    @app.action(ACK_ACTION)
    def kvittera(ack):
        ack()

    serve(make_wsgi(app, lambda: {"ok": True}), port, host="127.0.0.1", threads=THREADS)


def run_process(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    """A server process; its output goes to a file (a pipe nobody reads would fill up)."""
    with open(log, "w") as out:
        return subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def errors_in(log: Path) -> list[str]:
    return [line for line in log.read_text(errors="replace").splitlines()
            if " ERROR " in line or "Traceback" in line]


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def profiler(pid: int, folder: Path, name: str) -> subprocess.Popen:
    """py-spy sampling the bot process while the rounds run (collapsed stacks, by thread; only
    the thread holding the GIL, so the figures are where the CPU goes)."""
    folder.mkdir(parents=True, exist_ok=True)
    # BENCH_SPY_NATIVE=1: C frames too (py-spy then pauses the process for each sample)
    how = ["--native"] if os.environ.get("BENCH_SPY_NATIVE") else ["--nonblocking"]
    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "-p", str(pid), "-r", "500", *how,
                            "--format", "raw", "--threads", "--gil", "-o", str(folder / f"{name}.txt")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    return spy


def run_case(case: Case, n: int, rounds: int, profile: Path | None) -> Result:
    res = Result(case, expected=n * rounds)
    actors = n
    with tempfile.TemporaryDirectory() as tmp, SlackEmulator(token=TOKEN) as emu, \
            database(case.postgres, tmp, case.name) as url:
        emu.add_channel(CHANNEL, name="samverkan", members=[user_of(i) for i in range(1, actors + 1)])
        for i in range(1, actors + 1):
            emu.add_user(user_of(i), name=f"tib{i}")
        config = region_file(Path(tmp) / "samverkan.yaml", actors, case.during)
        port, bare_port = free_port(), free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        env.update(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=emu.api_url,
                   DATABASE_URL=url, SAMVERKAN_CONFIG=str(config), PORT=str(port), LOG_LEVEL="WARNING",
                   PYTHONPATH=str(ROOT))
        up = subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, capture_output=True,
                            text=True)
        if up.returncode != 0:
            raise SystemExit(f"samverkan db upgrade failed:\n{up.stderr}")
        items = {}
        if case.kind == "kvittera":
            items = seed_items(url, config, actors, rounds, datetime.now(timezone.utc),
                               lambda text: post_as_bot(emu, text))

        bot_log, bare_log = Path(tmp) / "bot.log", Path(tmp) / "bare.log"
        t0 = time.monotonic()
        bot = run_process(["-m", "bot.cli", "run"], env, bot_log)
        bare = None
        try:
            wait_healthy(bot, port)
            res.startup = time.monotonic() - t0
            if case.during:
                opened = lambda: any(c.method == "chat.postMessage" and c.ok for c in emu.calls)  # noqa: E731
                if not emu.wait_for(opened, timeout=30):
                    raise SystemExit("the conference was not opened")
                time.sleep(1.0)
                res.rss_mb = rss_mb(bot.pid)
            bare = run_process([str(Path(__file__).resolve()), "--serve-bare", str(bare_port)], env, bare_log)
            wait_healthy(bare, bare_port)
            time.sleep(PAUSE)
            spy = profiler(bot.pid, profile, case.name) if profile else None
            for r in range(rounds):
                users = range(1, n + 1)
                for side, p, runs, pid in (("bot", port, res.bot, bot.pid), ("bare", bare_port, res.bare, bare.pid)):
                    payloads, ctype = bodies(case, emu, r, users, items)
                    cpu0 = cpu_seconds(pid)
                    w0 = writer_counts(port) if side == "bot" else None
                    runs.append(fire(f"http://127.0.0.1:{p}/slack/events", payloads, ctype, res.problems))
                    res.cpu[side].append(cpu_seconds(pid) - cpu0)
                    if w0 is not None:
                        w1 = writer_counts(port)
                        res.writes.append((w1[0] - w0[0], w1[1] - w0[1]))
                    print(f"  {case.name} round {r + 1} {side:<4} p99 {pct(runs[-1], 0.99) * 1000:7.1f} ms",
                          flush=True)
                    time.sleep(PAUSE)
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(60)
        finally:
            stop(bot)
            if bare is not None:
                stop(bare)
        if os.environ.get("BENCH_KEEP_LOGS"):  # a folder: each side's log of each case is kept there
            keep = Path(os.environ["BENCH_KEEP_LOGS"])
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"{case.name}.log").write_bytes(bot_log.read_bytes())
            if bare_log.exists():
                (keep / f"{case.name}.bare.log").write_bytes(bare_log.read_bytes())
        res.stored = stored(case, url)
        for name, log in (("samverkan run", bot_log), ("bare Bolt app", bare_log)):
            res.problems += [f"{name} logged: {line}" for line in errors_in(log)[:5]]
    return res


def report(res: Result) -> list[str]:
    def side(name: str, runs: list[list[float]]) -> str:
        lat = [x for run in runs for x in run]
        per_round = " ".join(f"{pct(run, 0.99) * 1000:.0f}" for run in runs)
        cpu = statistics.median(c / len(run) for c, run in zip(res.cpu[name], runs)) * 1000
        return (f"    {name:<5} p50 {pct(lat, 0.5) * 1000:7.1f} ms  p99 {pct(lat, 0.99) * 1000:7.1f} ms  "
                f"max {max(lat) * 1000:7.1f} ms  CPU {cpu:5.2f} ms/request   (p99 by round: {per_round} ms)")

    ratios = [pct(b, 0.99) / pct(a, 0.99) for b, a in zip(res.bot, res.bare)]
    lines = [f"{res.case.name}: {len(res.bot[0])} at once, {res.case.title}",
             side("bot", res.bot), side("bare", res.bare),
             f"    median ratio of p99s (bot/bare): {statistics.median(ratios):.2f}x   "
             f"(by round: {' '.join(f'{x:.2f}' for x in ratios)})",
             f"    stored by the bot: {res.stored} of {res.expected}; group writer: "
             f"{sum(u for u, _ in res.writes):.0f} writes in {sum(g for _, g in res.writes):.0f} transactions"]
    if res.problems:
        lines.append(f"    {len(res.problems)} problems, e.g.: {res.problems[0]}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="requests at once (default 200)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds per side (default 5: the median of five moves less than of three on a shared machine)")
    ap.add_argument("--cases", default=",".join(all_cases()), help="comma-separated case names (default: all)")
    ap.add_argument("--no-thursday", action="store_true", help="skip the Web API call count of a Thursday")
    ap.add_argument("--profile", type=Path, metavar="DIR",
                    help="record the bot with py-spy during the rounds (collapsed stacks in DIR/<case>.txt)")
    ap.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return
    cases = all_cases()
    chosen = [cases[name] for name in args.cases.split(",") if name]
    results = []
    for case in chosen:
        print(f"{case.name} …", flush=True)
        results.append(run_case(case, args.n, args.rounds, args.profile))
    print()
    print(f"ack latency, request sent -> HTTP answer; {args.rounds} interleaved rounds per side "
          f"(bot, bare, bot, bare …); {os.cpu_count()} CPUs, load generator and Slack emulator on the same machine")
    failed = False
    for res in results:
        print("\n".join(report(res)), flush=True)
        all_bot = [x for run in res.bot for x in run]
        failed |= res.stored != res.expected or max(all_bot) >= 3.0 or bool(res.problems)
    for res in results:
        if res.startup is not None and res.case.kind == "lagesbild" and res.case.during:
            print(f"{res.case.database}: start-up {res.startup:.2f} s (process start to /healthz 200, "
                  f"{len(res.bot[0])} actors); RSS after the opening {res.rss_mb:.1f} MB")
    if not args.no_thursday:
        from thursday import run_thursday

        t = run_thursday()
        by_method = ", ".join(f"{m} {c}" for m, c in sorted(t.calls.items(), key=lambda kv: -kv[1]))
        print(f"a whole ordinary Thursday, 37 actors: {t.total} Slack Web API calls ({by_method}); "
              f"budget reports {t.reports} + items {t.items} + summary parts {t.summary_parts} + 5 = {t.budget}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
