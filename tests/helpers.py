"""Small builders shared by tests (not fixtures: plain functions)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.clock import FixedClock
from bot.context import BotContext
from bot.db.base import make_session_factory
from bot.region.service import sync_region
from bot.render import Renderer


def make_ctx(engine, cfg, now: datetime, *, installed: datetime | None = None) -> BotContext:
    """A BotContext on `engine` whose region was installed at `installed` (default: long ago)."""
    sf = make_session_factory(engine)
    clock = FixedClock(now)
    with sf.begin() as s:
        region_id = sync_region(s, cfg, installed or datetime(2020, 1, 1, tzinfo=now.tzinfo)).id
    return BotContext(cfg=cfg, sf=sf, clock=clock, renderer=Renderer(cfg.language, cfg.tz), region_id=region_id)


def with_conference(cfg, **changes: Any):
    """The region config with some conference settings changed."""
    return cfg.model_copy(update={"conference": cfg.conference.model_copy(update=changes)})


def block_text(payload: dict) -> str:
    parts = [payload.get("text", "")]
    for b in payload.get("blocks", []) or []:
        if isinstance(b.get("text"), dict):
            parts.append(b["text"].get("text", ""))
        for e in b.get("elements", []) or []:
            if isinstance(e, dict) and isinstance(e.get("text"), (str, dict)):
                parts.append(e["text"] if isinstance(e["text"], str) else e["text"].get("text", ""))
    return "\n".join(parts)


def text_of(message: dict) -> str:
    """Every text of a Slack message or view (its fallback and all nested block texts)."""
    parts = [message.get("text") or ""]
    stack = [message.get("blocks") or []]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            parts += [v for k, v in node.items() if k == "text" and isinstance(v, str)]
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
    return "\n".join(parts)


def thread(bot, conf) -> list[dict]:
    """A conference's thread in the emulator, root first."""
    from bot.conference.models import Conference

    with bot.ctx.sf() as s:
        root_ts = s.get(Conference, conf.id).root_ts
    assert root_ts, "the conference's root message was not posted"
    return bot.emu.thread(conf.channel, root_ts)


def view_state(view: dict, changes: dict) -> dict:
    """A modal's state.values as Slack's client sends them: every input keeps its initial
    value unless changed. `changes`: {block_id: text | option value | list of option
    values (multi-select) | bool (checkboxes)}."""
    out: dict = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        el, bid = block["element"], block["block_id"]
        if el["type"] == "plain_text_input":
            entry = {"type": el["type"], "value": changes[bid] if bid in changes else el.get("initial_value")}
        elif el["type"] in ("static_select", "radio_buttons"):
            chosen = (next(o for o in el["options"] if o["value"] == changes[bid]) if changes.get(bid)
                      else None if bid in changes else el.get("initial_option"))
            entry = {"type": el["type"], "selected_option": chosen}
        elif el["type"] == "multi_static_select":
            chosen = ([o for o in el["options"] if o["value"] in changes[bid]] if bid in changes
                      else el.get("initial_options", []))
            entry = {"type": el["type"], "selected_options": chosen}
        elif el["type"] == "checkboxes":
            chosen = el["options"] if changes.get(bid) else [] if bid in changes else el.get("initial_options", [])
            entry = {"type": el["type"], "selected_options": chosen}
        else:
            raise AssertionError(f"unexpected input element {el['type']}")
        out[bid] = {el["action_id"]: entry}
    return out
