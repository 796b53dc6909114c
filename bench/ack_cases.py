"""The cases of bench_ack_latency.py: what is sent, what the region looks like, what is
seeded before the bot starts and what must be stored afterwards.

A case's region has `n` actors with one tib each, and every round comes from all of them:
/lagesbild is a first version in round 1 and a revision after (which, during the
conference, edits the actor's message in the thread); Kvittera presses a fresh item of
each actor every round (each actor owns one item per round); /atgard creates new items.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import yaml

CHANNEL = "C0CONF01"
STHLM = ZoneInfo("Europe/Stockholm")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CATEGORIES = ["blåljus", "sjukvård", "trafik", "kommun", "övriga"]
FORM = "application/x-www-form-urlencoded"
ACK_ACTION = "action_ack"  # bot.actions.messages.ACK_ACTION (the bare app answers the same id)


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # lagesbild | kvittera | atgard
    postgres: bool
    during: bool  # the conference is open while the requests arrive

    @property
    def database(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    @property
    def title(self) -> str:
        what = {"lagesbild": "/lagesbild <text>", "kvittera": "Kvittera presses on as many items",
                "atgard": "/atgard <aktör> <text> senast fredag"}[self.kind]
        when = "conference open" if self.during else "before the opening"
        return f"{what}; {self.database}; {when}"


def all_cases() -> dict[str, Case]:
    cases = []
    for pg in (False, True):
        db = "postgresql" if pg else "sqlite"
        cases += [Case(f"lagesbild-before-{db}", "lagesbild", pg, False),
                  Case(f"lagesbild-during-{db}", "lagesbild", pg, True)]
    for kind in ("kvittera", "atgard"):
        for pg in (False, True):
            cases.append(Case(f"{kind}-{'postgresql' if pg else 'sqlite'}", kind, pg, True))
    return {c.name: c for c in cases}


def user_of(i: int) -> str:
    return f"U0B{i:05d}"


def actor_of(i: int) -> str:
    return f"aktor-{i:05d}"


def region_file(path: Path, actors: int, during: bool) -> Path:
    now = datetime.now(STHLM)
    if during:  # opened a minute ago: the bot opens it (late, within grace) when it starts
        opens = now - timedelta(minutes=1)
    else:  # two days ahead at a whole hour: nothing scheduled happens during the bench
        opens = (now + timedelta(days=2)).replace(hour=16, minute=0)
    data = {
        "region": "Benchmark", "timezone": "Europe/Stockholm", "language": "sv", "channel": CHANNEL,
        "conference": {"weekday": WEEKDAYS[opens.weekday()], "time": opens.strftime("%H:%M"),
                       "call_for_reports": None, "reminder": None, "duration_minutes": 600,
                       "grace_minutes": 60, "holidays": "hold"},
        "speaking_order": {"first": [actor_of(1)], "categories": CATEGORIES, "rotate": True},
        "actors": [{"id": actor_of(i), "name": f"Aktör {i}", "category": CATEGORIES[i % len(CATEGORIES)]}
                   for i in range(1, actors + 1)],
        "members": [{"user": user_of(i), "actor": actor_of(i), "roles": ["tib"]} for i in range(1, actors + 1)],
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def seed_items(url: str, config: Path, actors: int, rounds: int, now: datetime,
               post: Callable[[str], str]) -> dict[tuple[int, int], int]:
    """Kvittera: one open item per actor and round, already posted in the channel
    (`post(text)` posts it in the emulator and returns its ts, as if the bot had posted it
    earlier), so a press edits a posted message. Returns {(round, actor number): item id}."""
    import bot.db.models  # noqa: F401  (every table, for the foreign keys)
    from bot.actions.models import ActionItem
    from bot.config import load_region
    from bot.db.base import make_engine, make_session_factory
    from bot.region.models import Actor
    from bot.region.service import sync_region
    from bot.slack.models import SlackMessage

    engine = make_engine(url)
    try:
        with make_session_factory(engine).begin() as s:
            region = sync_region(s, load_region(config), now)
            ids = {a.key: a.id for a in s.query(Actor).filter(Actor.region_id == region.id)}
            items = {}
            for r in range(rounds):
                for i in range(1, actors + 1):
                    item = ActionItem(region_id=region.id, conference_id=None, owner_actor_id=ids[actor_of(i)],
                                      text=f"Åtgärd {r + 1} för aktör {i}", due=None, status="open", raised=False,
                                      created_by=user_of(1), created_at=now)
                    s.add(item)
                    items[r, i] = item
            s.flush()
            for item in items.values():
                s.add(SlackMessage(ref=item.ref, channel=CHANNEL, ts=post(item.text), posted_at=now))
            return {i: item.id for i, item in items.items()}
    finally:
        engine.dispose()


def bodies(case: Case, emu, round_: int, users: range, items: dict[tuple[int, int], int]) -> tuple[list[bytes], str]:
    """The signed-to-be bodies of one round (one per user number) and their content type."""
    out = []
    for i in users:
        common = {"response_url": emu.new_response_url(), "trigger_id": emu.new_trigger_id(user_of(i))}
        if case.kind == "kvittera":
            payload = {
                "type": "block_actions", "api_app_id": "A0BENCH", "token": "legacy",
                "user": {"id": user_of(i), "username": f"tib{i}", "name": f"tib{i}", "team_id": "T0TEST"},
                "team": {"id": "T0TEST", "domain": "bench"}, "is_enterprise_install": False,
                "container": {"type": "message", "channel_id": CHANNEL, "is_ephemeral": False},
                "channel": {"id": CHANNEL, "name": "samverkan"}, "state": {"values": {}},
                "actions": [{"action_id": ACK_ACTION, "block_id": f"action:{items[round_, i]}", "type": "button",
                             "value": str(items[round_, i]), "action_ts": "1.0"}], **common}
            out.append(urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode())
            continue
        if case.kind == "lagesbild":
            command, text = "/lagesbild", (f"Lägesbild {i} ({round_ + 1}): läget är normalt, inga störningar att "
                                           f"rapportera. <!channel> & <@U0B00001>")
        else:
            command, text = "/atgard", f"{actor_of(i)} Följ upp läget i område {i} senast fredag"
        out.append(urlencode({
            "token": "legacy", "team_id": "T0TEST", "team_domain": "bench", "channel_id": CHANNEL,
            "channel_name": "samverkan", "user_id": user_of(i), "user_name": f"tib{i}", "command": command,
            "text": text, "api_app_id": "A0BENCH", "is_enterprise_install": "false", **common}).encode())
    return out, FORM


def stored(case: Case, url: str) -> int:
    """What the case must have stored: report versions, acknowledgements or items."""
    from sqlalchemy import func, select

    from bot.actions.models import Acknowledgement, ActionItem
    from bot.db.base import make_engine
    from bot.report.models import ReportVersion

    table = {"lagesbild": ReportVersion, "kvittera": Acknowledgement, "atgard": ActionItem}[case.kind]
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            n = c.execute(select(func.count()).select_from(table)).scalar_one()
    finally:
        engine.dispose()
    return n
