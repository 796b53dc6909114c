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


def test_activation_status_with_5000_actors_called_in_is_one_message():
    from datetime import datetime, timezone
    from types import SimpleNamespace

    from bot.activation import messages
    from bot.activation.service import Status
    from bot.conference.models import Conference
    from bot.render import Renderer
    from bot.slack import blocks as bk

    now = datetime(2026, 11, 26, 8, tzinfo=timezone.utc)
    conf = Conference(number=1, year=2026, channel="C0CONF01", reason="Storm", activated_by="U0LST001", opened_at=now)
    actors = [SimpleNamespace(name=f"Kommunal aktör nummer {n}") for n in range(ACTORS)]
    body = messages.status(Renderer("sv"), Status(conf, ongoing=actors[:4000], after=actors[4000:]), "C0CONF01", now)
    blocks = bk.sections(body)
    assert len(blocks) <= bk.BLOCKS_PER_MESSAGE
    assert sum(bk.block_text_length(b) for b in blocks) <= bk.MESSAGE_TEXT_BUDGET
    assert "*Pågående* (4000)" in body and "*Efterfas* (1000)" in body
    shown = body.count("Kommunal aktör nummer")
    more = sum(int(n) for n in re.findall(r"… och (\d+) till", body))
    assert shown + more == ACTORS and shown > 100


def test_names_within_counts_what_it_leaves_out():
    from bot.slack.blocks import names_within

    names = [f"Aktör {n}" for n in range(1000)]
    shown = names_within(names, 100)
    assert 0 < len(shown) < 20 and len(shown) + shown.more == 1000 and len(", ".join(shown)) <= 100
    assert names_within(["x" * 500], 100) == ["x" * 500]  # one name always shows
