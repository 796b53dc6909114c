"""Block Kit builders for modal inputs, and reading a submitted modal's values back as
plain Python. Every input element has the action id `VALUE`; block ids name the input."""
from __future__ import annotations

from typing import Any

VALUE = "value"
Block = dict[str, Any]


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150] if len(text) > 150 else text, "emoji": True}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text[:75]), "value": value}


def text_input(block_id: str, label: str, *, initial: str | None = None, multiline: bool = False,
               max_length: int = 3000, optional: bool = True, hint: str | None = None,
               placeholder: str | None = None) -> Block:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": VALUE, "multiline": multiline,
                               "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(placeholder)
    block: Block = {"type": "input", "block_id": block_id, "optional": optional, "label": plain(label),
                    "element": element}
    if hint:
        block["hint"] = plain(hint)
    return block


def select(block_id: str, label: str, options: list[tuple[str, str]], *, initial: str | None = None,
           optional: bool = True) -> Block:
    opts = [option(text, value) for text, value in options][:100]
    element: dict[str, Any] = {"type": "static_select", "action_id": VALUE, "options": opts}
    chosen = next((o for o in opts if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return {"type": "input", "block_id": block_id, "optional": optional, "label": plain(label), "element": element}


def multi_select(block_id: str, label: str, options: list[tuple[str, str]], *, initial: tuple[str, ...] = (),
                 optional: bool = True, placeholder: str | None = None) -> Block:
    opts = [option(text, value) for text, value in options][:100]
    element: dict[str, Any] = {"type": "multi_static_select", "action_id": VALUE, "options": opts}
    chosen = [o for o in opts if o["value"] in initial]
    if chosen:
        element["initial_options"] = chosen
    if placeholder:
        element["placeholder"] = plain(placeholder)
    return {"type": "input", "block_id": block_id, "optional": optional, "label": plain(label), "element": element}


def modal(callback_id: str, title: str, submit: str, close: str, blocks: list[Block], metadata: str = "") -> Block:
    return {"type": "modal", "callback_id": callback_id, "title": plain(title[:24]), "submit": plain(submit[:24]),
            "close": plain(close[:24]), "private_metadata": metadata, "blocks": blocks[:100]}


def read_text(values: dict[str, Any], block_id: str) -> str:
    entry = (values.get(block_id) or {}).get(VALUE) or {}
    return (entry.get("value") or "").strip()


def read_choice(values: dict[str, Any], block_id: str) -> str | None:
    entry = (values.get(block_id) or {}).get(VALUE) or {}
    return (entry.get("selected_option") or {}).get("value")


def read_choices(values: dict[str, Any], block_id: str) -> tuple[str, ...]:
    entry = (values.get(block_id) or {}).get(VALUE) or {}
    return tuple(o.get("value") for o in entry.get("selected_options") or [] if o.get("value"))
