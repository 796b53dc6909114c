"""Many and long action items: `/atgard lista` and the opening's "Uppföljning" are split
within Slack's limits (the emulator refuses oversize messages), never cut."""
from __future__ import annotations

from sqlalchemy import select

from bot.actions import service
from bot.region.models import Actor
from bot.slack.models import FAILED, OutboxMessage
from tests.test_summary_support import at, close_conference, open_conference, text_of, thread


def _many_items(bot, n: int, length: int = 1500) -> None:
    with bot.ctx.tx() as s:
        actors = list(s.scalars(select(Actor).where(Actor.region_id == bot.ctx.region_id).order_by(Actor.position)))
        for i in range(n):
            body = f"START-{i} " + "text " * ((length - 20) // 5) + f"SLUT-{i}"
            service.create(s, bot.ctx.region_id, conference=None, owner_actor_id=actors[i % len(actors)].id,
                           text=body, due=None, user_id="U0LST001", now=at(10, 0))


def test_a_long_list_continues_in_further_ephemeral_messages(bot):
    _many_items(bot, 20)
    r = bot.slack.slash_command("/atgard", "lista", user_id="U0POL001")
    first = r.json()
    assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) >= 2)
    rest = [p["json"] for p in bot.emu.response_posts]
    texts = [text_of(first)] + [text_of(p) for p in rest]
    assert all(p["response_type"] == "ephemeral" and p["replace_original"] is False for p in rest)
    for page in [first] + rest:
        assert sum(len(b["text"]["text"]) for b in page["blocks"]) <= 12000 and len(page["blocks"]) <= 50
    joined = "\n".join(texts)
    for i in range(20):
        assert f"START-{i} " in joined and f"SLUT-{i}" in joined


def test_many_open_items_in_the_opening_continue_in_the_thread(bot):
    _many_items(bot, 30)
    conf = open_conference(bot)
    with bot.ctx.sf() as s:
        assert s.scalars(select(OutboxMessage).where(OutboxMessage.status == FAILED)).all() == []
    posts = thread(bot, conf)
    joined = "\n".join(text_of(m) for m in posts)
    assert "*Uppföljning: öppna åtgärdspunkter*" in joined
    for i in range(30):
        assert f"START-{i} " in joined and f"SLUT-{i}" in joined
    close_conference(bot)
    with bot.ctx.sf() as s:  # the summary carries all 30 open items, split as needed
        assert s.scalars(select(OutboxMessage).where(OutboxMessage.status == FAILED)).all() == []
    summary = [m for m in thread(bot, conf) if (m.get("text") or "").startswith("Samlad lägesbild")]
    assert len(summary) >= 3 and "SLUT-29" in text_of(summary[-1])


def test_a_list_too_long_for_one_answer_says_how_many_are_left_out(bot):
    _many_items(bot, 80, length=2800)  # far more than an ack and five response_url posts hold
    r = bot.slack.slash_command("/atgard", "lista", user_id="U0POL001")
    first = r.json()
    assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) >= 5)
    pages = [first] + [p["json"] for p in bot.emu.response_posts]
    assert len(pages) == 6
    joined = "\n".join(text_of(p) for p in pages)
    shown = sum(1 for i in range(80) if f"SLUT-{i}" in joined)
    assert 0 < shown < 80
    assert f"och {80 - shown} öppna punkter till" in text_of(pages[-1])
