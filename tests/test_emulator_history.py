"""The emulator's history, replies, metadata, held and lost answers, 429 windows and
not_in_channel, as the outbox relies on them."""
from __future__ import annotations

import threading
import time

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from samverkan_emulator import SlackEmulator

TOKEN = "xoxb-test-token"
CH = "C0CONF01"
META = {"event_type": "samverkan_outbox", "event_payload": {"outbox_id": 7, "region_id": 1}}


@pytest.fixture
def emu():
    with SlackEmulator(token=TOKEN) as e:
        e.add_channel(CH, name="samverkan")
        e.add_channel("C0OTHER1", name="annan")
        e.add_channel("C0NOBOT1", name="utan-bot", bot_member=False)
        e.add_user("U0POL001")
        yield e


@pytest.fixture
def client(emu):
    client = WebClient(base_url=emu.api_url, token=TOKEN)
    client.retry_handlers = []
    return client


def error_of(fn, **kw) -> str:
    with pytest.raises(SlackApiError) as info:
        fn(**kw)
    return info.value.response["error"]


def test_history_newest_first_paged_with_metadata_only_when_asked(emu, client):
    tss = [client.chat_postMessage(channel=CH, text=f"m{i}", metadata=META if i == 3 else None)["ts"]
           for i in range(5)]
    client.chat_postMessage(channel=CH, text="svar", thread_ts=tss[0])
    page = client.conversations_history(channel=CH, limit=2)
    assert [m["text"] for m in page["messages"]] == ["m4", "m3"] and page["has_more"]
    assert "metadata" not in page["messages"][1]
    rest = client.conversations_history(channel=CH, limit=10, cursor=page["response_metadata"]["next_cursor"],
                                        include_all_metadata=True)
    assert [m["text"] for m in rest["messages"]] == ["m2", "m1", "m0"] and not rest["has_more"]
    with_meta = client.conversations_history(channel=CH, include_all_metadata=True, oldest=tss[2])
    assert [m["text"] for m in with_meta["messages"]] == ["m4", "m3"]
    assert with_meta["messages"][1]["metadata"] == META
    inclusive = client.conversations_history(channel=CH, oldest=tss[2], inclusive=True)
    assert [m["text"] for m in inclusive["messages"]] == ["m4", "m3", "m2"]


def test_replies_parent_first_from_any_message_of_the_thread(emu, client):
    root = client.chat_postMessage(channel=CH, text="rot")["ts"]
    r1 = client.chat_postMessage(channel=CH, text="ett", thread_ts=root, metadata=META)["ts"]
    client.chat_postMessage(channel=CH, text="två", thread_ts=root)
    for ts in (root, r1):
        got = client.conversations_replies(channel=CH, ts=ts, include_all_metadata=True)
        assert [m["text"] for m in got["messages"]] == ["rot", "ett", "två"]
        assert got["messages"][1]["metadata"] == META
    assert error_of(client.conversations_replies, channel=CH, ts="1.000001") == "thread_not_found"


def test_reading_needs_membership_and_a_conversation_id(emu, client):
    assert error_of(client.conversations_history, channel="C0NOBOT1") == "not_in_channel"
    assert error_of(client.conversations_history, channel="U0POL001") == "channel_not_found"
    assert error_of(client.chat_postMessage, channel="C0NOBOT1", text="x") == "not_in_channel"
    dm = client.conversations_open(users="U0POL001")["channel"]["id"]
    client.chat_postMessage(channel="U0POL001", text="hej")
    assert [m["text"] for m in client.conversations_history(channel=dm)["messages"]] == ["hej"]
    emu.set_bot_member("C0NOBOT1")
    assert client.chat_postMessage(channel="C0NOBOT1", text="nu")["ok"]


def test_bad_metadata_is_refused(client):
    assert error_of(client.chat_postMessage, channel=CH, text="x", metadata={"event_type": "a b"}) == \
        "invalid_metadata_format"
    ts = client.chat_postMessage(channel=CH, text="x", metadata=META)["ts"]
    client.chat_update(channel=CH, ts=ts, text="y")  # metadata kept when not given
    assert client.conversations_history(channel=CH, include_all_metadata=True)["messages"][0]["metadata"] == META


def test_a_held_answer_comes_late_but_the_message_is_there_at_once(emu, client):
    hold = emu.hold_answer("chat.postMessage", 1.5, match=lambda a: a.get("text") == "långsam")
    answers = []
    t = threading.Thread(target=lambda: answers.append(client.chat_postMessage(channel=CH, text="långsam")))
    t0 = time.monotonic()
    t.start()
    assert hold.stored.wait(2) and [m["text"] for m in emu.messages(CH)] == ["långsam"]
    assert client.chat_postMessage(channel=CH, text="snabb")["ok"]  # others are not held
    t.join(5)
    assert time.monotonic() - t0 >= 1.4 and answers[0]["ts"] == emu.messages(CH)[0]["ts"]


def test_a_lost_answer_leaves_the_message_and_no_answer(emu):
    emu.lose_answer("chat.postMessage")
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{emu.api_url}chat.postMessage", data={"channel": CH, "text": "borta"},
                      headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert [m["text"] for m in emu.messages(CH)] == ["borta"]


def test_a_429_window_on_one_channel_only(emu, client):
    emu.rate_limit_channel(CH, seconds=1.0, retry_after=20)
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=CH, text="x")
    assert info.value.response.status_code == 429
    assert int(info.value.response.headers["Retry-After"]) == 1  # at most the window left
    assert client.chat_postMessage(channel="C0OTHER1", text="y")["ok"]
    time.sleep(1.05)
    assert client.chat_postMessage(channel=CH, text="x")["ok"]
