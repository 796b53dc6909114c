"""Activation requests over signed HTTP: to the koordinators with buttons, accept,
decline, refusals, and two koordinators pressing at once (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading

from sqlalchemy import select

from bot.activation.messages import ACCEPT_ACTION, DECLINE_ACTION
from bot.activation.models import ActivationRequest
from tests.helpers import block_text
from tests.test_activation import (
    CH, KOORD, KOORD2, REASON, activated, activation_root, audit_actions, command, dm_texts,
)

REQUESTER = "U0TRV001"  # Trafikverket's TiB


def request(bot, reason: str = REASON, user: str = REQUESTER) -> str:
    answer = command(bot, "/aktivera", reason, user)
    bot.drain()
    return answer


def request_message(bot) -> dict:
    (msg,) = [m for m in bot.emu.messages(CH) if "Begäran om aktiverat läge" in block_text(m)]
    return msg


def request_dm(bot, user: str) -> dict:
    (msg,) = [m for m in bot.emu.dms(user) if "Begäran om aktiverat läge" in block_text(m)]
    return msg


def press(bot, user: str, action: str, message: dict):
    before = len(bot.emu.response_posts)
    r = bot.slack.block_action(user, action, message=message)
    assert r.status_code == 200, r.text
    assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) > before, timeout=10)
    bot.drain()
    return bot.emu.response_posts[-1]["json"]


def requests_in_db(bot) -> list[ActivationRequest]:
    with bot.ctx.sf() as s:
        return list(s.scalars(select(ActivationRequest)))


def has_buttons(msg: dict) -> bool:
    return any(b["type"] == "actions" for b in msg.get("blocks") or [])


def test_request_reaches_the_koordinators_and_accept_activates(bot):
    answer = request(bot)
    assert "skickad till koordinatorerna (2 st)" in answer and "direktmeddelande" in answer
    assert activated(bot) == []

    msg = request_message(bot)
    text = block_text(msg)
    assert f"från <@{REQUESTER}> (Trafikverket)" in text and REASON in text
    (actions,) = [b for b in msg["blocks"] if b["type"] == "actions"]
    (req,) = requests_in_db(bot)
    assert [(e["text"]["text"], e["value"]) for e in actions["elements"]] == [("Aktivera", str(req.id)),
                                                                              ("Avböj", str(req.id))]
    for k in (KOORD, KOORD2):
        assert has_buttons(request_dm(bot, k))
    assert "activation.requested" in audit_actions(bot)

    # a koordinator accepts from the DM
    reply = press(bot, KOORD2, ACCEPT_ACTION, request_dm(bot, KOORD2))
    assert reply["response_type"] == "ephemeral" and "Du aktiverade läget: aktiverat läge nr 1" in reply["text"]
    (conf,) = activated(bot)
    assert conf.activated_by == KOORD2 and conf.reason == REASON
    root = block_text(activation_root(bot))
    assert f"Aktiverat av <@{KOORD2}> på begäran av <@{REQUESTER}> (Trafikverket)" in root
    assert "*Polisregion Stockholm*: <@U0POL001>" in root  # called in

    # every request message now shows the outcome, without buttons
    for msg in (request_message(bot), request_dm(bot, KOORD), request_dm(bot, KOORD2)):
        assert not has_buttons(msg) and msg["edits"]
        assert f"*Aktiverat* av <@{KOORD2}> kl. 08.00: aktiverat läge nr 1" in block_text(msg)
    assert any("har godkänts av" in t and "aktiverat läge nr 1" in t for t in dm_texts(bot, REQUESTER))
    (req,) = requests_in_db(bot)
    assert (req.status, req.decided_by, req.conference_id) == ("accepted", KOORD2, conf.id)
    assert {"activation.request_accepted", "activation.activated"} <= set(audit_actions(bot))

    # pressing the (stale) button again activates nothing more
    reply = press(bot, KOORD, ACCEPT_ACTION, request_message(bot) | {"blocks": msg["edits"][0]["blocks"]})
    assert "redan godkänd av" in reply["text"]
    assert len(activated(bot)) == 1


def test_decline_tells_the_requester_and_activates_nothing(bot):
    request(bot)
    reply = press(bot, KOORD, DECLINE_ACTION, request_message(bot))
    assert reply["text"] == "Du avböjde begäran om aktiverat läge."
    assert activated(bot) == []
    msg = request_message(bot)
    assert not has_buttons(msg) and f"*Avböjd* av <@{KOORD}>" in block_text(msg)
    assert any("avböjdes av" in t for t in dm_texts(bot, REQUESTER))
    (req,) = requests_in_db(bot)
    assert (req.status, req.decided_by) == ("declined", KOORD)
    assert "activation.request_declined" in audit_actions(bot)
    stale = request_message(bot) | {"blocks": msg["edits"][0]["blocks"]}
    assert "redan avböjd" in press(bot, KOORD2, ACCEPT_ACTION, stale)["text"]
    assert activated(bot) == []


def test_a_non_koordinator_pressing_is_refused(bot):
    request(bot)
    reply = press(bot, "U0POL001", ACCEPT_ACTION, request_message(bot))
    assert reply["response_type"] == "ephemeral" and "Bara en samverkanskoordinator" in reply["text"]
    reply = press(bot, REQUESTER, DECLINE_ACTION, request_message(bot))
    assert "Bara en samverkanskoordinator" in reply["text"]
    assert activated(bot) == [] and requests_in_db(bot)[0].status == "pending"
    assert has_buttons(request_message(bot))


def test_request_refused_while_active_and_from_outsiders(bot):
    assert "inte medlem" in request(bot, user="U0OUTSIDER")
    command(bot, "/aktivera", "Storm", KOORD)
    answer = request(bot, "Mer snö")
    assert "Aktiverat läge nr 1 pågår redan (Storm)" in answer and "/lagesbild" in answer
    assert requests_in_db(bot) == []


def test_a_direct_activation_answers_the_waiting_request_and_tells_the_requester(bot):
    request(bot)
    stale = request_message(bot)  # a copy that still shows the buttons
    command(bot, "/aktivera", "Storm", KOORD)
    bot.drain()
    msg = request_message(bot)
    assert not has_buttons(msg) and f"*Aktiverat* av <@{KOORD}>" in block_text(msg) and "aktiverat läge nr 1" in block_text(msg)
    assert not has_buttons(request_dm(bot, KOORD2))
    told = [t for t in dm_texts(bot, REQUESTER) if "Din begäran om aktiverat läge är besvarad" in t]
    assert len(told) == 1 and f"<@{KOORD}> aktiverade direkt" in told[0] and "aktiverat läge nr 1" in told[0]
    reply = press(bot, KOORD2, ACCEPT_ACTION, stale)
    assert "redan godkänd" in reply["text"]
    assert requests_in_db(bot)[0].status == "accepted" and len(activated(bot)) == 1


def _press_together(bot, presses: list[tuple[str, str]]) -> list[str]:
    msg = request_message(bot)
    barrier = threading.Barrier(len(presses))
    statuses: list[int] = []

    def go(user: str, action: str) -> None:
        barrier.wait()
        statuses.append(bot.slack.block_action(user, action, message=msg).status_code)

    threads = [threading.Thread(target=go, args=p) for p in presses]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert statuses == [200] * len(presses)
    assert bot.emu.wait_for(lambda: len(bot.emu.response_posts) >= len(presses), timeout=15)
    bot.drain()
    return sorted(p["json"]["text"] for p in bot.emu.response_posts)


def test_two_koordinators_accepting_at_once_activate_once(bot):
    request(bot)
    replies = _press_together(bot, [(KOORD, ACCEPT_ACTION), (KOORD2, ACCEPT_ACTION)])
    assert len(activated(bot)) == 1
    winners = [t for t in replies if t.startswith("Du aktiverade läget")]
    losers = [t for t in replies if "håller redan på att aktiveras" in t or "redan godkänd" in t]
    assert len(winners) == 1 and len(losers) == 1, replies
    (req,) = requests_in_db(bot)
    assert req.status == "accepted" and activated(bot)[0].activated_by == req.decided_by
    assert audit_actions(bot).count("activation.activated") == 1
    assert len([m for m in bot.emu.messages(CH) if "AKTIVERAT LÄGE nr" in block_text(m)]) == 1


def test_accept_and_decline_at_once_one_wins(bot):
    request(bot)
    replies = _press_together(bot, [(KOORD, ACCEPT_ACTION), (KOORD2, DECLINE_ACTION)])
    (req,) = requests_in_db(bot)
    if req.status == "accepted":
        assert len(activated(bot)) == 1 and any("redan" in t for t in replies)
    else:
        assert req.status == "declined" and activated(bot) == []
        assert "Du avböjde begäran om aktiverat läge." in replies
