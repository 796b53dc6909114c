"""Edits caused by a button press go through that press's response_url (not a Web API
call), with chat.update as the fallback when the url is stale, used up or refused; queued
edits of one message are sent once, with the newest content. Against the emulator, which
replaces the pressed message as Slack does and does not count it as a Web API call."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import requests
from sqlalchemy import select

from bot.slack import outbox
from bot.slack.models import SENT, OutboxMessage
from bot.slack.outbox import Pressed
from tests.test_outbox import CH, NOW, drain, emu, sf, worker  # noqa: F401 - fixtures


def posted(sf, emu, ref: str = "item:1") -> dict:
    with sf.begin() as s:
        outbox.post(s, NOW, CH, f"punkt {ref}", [_section("punkt, ej kvitterad")], ref=ref)
    drain(worker(sf, emu))
    return next(m for m in emu.all_posts() if m["text"] == f"punkt {ref}")


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def press_of(emu, message: dict) -> Pressed:
    return Pressed.of(emu.new_response_url(message["channel"], message["ts"]), message, message["channel"])


def forget_calls(emu) -> None:
    with emu.state.lock:
        emu.state.calls.clear()


def methods(emu) -> list[str]:
    return [c.method for c in emu.calls]


def edit(sf, ref: str, text: str, via: Pressed | None) -> None:
    with sf.begin() as s:
        outbox.update(s, NOW, ref, text, [_section(text)], via=via)


def test_an_edit_caused_by_a_press_replaces_the_message_through_its_response_url(sf, emu):
    msg = posted(sf, emu)
    forget_calls(emu)  # count from here
    edit(sf, "item:1", "kvitterad", press_of(emu, msg))
    drain(worker(sf, emu))
    shown = next(m for m in emu.all_posts() if m["ts"] == msg["ts"])
    assert shown["text"] == "kvitterad" and len(shown["edits"]) == 1
    assert methods(emu) == []  # no Web API call at all
    assert [r["json"]["replace_original"] for r in emu.response_replaced] == [True]
    assert emu.response_posts == []  # nothing said to the person besides
    with sf() as s:
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.op == "update")).one()
        assert row.status == SENT and row.response_url is None  # not kept once used


def test_a_stale_or_used_up_url_falls_back_to_chat_update(sf, emu):
    msg = posted(sf, emu)
    stale = press_of(emu, msg)
    stale = Pressed(stale.response_url, stale.channel, stale.ts, datetime.now(timezone.utc) - timedelta(minutes=31))
    forget_calls(emu)
    edit(sf, "item:1", "sent", stale)
    drain(worker(sf, emu))
    assert methods(emu) == ["chat.update"] and emu.response_replaced == []
    used = press_of(emu, msg)
    for n in range(5):  # Slack takes a response_url five times
        assert requests.post(used.response_url, json={"text": f"svar {n}"}, timeout=5).status_code == 200
    edit(sf, "item:1", "efter fem", used)
    drain(worker(sf, emu))
    assert methods(emu) == ["chat.update", "chat.update"]
    assert next(m for m in emu.all_posts() if m["ts"] == msg["ts"])["text"] == "efter fem"


def test_a_press_in_another_copy_of_the_message_does_not_replace_it_by_url(sf, emu):
    """A Kvittera in an ephemeral list (or any other message) has a response_url that would
    replace that message, not the item's: the edit goes by chat.update."""
    msg = posted(sf, emu)
    other = posted(sf, emu, ref="item:2")
    forget_calls(emu)
    edit(sf, "item:1", "kvitterad", press_of(emu, other))
    drain(worker(sf, emu))
    assert methods(emu) == ["chat.update"] and emu.response_replaced == []
    assert next(m for m in emu.all_posts() if m["ts"] == msg["ts"])["text"] == "kvitterad"
    assert next(m for m in emu.all_posts() if m["ts"] == other["ts"])["text"] == "punkt item:2"
    with sf() as s:  # without a message (a slash command) there is no press to answer through
        assert Pressed.of("http://x/response/R1", None, CH) is None


def test_a_refused_url_falls_back_and_a_press_before_the_post_folds_into_it(sf, emu):
    msg = posted(sf, emu)
    gone = Pressed(emu.base_url + "/response/R0EMUNONE", msg["channel"], msg["ts"], datetime.now(timezone.utc))
    forget_calls(emu)
    edit(sf, "item:1", "ändrad", gone)
    drain(worker(sf, emu))
    assert methods(emu) == ["chat.update"]
    # an edit of a message whose post still waits becomes that post (one call in all)
    with sf.begin() as s:
        outbox.post(s, NOW, CH, "ny", [_section("ny")], ref="item:3")
    edit(sf, "item:3", "ny, ändrad", None)
    drain(worker(sf, emu))
    assert methods(emu) == ["chat.update", "chat.postMessage"]
    assert next(m for m in emu.all_posts() if m["text"] == "ny, ändrad")["edits"] == []


def test_queued_edits_of_one_message_are_sent_once_with_the_newest_content(sf, emu):
    msg = posted(sf, emu)
    forget_calls(emu)
    first = press_of(emu, msg)
    with sf.begin() as s:  # two edit rows side by side (as when a worker held the first one)
        for text in ("ett", "två"):
            s.add(OutboxMessage(op="update", region_id=sf.kw["info"]["region_id"], channel=CH, ref="item:1",
                                payload={"text": text, "blocks": [_section(text)]}, not_before=NOW,
                                created_at=NOW, response_url=first.response_url if text == "ett" else None,
                                response_url_until=first.at + outbox.RESPONSE_URL_LIFE if text == "ett" else None))
    edit(sf, "item:1", "tre", None)  # folds into the newest waiting edit
    drain(worker(sf, emu))
    shown = next(m for m in emu.all_posts() if m["ts"] == msg["ts"])
    assert shown["text"] == "tre" and len(shown["edits"]) == 1
    assert methods(emu) == []  # the skipped row handed its fresh response_url on
    with sf() as s:
        assert [r.status for r in s.scalars(select(OutboxMessage).where(OutboxMessage.op == "update"))] == [SENT] * 2
