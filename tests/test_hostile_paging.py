"""A region of 5,000 actors: `/lagesbild status` and `/talarordning` answer within
Slack's rules (at most 5 response_url posts after the acknowledgement), listing the
first ones and saying how many more there are."""
from __future__ import annotations

import re
import time

import pytest

from tests.helpers import text_of
from tests.test_summary_support import open_conference

ACTORS = 5000


@pytest.fixture
def region_cfg():
    from bot.config import load_region
    from tests.conftest import REGION_FILE

    cfg = load_region(REGION_FILE)
    kind = type(cfg.actors[0])
    extra = [kind.model_construct(**{**cfg.actors[-1].model_dump(), "id": f"aktor-{n}",
                                     "name": f"Kommunal aktör nummer {n}", "category": "kommun"})
             for n in range(ACTORS - len(cfg.actors))]
    return cfg.model_copy(update={"actors": [*cfg.actors, *extra]})


def _answer(bot, command: str, text: str) -> tuple[list[str], int]:
    before = len(bot.emu.response_posts)
    r = bot.slack.slash_command(command, text, user_id="U0LST001", channel_id=bot.cfg.channel)
    assert r.status_code == 200, r.text[:300]
    bot.drain()
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < 1.0:  # the pages follow the acknowledgement from its thread
        if len(bot.emu.response_posts) != seen:
            seen, quiet_since = len(bot.emu.response_posts), time.monotonic()
        time.sleep(0.05)
    posts = bot.emu.response_posts[before:]
    return [text_of(r.json()), *(text_of(p["json"]) for p in posts)], len(posts)


def _more(pages: list[str]) -> int:
    found = re.findall(r"… och (\d+) till", pages[-1])
    assert found, pages[-1][-300:]
    return int(found[-1])


def test_status_of_5000_actors_fits_one_answer(bot):
    pages, follow_ups = _answer(bot, "/lagesbild", "status")
    assert follow_ups <= 5 and len(pages) <= 6
    listed = sum(p.count(":white_large_square:") + p.count(":white_check_mark:") for p in pages)
    assert listed > 100 and listed + _more(pages) == ACTORS
    assert "0 av 5000 aktörer har rapporterat" in pages[0]


def test_speaking_order_of_5000_actors_fits_one_answer(bot):
    open_conference(bot)
    pages, follow_ups = _answer(bot, "/talarordning", "")
    assert follow_ups <= 5 and len(pages) <= 6
    listed = sum(len(re.findall(r"^:\w+: \d+\. ", p, re.M)) for p in pages)
    assert listed > 100 and listed + _more(pages) == ACTORS
