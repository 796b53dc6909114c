"""Slack Web API calls for a whole ordinary Thursday with the 37 actors of
tests/data/stockholm.yaml, against the budget reports + items + summary parts + 5.

The bot runs in this process as in production (HTTP endpoint, outbox worker, scheduler
flows) against the Slack emulator, with a clock moved through the day:
09.00 kallelse; 30 actors report; 15.00 reminder (DMs to the tibs of the 7 without a
report); the 7 report; 16.00 opening (every report posted in the thread, the speaking
order headline); the koordinator gives the floor to every actor in turn (Nästa); 3 action
items, each acknowledged (Kvittera) by its owner; 17.00 close with the samlad lägesbild.

`.venv/bin/python bench/thursday.py` prints the calls by purpose (the ref of the message
each was for) and how many edits went through a press's response_url (which Slack does
not count as Web API calls).
"""
from __future__ import annotations

import json
import logging
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TOKEN, SECRET = "xoxb-thursday-token", "thursday-signing-secret"


@dataclass
class Thursday:
    calls: Counter
    reports: int
    items: int
    summary_parts: int
    purposes: Counter = field(default_factory=Counter)  # (method, what the call was for) -> count
    replaced: int = 0  # messages replaced through a press's response_url (not Web API calls)

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    @property
    def budget(self) -> int:
        return self.reports + self.items + self.summary_parts + 5


def _every_actor_with_a_tib(folder: Path) -> Path:
    """tests/data/stockholm.yaml, with a tib member added for each actor that has none."""
    data = yaml.safe_load((ROOT / "tests" / "data" / "stockholm.yaml").read_text(encoding="utf-8"))
    has_tib = {m["actor"] for m in data["members"] if "tib" in m["roles"]}
    for n, actor in enumerate(data["actors"], start=1):
        if actor["id"] not in has_tib:
            data["members"].append({"user": f"U0THU{n:04d}", "actor": actor["id"], "roles": ["tib"]})
    path = folder / "stockholm-every-actor.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _next_thursday(today: date) -> date:
    return today + timedelta(days=(3 - today.weekday()) % 7 or 7)


def run_thursday() -> Thursday:
    from bot.actions.messages import ACK_ACTION
    from bot.clock import FixedClock
    from bot.config import load_region
    from bot.db.base import make_engine
    from bot.db.schema import upgrade
    from bot.floor.messages import NEXT
    from bot.runtime import Runtime
    from bot.server import InProcessServer
    from samverkan_emulator import SlackEmulator, SlackRequestClient

    logging.getLogger().setLevel(logging.ERROR)
    tmpdir = tempfile.TemporaryDirectory()
    cfg = load_region(_every_actor_with_a_tib(Path(tmpdir.name)))
    day = _next_thursday(date.today())
    clock = FixedClock(datetime.combine(day, dtime(8, 0), cfg.tz))
    tib = {}
    for m in cfg.members:
        if "tib" in m.roles:
            tib.setdefault(m.actor, m.user)
    koordinator = next(m.user for m in cfg.members if "koordinator" in m.roles)
    with tempfile.TemporaryDirectory() as tmp, SlackEmulator(token=TOKEN) as emu:
        emu.add_channel(cfg.channel, name="samverkan", members=[m.user for m in cfg.members])
        for m in cfg.members:
            emu.add_user(m.user, name=m.user.lower())
        url = f"sqlite:///{Path(tmp) / 'thursday.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        rt = Runtime(database_url=url, cfg=cfg, bot_token=TOKEN, signing_secret=SECRET, api_url=emu.api_url,
                     clock=clock, channel_interval=0.0)
        server = InProcessServer(rt.wsgi)
        rt.start_background(scheduler=False)
        slack = SlackRequestClient(f"http://127.0.0.1:{server.port}/slack/events", SECRET, emu)

        def at(hhmm: str) -> None:
            h, m = map(int, hhmm.split(":"))
            clock.set(datetime.combine(day, dtime(h, m), cfg.tz))
            rt.scheduler.tick()
            drain()

        def drain() -> None:
            rt.ctx.settle(30)
            deadline = time.monotonic() + 30
            while rt.worker.pending_count() and time.monotonic() < deadline:
                time.sleep(0.01)

        def report(actor_id: str) -> None:
            slack.slash_command("/lagesbild", f"Läget hos {actor_id}: normalt.", user_id=tib[actor_id])

        def headline() -> dict:
            for root in reversed(emu.messages(cfg.channel)):
                for msg in emu.thread(cfg.channel, root["ts"]):
                    if any(b.get("block_id", "").startswith("floor:") for b in msg.get("blocks") or []):
                        return msg
            raise LookupError("no speaking order headline")

        try:
            at("08:00")
            emu.state.calls.clear()  # start-up (auth.test) is not part of the day
            at(cfg.conference.call_for_reports.strftime("%H:%M"))
            actors = [a.id for a in cfg.actors if a.id in tib]
            at("10:00")
            for a in actors[:30]:
                report(a)
            at(cfg.conference.reminder.strftime("%H:%M"))
            at("15:30")
            for a in actors[30:]:
                report(a)
            at(cfg.conference.time.strftime("%H:%M"))
            for n in range(len(cfg.actors)):
                at(f"16:{1 + n:02d}")
                slack.block_action(koordinator, NEXT, message=headline())
                drain()
            at("16:45")
            owners = actors[1:4]
            for a in owners:
                slack.slash_command("/atgard", f"{a} Följ upp läget senast fredag", user_id=koordinator)
            drain()
            for n, a in enumerate(owners, start=1):  # a fresh database: the items are #1, #2, #3
                msg = next(p for p in emu.all_posts()
                           if any(b.get("block_id") == f"action:{n}" for b in p.get("blocks") or []))
                slack.block_action(tib[a], ACK_ACTION, message=msg, channel_id=msg["channel"])
            drain()
            end = datetime.combine(day, cfg.conference.time) + timedelta(minutes=cfg.conference.duration_minutes)
            at(end.strftime("%H:%M"))
            at(f"{end.hour}:{end.minute + 5:02d}")
            calls = Counter(c.method for c in emu.calls)
            purposes = _purposes(rt, emu.calls)
            replaced = len(emu.response_replaced)
            summary_parts = _summary_parts(rt)
        finally:
            server.stop()
            rt.stop()
            tmpdir.cleanup()
    return Thursday(calls, reports=len(actors), items=len(owners), summary_parts=summary_parts, purposes=purposes,
                    replaced=replaced)


def _purposes(rt, calls) -> Counter:
    """What each Web API call was for: the outbox row a post names in its metadata (its
    ref: `report:…`, `floor:…`, …), the message an edit or a permalink is of, and where
    it went (top level, thread, DM); a message without a ref by its first words."""
    from bot.slack.models import OutboxMessage, SlackMessage

    out: Counter = Counter()
    with rt.sf() as s:
        by_ts = {(m.channel, m.ts): m.ref for m in s.query(SlackMessage)}
        for c in calls:
            a = c.args
            if c.method == "chat.postMessage":
                meta = a.get("metadata")
                meta = json.loads(meta) if isinstance(meta, str) else meta or {}
                row = s.get(OutboxMessage, int((meta.get("event_payload") or {}).get("outbox_id", 0)))
                where = "DM" if str(a.get("channel", ""))[:1] in "UD" else "thread" if a.get("thread_ts") else "top"
                what = _kind(row.ref) if row is not None and row.ref else " ".join(str(a.get("text", "")).split()[:2])
                out[(c.method, f"{where}: {what}")] += 1
            elif c.method in ("chat.update", "chat.getPermalink"):
                ref = by_ts.get((a.get("channel"), a.get("ts") or a.get("message_ts")))
                out[(c.method, _kind(ref) if ref else "?")] += 1
            else:
                out[(c.method, "")] += 1
    return out


def _kind(ref: str) -> str:
    """`report:12:3` -> `report`, `floor:4` -> `floor`, `summary:4:0` -> `summary`."""
    return ref.split(":", 1)[0]


def main() -> None:
    t = run_thursday()
    print(f"Web API calls: {t.total} (budget {t.budget} = {t.reports} reports + {t.items} items + "
          f"{t.summary_parts} summary parts + 5)")
    for (method, what), n in sorted(t.purposes.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{n:4d}  {method:18s} {what}")
    print(f"(and {t.replaced} edits through a press's response_url, not Web API calls)")



def _summary_parts(rt) -> int:
    """Messages the samlad lägesbild took."""
    from sqlalchemy import func, select

    from bot.summary.models import Summary

    with rt.sf() as s:
        return s.execute(select(func.coalesce(func.sum(Summary.pages), 0))).scalar_one()


if __name__ == "__main__":
    import sys

    sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]
    main()
