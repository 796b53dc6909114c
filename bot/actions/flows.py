"""Action item flows: `/atgard`, the Kvittera/Klar buttons, and the follow-up in the opening.

Each flow runs in one transaction: the change and the Slack messages it causes (queued in
the outbox) commit together. A refusal changes nothing and is returned as text for the
person who asked.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.actions import messages, parse, service
from bot.actions.models import ActionItem, item_ref
from bot.audit.service import record
from bot.cases import flows as case_flows
from bot.conference.models import Conference
from bot import values
from bot.context import BotContext
from bot.db.writer import Group, new_row
from bot.region.models import Actor
from bot.reply import Refusal, Reply
from bot.slack import blocks as bk
from bot.slack import outbox

LIST_WORDS = ("lista", "list")
RAISE_WORDS = ("lyft", "lyfta")


def _today(ctx: BotContext):
    return service.local_today(ctx.now(), ctx.cfg.tz)


def list_open(ctx: BotContext, user_id: str) -> Reply:
    with ctx.sf() as s:
        views = service.open_views(s, ctx.region_id, _today(ctx))
    shown, pages = len(views), messages.item_list(ctx.renderer, views)
    while len(pages) > LIST_PAGES:  # the ack plus 5 uses of the response_url: leave out the least urgent
        shown = max(1, min(shown - 1, shown * LIST_PAGES // len(pages)))
        pages = messages.item_list(ctx.renderer, views[:shown])
    if shown < len(views):
        last = pages[-1]
        pages[-1] = {**last, "blocks": [*last["blocks"][:49],
                                        bk.context(ctx.renderer.t("action_list_more", count=len(views) - shown))]}
    return Reply.pages(pages)


LIST_PAGES = 6  # what one /atgard lista can answer: the ack and five response_url posts


def post_item(ctx: BotContext, s: Session, item, conf: Conference | None) -> service.ItemView:
    v = service.view(s, item, _today(ctx))
    payload = messages.item(ctx.renderer, v)
    outbox.post(s, ctx.now(), conf.channel if conf else ctx.cfg.channel, payload["text"], payload["blocks"],
                ref=item.ref, thread_ref=conf.ref if conf else None)
    return v


def create(ctx: BotContext, user_id: str, text: str) -> Reply:
    """`/atgard <aktör> <text> [senast <dag>]`: the item and its message in the thread, in
    one unit of the group writer (a burst of new items shares transactions)."""

    new = new_row(ActionItem.__table__)  # on PostgreSQL its id is taken ahead, with the group's others

    def work(s: Session, group: Group) -> Reply:
        now = ctx.now()
        if not service.may_create(s, ctx.region_id, user_id):
            raise Refusal("action_refused_rights")
        parsed = parse.parse_new(s, ctx.region_id, text, _today(ctx))
        # which conference: once per transaction for a burst of new items
        conf = group.memo(("action_target", ctx.region_id), lambda: service.target_conference(s, ctx.region_id))
        item = service.create(s, ctx.region_id, conference=conf, owner_actor_id=parsed.owner.id, text=parsed.text,
                              due=parsed.due, user_id=user_id, now=now, new=new)
        record(s, now, "action.create", region_id=ctx.region_id, user_id=user_id, subject=item.ref,
               owner=parsed.owner.key, due=parsed.due.isoformat() if parsed.due else None)
        v = post_item(ctx, s, item, conf)
        return Reply(messages.created(ctx.renderer, v, conf, parsed.due_text))

    return ctx.write(work, wants=(new,))


def raise_point(ctx: BotContext, user_id: str, text: str) -> Reply:
    """`/atgard lyft <text>`: a point for the Regional samordningsgrupp, recorded for the
    actor the person acts for; it appears in the samlad lägesbild and becomes an ärende
    (bot/cases) followed until it is closed."""
    now = ctx.now()
    with ctx.tx() as s:
        actor_id = service.creator_actor(s, ctx.region_id, user_id)
        if actor_id is None:
            raise Refusal("action_refused_rights")
        body = parse.parse_raised(text)
        conf = service.target_conference(s, ctx.region_id)
        item = service.create(s, ctx.region_id, conference=conf, owner_actor_id=actor_id, text=body, due=None,
                              user_id=user_id, now=now, raised=True)
        record(s, now, "action.raise", region_id=ctx.region_id, user_id=user_id, subject=item.ref)
        case = case_flows.create(ctx, s, conference_id=conf.id if conf else None, action_item_id=item.id,
                                 actor_id=actor_id, user=user_id, text=body)
        return Reply("\n".join((messages.raised(ctx.renderer, s.get(Actor, actor_id).name, conf),
                                case_flows.created_text(ctx, case))))


def press(ctx: BotContext, user_id: str, action: str, value: str | None, via: outbox.Pressed | None = None) -> Reply:
    """A press of Kvittera (`action_ack`) or Klar (`action_done`): nothing to say when the
    item's message was edited (it shows the change), or a Refusal. Two members
    pressing at the same moment: the database takes one acknowledgement, and the other
    press is answered as the item now stands."""
    try:
        return _press(ctx, action, value, user_id, via)
    except IntegrityError:
        return _press(ctx, action, value, user_id, via)


def _press(ctx: BotContext, action: str, value: str | None, user_id: str, via: outbox.Pressed | None = None) -> Reply:
    r = ctx.renderer
    item_id = values.record_id(value)

    def work(s: Session, _group) -> Reply:
        now = ctx.now()
        if action == messages.DONE_ACTION:
            item = service.mark_done(s, ctx.region_id, item_id, user_id, now)
        else:
            item = service.acknowledge(s, ctx.region_id, item_id, user_id, now)
        record(s, now, "action.done" if action == messages.DONE_ACTION else "action.acknowledge",
               region_id=ctx.region_id, user_id=user_id, subject=item.ref)
        payload = messages.item(r, service.view(s, item, _today(ctx)))
        outbox.update(s, now, item.ref, payload["text"], payload["blocks"], via=via)  # via: the press's response_url
        return Reply()

    # with the other presses of a burst, in one transaction: their items read in one query,
    # and where each item's message stands in one more (bot.db.writer.Group.batch)
    return ctx.write(work, wants=(service.wants(item_id), outbox.wants_edit(item_ref(item_id))))


def opening_blocks(ctx: BotContext, s: Session, conf: Conference) -> list[dict[str, Any]]:
    """Blocks for the opening message: open action items carried over ("Uppföljning"),
    every one of them until it is done, overdue first."""
    return messages.followup_blocks(ctx.renderer, service.open_views(s, ctx.region_id, _today(ctx)))
