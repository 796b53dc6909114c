"""Talarordning flows: the core (service) + messages + outbox, in one transaction each.

The live headline (ref `floor:<conference id>`) is posted once in the conference thread
and edited at every change; an edit caused by a press of its buttons goes through that
press's response_url (bot.slack.outbox.Pressed), not the Web API. Everything goes through
the outbox with the change that caused it.

When an actor gets the floor and has something to say that is not written in the
thread, one short thread message calls its members in by mention (an edit of the
headline notifies nobody): an actor without a report (it must speak to be heard), an
actor that reported a need for coordination, and whoever asked for the floor. An actor
whose lägesbild is in the thread and asks for nothing is not pinged: the headline shows
that it has the floor, and a conference of 37 actors does not make 37 pings.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.audit import service as audit
from bot.conference import target
from bot.conference.models import ACTIVATED, OPEN, Conference
from bot.context import BotContext
from bot.floor import messages, service
from bot.floor.state import REQUEST, Entry
from bot.region.service import actor_members
from bot.reply import Refusal, Reply
from bot.slack import outbox


@dataclass(frozen=True)
class ShownActor:
    """An actor as the speaking order names it (the phase after the name)."""

    id: int
    key: str
    name: str


def _actors(ctx: BotContext, s: Session, conf: Conference) -> dict[int, Any]:
    """The region's actors as the speaking order names them: in aktiverat läge, an actor
    in efterskede has its phase after its name."""
    actors: dict[int, Any] = dict(service.actors_by_id(s, conf.region_id))
    if conf.kind == ACTIVATED:
        label = ctx.renderer.t("activation_phase_after")
        for actor_id in service.after_phase(s, conf.id):
            a = actors.get(actor_id)
            if a is not None:
                actors[actor_id] = ShownActor(a.id, a.key, f"{a.name} ({label})")
    return actors


def host_key(ctx: BotContext) -> str | None:
    first = ctx.cfg.speaking_order.first
    return first[0] if first else None


def calls_in(e: Entry) -> bool:
    """Whether giving `e` the floor is said in a thread message that mentions its members:
    a question/comment asked for, an actor without a report, or one that needs coordination."""
    return e.kind == REQUEST or not e.reported or e.need


def _publish(ctx: BotContext, s: Session, conf: Conference, change: service.Change, got: Entry | None,
             via: outbox.Pressed | None = None) -> None:
    """Edits the headline to the new state (through `via`, the press that caused it, when
    there is one) and, if someone got the floor who should be called in, calls them in."""
    now = ctx.now()
    actors = _actors(ctx, s, conf)
    payload = messages.headline(ctx.renderer, conf, change.state, change.floor.turn, actors, ctx.host_name(),
                                closed=conf.status != OPEN)
    outbox.post_or_update(s, now, conf.channel, change.floor.ref, payload["text"], payload["blocks"],
                          thread_ref=conf.ref, via=via)
    if got is not None and calls_in(got):
        members = [got.by] if got.kind == REQUEST and got.by else sorted(actor_members(s, got.actor))
        turn = messages.turn(ctx.renderer, got, actors, members)
        outbox.post(s, now, conf.channel, turn["text"], turn["blocks"], thread_ref=conf.ref)


# ---- hooks of the conference flows ------------------------------------------------------

def opening_blocks(ctx: BotContext, s: Session, conf: Conference) -> list[dict[str, Any]]:
    """Blocks for the opening message: the speaking order (creates it, once)."""
    floor = service.ensure(s, conf, ctx.cfg.speaking_order, ctx.now())
    return messages.order_blocks(ctx.renderer, service.state_of(floor), _actors(ctx, s, conf))


def on_open(ctx: BotContext, s: Session, conf: Conference) -> None:
    """Called when a conference opens, after the reports: the host gets the floor and the
    live headline is posted in the thread."""
    service.ensure(s, conf, ctx.cfg.speaking_order, ctx.now())
    change = service.start(s, conf.id, ctx.now())
    _publish(ctx, s, conf, change, change.result)


def on_reports(ctx: BotContext, s: Session, conf: Conference, actor_ids: list[int]) -> None:
    """Reports that arrived while the conference is open, in arrival order: an actor that
    had no report moves to the end of the queue; one headline update shows them all."""
    if conf.status != OPEN:
        return
    change = service.reports_arrived(s, conf.id, actor_ids, ctx.now())
    if change is not None and change.result:
        _publish(ctx, s, conf, change, None)


def on_called_in(ctx: BotContext, s: Session, conf: Conference, actor_id: int) -> None:
    """Called when an actor is called in to an activated conference mid-event."""
    if conf.status != OPEN:
        return
    change = service.actor_called_in(s, conf.id, actor_id, ctx.now())
    if change is not None and change.result:
        _publish(ctx, s, conf, change, None)


def on_close(ctx: BotContext, s: Session, conf: Conference) -> None:
    """Called when a conference closes: the headline keeps the final state, without buttons."""
    floor = service.get(s, conf.id)
    if floor is None or not outbox.is_queued(s, floor.ref):
        return
    _publish(ctx, s, conf, service.Change(floor, service.state_of(floor), None), None)


# ---- what people do ------------------------------------------------------------------------

def _open_conference(s: Session, ctx: BotContext, conference_id: int) -> Conference | None:
    conf = s.get(Conference, conference_id)
    return conf if conf is not None and conf.region_id == ctx.region_id else None


def move(ctx: BotContext, user_id: str, conference_id: int, *, passed: bool = False,
         seen_turn: int | None = None, via: outbox.Pressed | None = None) -> Reply:
    """Nästa / Hoppa över (button or `/talarordning nästa`)."""
    with ctx.tx() as s:
        conf = _open_conference(s, ctx, conference_id)
        if conf is None:
            raise Refusal("floor_refused_no_floor")
        if not service.may_run(s, ctx.region_id, user_id, host_key(ctx)):
            raise Refusal("floor_refused_rights", host=ctx.host_name())
        if conf.status != OPEN:
            raise Refusal("floor_refused_closed")
        change = service.advance(s, conf.id, ctx.now(), passed=passed, seen_turn=seen_turn)
        _publish(ctx, s, conf, change, change.result, via)
        got = change.result
        audit.record(s, ctx.now(), "floor.skip" if passed else "floor.next", region_id=ctx.region_id,
                     user_id=user_id, subject=conf.ref, turn=change.floor.turn,
                     to_actor=got.actor if got else None)
        if got is None:
            return Reply(ctx.renderer.t("floor_next_done"))
        name = _actors(ctx, s, conf)[got.actor].name
        return Reply(ctx.renderer.t("floor_next_ok", name=name))


def ask_for_floor(ctx: BotContext, user_id: str, conference_id: int, via: outbox.Pressed | None = None) -> Reply:
    """Begär ordet: a question/comment by the member's actor, after the current speaker."""
    with ctx.tx() as s:
        conf = _open_conference(s, ctx, conference_id)
        if conf is None:
            raise Refusal("floor_refused_no_floor")
        member = service.speaking_for(s, ctx.region_id, user_id)
        if member is None:
            raise Refusal("floor_refused_not_member")
        if conf.status != OPEN:
            raise Refusal("floor_refused_closed")
        try:
            change = service.request(s, conf.id, member.actor_id, user_id, ctx.now())
        except Refusal as e:  # the state names no actor; the person is told which
            raise Refusal(e.key, actor=member.actor_name) from None
        _publish(ctx, s, conf, change, None, via)
        audit.record(s, ctx.now(), "floor.request", region_id=ctx.region_id, user_id=user_id, subject=conf.ref,
                     actor=member.actor_id)
        return Reply(ctx.renderer.t("floor_request_ok", actor=member.actor_name, position=change.result))


def command_next(ctx: BotContext, user_id: str) -> Reply:
    """`/talarordning nästa`: moves the floor of the open conference."""
    with ctx.tx() as s:
        conf = service.conference_for_command(s, ctx.region_id)
        conference_id = conf.id if conf is not None else None
    if conference_id is None:
        raise Refusal("floor_none_open_next")
    return move(ctx, user_id, conference_id)


def command_show(ctx: BotContext, user_id: str) -> Reply:
    """`/talarordning`: the order and where the floor is, for anyone."""
    with ctx.tx() as s:
        conf = service.conference_for_command(s, ctx.region_id)
        if conf is None:
            return _planned(ctx, s)
        floor = service.get(s, conf.id)
        if floor is None:
            raise Refusal("floor_refused_no_floor")
        pages = messages.show(ctx.renderer, conf, service.state_of(floor), _actors(ctx, s, conf))
        return Reply.pages(pages)


def _planned(ctx: BotContext, s: Session) -> Reply:
    """Before the opening: the order as planned now, so that those on it can prepare (a
    question: nothing is stored, not even the next conference)."""
    conf = target.next_ordinary(ctx, s, create=False)
    if conf is None:
        return Reply(ctx.renderer.t("floor_none_open"))
    state = service.preview(s, conf, ctx.cfg.speaking_order)
    return Reply.pages(messages.show(ctx.renderer, conf, state, service.actors_by_id(s, conf.region_id),
                                     planned=conf.scheduled_at or True))


def press_move(ctx: BotContext, user_id: str, value: str | None, *, passed: bool,
               via: outbox.Pressed | None = None) -> Reply:
    """The headline's Nästa / Hoppa över: success shows in the headline itself, edited
    through the press's response_url (`via`)."""
    parsed = messages.parse_value(value)
    if parsed[1] is None:
        raise Refusal("floor_refused_bad_button")
    move(ctx, user_id, parsed[0], passed=passed, seen_turn=parsed[1], via=via)
    return Reply()


def press_ask(ctx: BotContext, user_id: str, value: str | None, via: outbox.Pressed | None = None) -> Reply:
    """The headline's Begär ordet."""
    parsed = messages.parse_value(value)
    return ask_for_floor(ctx, user_id, parsed[0], via)
