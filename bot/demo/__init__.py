"""`samverkan demo`: a whole Thursday conference against the Slack emulator, in-process.

No credentials and no network: the emulator plays Slack on 127.0.0.1, the bot runs as in
production (HTTP endpoint, outbox worker, scheduler flows) with a clock the demo moves
through the day, and the conference channel is printed as a participant reads it.
"""
from __future__ import annotations

import logging
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.clock import FixedClock
from bot.config import load_region
from bot.demo.printer import print_message
from bot.demo.scenes import SCENES, DemoWorld
from bot.render import Renderer

REGION = Path(__file__).parent / "region.yaml"
# The same region with `language: en` (and English actor categories): `samverkan demo --language en`.
REGIONS = {"sv": REGION, "en": Path(__file__).parent / "region_en.yaml"}
CHANNEL_NAME = "samverkan-stockholm"
TOKEN = "xoxb-demo-token"
SECRET = "demo-signing-secret"


def demo_thursday(today: date) -> date:
    return today + timedelta(days=(3 - today.weekday()) % 7)


def run_demo(verbose: bool = False, out=print, language: str = "sv") -> int:
    from bot.db.base import make_engine
    from bot.db.schema import upgrade
    from bot.runtime import Runtime
    from bot.server import InProcessServer
    from samverkan_emulator import SlackEmulator, SlackRequestClient

    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    started = time.monotonic()
    cfg = load_region(REGIONS[language])
    r = Renderer(cfg.language, cfg.tz)
    day = demo_thursday(date.today())
    clock = FixedClock(datetime.combine(day, cfg.conference.time, cfg.tz) - timedelta(hours=8))
    with tempfile.TemporaryDirectory() as tmp, SlackEmulator(token=TOKEN) as emu:
        emu.add_channel(cfg.channel, name=CHANNEL_NAME, members=[m.user for m in cfg.members])
        for m in cfg.members:
            actor = cfg.actor(m.actor)
            emu.add_user(m.user, name=f"tib.{m.actor}" if "tib" in m.roles else f"{m.actor}.{m.user[-3:]}",
                         real_name=f"{actor.name}")
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        rt = Runtime(database_url=url, cfg=cfg, bot_token=TOKEN, signing_secret=SECRET, api_url=emu.api_url,
                     clock=clock, channel_interval=0.0)
        server = InProcessServer(rt.wsgi)
        rt.start_background(scheduler=False)
        world = DemoWorld(cfg=cfg, rt=rt, emu=emu, clock=clock, day=day, out=out, r=r,
                          slack=SlackRequestClient(f"http://127.0.0.1:{server.port}/slack/events", SECRET, emu))
        try:
            out(world.t("demo_title", region=cfg.region, count=len(cfg.actors), day=r.fmt_date(day)) + "\n")
            for scene in SCENES:
                scene(world)
                world.drain()
            _print_channel(world)
        finally:
            server.stop()
            rt.stop()
    out(world.t("demo_done", seconds=f"{time.monotonic() - started:.1f}"))
    return 0


def _print_channel(w: "DemoWorld") -> None:
    def name(uid: str) -> str:
        return (w.emu.state.users.get(uid) or {}).get("name", uid)

    w.out("=" * 72)
    w.out(w.t("demo_channel_title", channel=CHANNEL_NAME))
    w.out("=" * 72)
    for msg in w.emu.messages(w.cfg.channel):
        print_message(msg, name, out=w.out, edited=w.t("demo_edited"))
        replies = w.emu.thread(w.cfg.channel, msg["ts"])[1:]
        if replies:
            w.out("    " + w.t("demo_thread", count=len(replies)))
            for reply in replies:
                print_message(reply, name, indent="    ", out=w.out, edited=w.t("demo_edited"))
