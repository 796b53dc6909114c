"""Action items (åtgärdspunkter) in plain Python over the database (no Slack here).

An item belongs to an actor (the organisation), never to a person: any member of the
owning actor, whatever their role, may acknowledge it (Kvittera) or mark it done (Klar).
There are no joint decisions, so an acknowledgement is the owner's own commitment.
Points raised to the Regional samordningsgrupp (`/atgard lyft`) are stored as items with
`raised=True`; they are not followed up as action items.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.orm import Session

from bot.actions.models import DONE, OPEN, Acknowledgement, ActionItem, item_ref
from bot.db.writer import Want, group_of, insert_later, insert_new
from bot.conference.models import ACTIVATED, CLOSED, ORDINARY, Conference
from bot.conference.models import OPEN as CONF_OPEN
from bot.region.models import Actor
from bot.region import roles
from bot.region.service import active_actor, memberships
from bot.reply import Refusal
from bot.slack.text import user_mention


@dataclass(frozen=True)
class AckView:
    user_id: str
    actor_name: str
    at: datetime


@dataclass(frozen=True)
class ItemView:
    """What people read about an item; built from the rows, no session needed after."""

    id: int
    owner_id: int
    owner_key: str
    owner_name: str
    text: str
    due: date | None
    overdue: bool
    status: str
    raised: bool
    conference_id: int | None
    created_by: str
    created_at: datetime
    acknowledged: AckView | None
    done_by: str | None
    done_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


# ---- reading ---------------------------------------------------------------------------

def owner_ack(item: "ActionItem | PlainItem") -> "Acknowledgement | OwnerAck | None":
    """The owning actor's acknowledgement (the first one), if any."""
    return next((a for a in item.acknowledgements if a.actor_id == item.owner_actor_id), None)


def view(s: Session, item: "ActionItem | PlainItem", today: date) -> ItemView:
    owner = _actor(s, item.region_id, item.owner_actor_id)
    ack = owner_ack(item)
    ack_view = AckView(ack.user_id, owner.name, ack.at) if ack else None
    return ItemView(
        id=item.id, owner_id=owner.id, owner_key=owner.key, owner_name=owner.name, text=item.text, due=item.due,
        overdue=item.status == OPEN and item.due is not None and item.due < today, status=item.status,
        raised=item.raised, conference_id=item.conference_id, created_by=item.created_by,
        created_at=item.created_at, acknowledged=ack_view, done_by=item.done_by, done_at=item.done_at)


def _actor(s: Session, region_id: int, actor_id: int):
    """The actor from the in-memory view of the region (an inactive one from the database)."""
    return active_actor(s, region_id, actor_id) or s.get(Actor, actor_id)


def follow_up_order(views: list[ItemView]) -> list[ItemView]:
    """Overdue first, then by due date (undated last), then oldest first."""
    return sorted(views, key=lambda v: (not v.overdue, v.due is None, v.due or date.max, v.id))


def open_items(s: Session, region_id: int) -> list[ActionItem]:
    """Every open action item of the region (raised points excluded)."""
    return list(s.scalars(select(ActionItem).where(
        ActionItem.region_id == region_id, ActionItem.status == OPEN, ActionItem.raised.is_(False))
        .order_by(ActionItem.id)))


def open_views(s: Session, region_id: int, today: date) -> list[ItemView]:
    return follow_up_order([view(s, i, today) for i in open_items(s, region_id)])


def conference_items(s: Session, conference_id: int, *, raised: bool) -> list[ActionItem]:
    return list(s.scalars(select(ActionItem).where(
        ActionItem.conference_id == conference_id, ActionItem.raised.is_(raised)).order_by(ActionItem.id)))


# ---- where items go --------------------------------------------------------------------

def target_conference(s: Session, region_id: int) -> Conference | None:
    """Where a new item is posted: the open activated conference, else the open ordinary
    one, else the latest ordinary conference that was held (None: none ever was)."""
    base = select(Conference).where(Conference.region_id == region_id)
    opened = s.scalars(base.where(Conference.status == CONF_OPEN).order_by(Conference.opened_at.desc())).all()
    for kind in (ACTIVATED, ORDINARY):
        conf = next((c for c in opened if c.kind == kind), None)
        if conf is not None:
            return conf
    return s.scalars(base.where(Conference.kind == ORDINARY, Conference.status.in_((CONF_OPEN, CLOSED)))
                     .order_by(Conference.iso_year.desc(), Conference.iso_week.desc())).first()


# ---- rights ----------------------------------------------------------------------------

def may_create(s: Session, region_id: int, user_id: str) -> bool:
    return any(roles.may_create_actions(m) for m in memberships(s, region_id, user_id))


def creator_actor(s: Session, region_id: int, user_id: str) -> int | None:
    """The actor a tib/koordinator acts for when raising a point (the first in file order)."""
    return next((m.actor_id for m in memberships(s, region_id, user_id) if roles.may_create_actions(m)), None)


def is_owner_member(s: Session, region_id: int, item: "ActionItem | PlainItem", user_id: str) -> bool:
    return any(m.actor_id == item.owner_actor_id for m in memberships(s, region_id, user_id))


# ---- changing --------------------------------------------------------------------------

def create(s: Session, region_id: int, *, conference: Conference | None, owner_actor_id: int, text: str,
           due: date | None, user_id: str, now: datetime, raised: bool = False,
           new: Want | None = None) -> PlainItem:
    """The new item, as plain values (no ORM flush: a burst of /atgard is written in groups,
    bot.db.writer, and a flush per item would also flush the group's other rows). `new`:
    what the unit said of its new row (`bot.db.writer.new_row`); with an id taken ahead
    (PostgreSQL) the row joins the group's one INSERT, else it is inserted at once."""
    values = dict(region_id=region_id, conference_id=conference.id if conference else None,
                  owner_actor_id=owner_actor_id, text=text, due=due, status=OPEN, raised=raised,
                  created_by=user_id, created_at=now, done_at=None, done_by=None)
    return PlainItem(id=insert_new(s, _ITEM, values, new), **values)  # new: no acknowledgement


@dataclass(slots=True)
class OwnerAck:
    actor_id: int
    user_id: str
    at: datetime


@dataclass(slots=True, eq=False)
class PlainItem:
    """An item as the hot paths write it: plain values, no ORM object (a burst of presses
    reads its items in one query and writes plain rows; a burst of /atgard inserts its
    items in one statement). `acknowledgements` holds the owner's acknowledgement only,
    which is all a press looks at."""

    id: int
    region_id: int
    conference_id: int | None
    owner_actor_id: int
    text: str
    due: date | None
    status: str
    raised: bool
    created_by: str
    created_at: datetime
    done_at: datetime | None
    done_by: str | None
    acknowledgements: list[OwnerAck] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return item_ref(self.id)


_ITEM, _ACK = ActionItem.__table__, Acknowledgement.__table__
_ITEM_COLUMNS = [c.name for c in _ITEM.c]
# the items and their owner's acknowledgement (one per actor and item: a unique constraint)
_PRESSED_ITEMS = (select(_ITEM, _ACK.c.user_id.label("ack_user"), _ACK.c.at.label("ack_at"))
                  .select_from(_ITEM.outerjoin(_ACK, and_(_ACK.c.item_id == _ITEM.c.id,
                                                          _ACK.c.actor_id == _ITEM.c.owner_actor_id)))
                  .where(_ITEM.c.id.in_(bindparam("ids", expanding=True))))
_MARK_DONE = update(_ITEM).where(_ITEM.c.id == bindparam("item_id")).values(
    status=bindparam("status"), done_at=bindparam("done_at"), done_by=bindparam("done_by"))
ITEM_KIND = "action_item"


def wants(item_id: int) -> Want:
    """What a press says it will read, so a burst of presses reads its items together."""
    return ITEM_KIND, item_id


def _load_pressed(s: Session, ids: Iterable[int]) -> dict[int, PlainItem]:
    items = {}
    for row in s.connection().execute(_PRESSED_ITEMS, {"ids": sorted(ids)}).mappings():
        acks = [OwnerAck(row["owner_actor_id"], row["ack_user"], row["ack_at"])] if row["ack_user"] else []
        items[row["id"]] = PlainItem(**{c: row[c] for c in _ITEM_COLUMNS}, acknowledgements=acks)
    return items


def _item_for(s: Session, region_id: int, item_id: int, user_id: str) -> PlainItem:
    group = group_of(s)
    if group is not None:  # with every item the group's presses are for, in one query
        item = group.batch(ITEM_KIND, item_id, lambda ids: _load_pressed(s, ids))
    else:
        item = _load_pressed(s, (item_id,)).get(item_id)
    if item is None or item.region_id != region_id or item.raised:
        raise Refusal("action_not_found", id=item_id)
    if not is_owner_member(s, region_id, item, user_id):
        owner = s.get(Actor, item.owner_actor_id)
        raise Refusal("action_not_yours", owner=owner.name)
    return item


def acknowledge(s: Session, region_id: int, item_id: int, user_id: str, now: datetime) -> PlainItem:
    """The owning actor acknowledges its item; refused for anyone else or twice."""
    item = _item_for(s, region_id, item_id, user_id)
    if item.status == DONE:
        raise Refusal("action_already_done", id=item.id)
    ack = owner_ack(item)
    if ack is not None:
        raise Refusal("action_already_acknowledged", id=item.id, user=user_mention(ack.user_id), at=ack.at)
    _add_owner_ack(s, item, user_id, now)
    return item


def _add_owner_ack(s: Session, item: PlainItem, user_id: str, now: datetime) -> None:
    # a plain row: in a group of presses one INSERT takes them all (bot.db.writer); the
    # item shows it at once, to this press and to a later one in the same group
    insert_later(s, _ACK, {"item_id": item.id, "actor_id": item.owner_actor_id, "user_id": user_id, "at": now})
    item.acknowledgements.append(OwnerAck(item.owner_actor_id, user_id, now))


def mark_done(s: Session, region_id: int, item_id: int, user_id: str, now: datetime) -> PlainItem:
    """The owning actor reports its item done (which also acknowledges it if need be)."""
    item = _item_for(s, region_id, item_id, user_id)
    if item.status == DONE:
        raise Refusal("action_already_done", id=item.id)
    if owner_ack(item) is None:
        _add_owner_ack(s, item, user_id, now)
    s.connection().execute(_MARK_DONE, {"item_id": item.id, "status": DONE, "done_at": now, "done_by": user_id})
    item.status, item.done_at, item.done_by = DONE, now, user_id
    return item
