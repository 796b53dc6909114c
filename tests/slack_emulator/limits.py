"""Block Kit, message and view limits, checked as strictly as Slack does.

Every check raises :class:`LimitError` with Slack's error code and, like Slack,
human-readable ``response_metadata.messages`` naming the JSON pointer at fault.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
MESSAGE_TEXT_MAX = 40_000
MESSAGE_BLOCKS_TEXT_MAX = 12_000
ID_MAX = 255  # action_id, block_id, callback_id, external_id

# (block or element type, field, limit)
_TEXT_LIMITS = [
    ("section", "text", 3000),
    ("header", "text", 150),
    ("button", "text", 75),
    ("input", "label", 2000),
]


class LimitError(Exception):
    def __init__(self, error: str, messages: list[str] | None = None):
        super().__init__(f"{error}: {messages or ''}")
        self.error = error
        self.messages = messages or []


def _err(text: str, pointer: str) -> str:
    return f"[ERROR] {text} [json-pointer:{pointer}]"


def _walk(node: Any, pointer: str) -> Iterator[tuple[str, str | None, Any]]:
    """Yield (pointer, key, value) for every value in a JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{pointer}/{key}"
            yield child, key, value
            yield from _walk(value, child)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            child = f"{pointer}/{i}"
            yield child, None, value
            yield from _walk(value, child)


def _text_of(obj: Any) -> str:
    if isinstance(obj, dict):
        return obj.get("text") or ""
    return obj if isinstance(obj, str) else ""


def text_length(blocks: Any) -> int:
    """The sum of every ``text`` string in a block tree (what msg_blocks_too_long counts)."""
    return sum(len(v) for _, key, v in _walk(blocks, "") if key == "text" and isinstance(v, str))


def _element_problems(node: dict, p: str) -> list[str]:
    problems = []
    kind = node.get("type")
    for block_type, field, limit in _TEXT_LIMITS:
        if kind == block_type and len(_text_of(node.get(field))) > limit:
            problems.append(_err(f"must be at most {limit} characters", f"{p}/{field}/text"))
    if kind in ("section", "header") and "text" in node and not _text_of(node.get("text")):
        problems.append(_err("must be more than 0 characters", f"{p}/text/text"))
    if kind == "section":
        fields = node.get("fields") or []
        if len(fields) > 10:
            problems.append(_err("must have at most 10 items", f"{p}/fields"))
        for i, field in enumerate(fields):
            if len(_text_of(field)) > 2000:
                problems.append(_err("must be at most 2000 characters", f"{p}/fields/{i}/text"))
    if kind == "button" and len(str(node.get("value") or "")) > 2000:
        problems.append(_err("must be at most 2000 characters", f"{p}/value"))
    if kind == "context" and len(node.get("elements") or []) > 10:
        problems.append(_err("must have at most 10 items", f"{p}/elements"))
    if kind == "actions" and len(node.get("elements") or []) > 25:
        problems.append(_err("must have at most 25 items", f"{p}/elements"))
    if kind == "plain_text_input":
        max_length = node.get("max_length")
        if max_length is not None and not (isinstance(max_length, int) and 1 <= max_length <= 3000):
            problems.append(_err("must be between 1 and 3000", f"{p}/max_length"))
    for key in ("action_id", "block_id"):
        if len(str(node.get(key) or "")) > ID_MAX:
            problems.append(_err(f"must be at most {ID_MAX} characters", f"{p}/{key}"))
    return problems


def block_problems(blocks: Any, max_blocks: int, pointer: str = "/blocks") -> list[str]:
    """Every limit broken by a list of blocks (empty list: all fine)."""
    if not isinstance(blocks, list):
        return [_err("must be an array", pointer)]
    problems = []
    if len(blocks) > max_blocks:
        problems.append(_err(f"no more than {max_blocks} items allowed", pointer))
    for i, block in enumerate(blocks):
        p = f"{pointer}/{i}"
        if not isinstance(block, dict):
            problems.append(_err("must be an object", p))
            continue
        problems += _element_problems(block, p)
        problems += [
            m for sub, _, v in _walk(block, p) if isinstance(v, dict) for m in _element_problems(v, sub)
        ]
        try:
            parsed = Block.parse(block)
            if parsed is None:
                problems.append(_err(f"unsupported type: {block.get('type')!r}", f"{p}/type"))
            else:
                parsed.validate_json()  # slack_sdk's Block Kit model checks, as the bot runs them
                parsed.to_dict()
        except (SlackObjectFormationError, TypeError, ValueError, AttributeError, KeyError) as exc:
            problems.append(_err(f"invalid block: {exc}", p))
    return problems


def decode_json(value: Any, error: str) -> Any:
    """Arguments such as blocks/view/files may arrive as JSON strings (form bodies)."""
    if isinstance(value, (str, bytes)):
        try:
            return json.loads(value)
        except ValueError:
            raise LimitError(error, [f"[ERROR] could not parse JSON: {value[:80]!r}"]) from None
    return value


def check_message(text: Any, blocks: Any, attachments: Any = None) -> tuple[str, list | None]:
    """Validate a message's text and blocks; returns (text, parsed blocks)."""
    blocks = decode_json(blocks, "invalid_blocks_format") if blocks not in (None, "") else None
    text = "" if text is None else str(text)
    if not text and not blocks and not attachments:
        raise LimitError("no_text")
    if len(text) > MESSAGE_TEXT_MAX:
        raise LimitError("msg_too_long", [f"[ERROR] text is {len(text)} characters; at most {MESSAGE_TEXT_MAX}"])
    if blocks is not None:
        if not isinstance(blocks, list):
            raise LimitError("invalid_blocks_format", [_err("must be an array", "/blocks")])
        problems = block_problems(blocks, MESSAGE_MAX_BLOCKS)
        if problems:
            raise LimitError("invalid_blocks", problems)
        total = text_length(blocks)
        if total > MESSAGE_BLOCKS_TEXT_MAX:
            raise LimitError(
                "msg_blocks_too_long",
                [f"[ERROR] blocks hold {total} characters of text; at most {MESSAGE_BLOCKS_TEXT_MAX}"],
            )
    return text, blocks


def check_view(view: Any, kinds: tuple[str, ...]) -> dict:
    """Validate a modal or Home tab view; raises LimitError('invalid_arguments', ...)."""
    view = decode_json(view, "invalid_arguments")
    if not isinstance(view, dict):
        raise LimitError("invalid_arguments", [_err("must be an object", "/view")])
    problems = []
    if view.get("type") not in kinds:
        problems.append(_err(f"must be one of {list(kinds)}", "/view/type"))
    if view.get("type") == "modal":
        if not _text_of(view.get("title")):
            problems.append(_err("missing required field: title", "/view/title"))
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or [])
        if has_input and not view.get("submit"):
            problems.append(_err("submit is required when the view has input blocks", "/view/submit"))
    for field in ("title", "submit", "close"):
        if len(_text_of(view.get(field))) > 24:
            problems.append(_err("must be less than 25 characters", f"/view/{field}/text"))
    if len(view.get("private_metadata") or "") > 3000:
        problems.append(_err("must be at most 3000 characters", "/view/private_metadata"))
    for field in ("callback_id", "external_id"):
        if len(view.get(field) or "") > ID_MAX:
            problems.append(_err(f"must be at most {ID_MAX} characters", f"/view/{field}"))
    problems += block_problems(view.get("blocks", []), VIEW_MAX_BLOCKS, "/view/blocks")
    if not problems:
        try:
            View(**view).to_dict()
        except (SlackObjectFormationError, TypeError, ValueError, AttributeError, KeyError) as exc:
            problems.append(_err(f"invalid view: {exc}", "/view"))
    if problems:
        raise LimitError("invalid_arguments", problems)
    return view
