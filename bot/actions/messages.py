"""Slack payloads for action items, rendered from templates/ (actions*.j2, strings/actions.yaml)."""
from __future__ import annotations

from typing import Any

from bot.actions.service import ItemView
from bot.conference.models import ACTIVATED, Conference
from bot.render import Renderer
from bot.slack import blocks as bk
from bot.slack.text import SlackSafe, link, user_mention

Payload = dict[str, Any]
ACK_ACTION = "action_ack"
DONE_ACTION = "action_done"
DECLINE_ACTION = "action_decline"  # handled in bot.actions.decline (the owning actor, with a reason)


def mention(user_id: str | None) -> SlackSafe:
    if not user_id:
        return SlackSafe("")
    try:
        return user_mention(user_id)
    except ValueError:
        return SlackSafe("")


def where(r: Renderer, conf: Conference | None) -> str | None:
    if conf is None:
        return None
    if conf.kind == ACTIVATED:
        return r.t("action_where_activated", number=conf.number)
    return r.t("action_where_conference", week=conf.iso_week)


def item(r: Renderer, v: ItemView) -> Payload:
    """The item's thread message: text, status, and Kvittera/Klar while it is open."""
    blocks = [*bk.sections(r.render("actions_item.md.j2", v=v, mention=mention)),
              bk.context(r.render("actions_item_context.md.j2", v=v, mention=mention))]
    if v.is_open:
        buttons = []
        if v.acknowledged is None:
            buttons.append(bk.button(r.t("action_button_ack"), ACK_ACTION, str(v.id), style="primary"))
        buttons.append(bk.button(r.t("action_button_done"), DONE_ACTION, str(v.id)))
        buttons.append(bk.button(r.t("action_button_decline"), DECLINE_ACTION, str(v.id)))
        blocks.append(bk.actions(*buttons, block_id=f"action:{v.id}"))
    return {"text": bk.fallback(r.t("action_fallback", id=v.id, owner=v.owner_name, text=v.text)), "blocks": blocks}


def created(r: Renderer, v: ItemView, conf: Conference | None, due_text: str | None) -> str:
    due = f"{r.fmt_date(v.due)} (v. {v.due.isocalendar()[1]})" if v.due else None
    place = r.t("action_place_thread", where=where(r, conf)) if conf else r.t("action_place_channel")
    return r.t("action_created", id=v.id, owner=v.owner_name, due=due, due_text=due_text, place=place)


def raised(r: Renderer, actor_name: str, conf: Conference | None) -> str:
    return r.t("action_raised_ok", actor=actor_name, where=where(r, conf))


def item_list(r: Renderer, views: list[ItemView]) -> list[Payload]:
    """`/atgard lista`: one or more ephemeral messages (overdue first)."""
    body = r.render("actions_list.md.j2", items=views, overdue=sum(1 for v in views if v.overdue))
    text = bk.fallback(r.t("action_list_fallback", count=len(views)))
    return [{"text": text, "blocks": page} for page in bk.paginate(bk.sections(body))]


def followup_blocks(r: Renderer, views: list[ItemView]) -> list[dict[str, Any]]:
    return [bk.divider(), *bk.sections(r.render("actions_followup.md.j2", items=views))]


def reminder(r: Renderer, v: ItemView, kind: str, link_to: str | None) -> Payload:
    shown = link(link_to, f"#{v.id}") if link_to else None
    body = r.render("actions_reminder.md.j2", v=v, kind=kind, link=shown)
    return {"text": bk.fallback(r.t("action_reminder_fallback", id=v.id, owner=v.owner_name)),
            "blocks": bk.sections(body)}
