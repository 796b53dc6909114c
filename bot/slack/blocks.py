"""Block Kit building and splitting within Slack's limits (see shared/slack-platform.md).

Long content is split over several sections and, if need be, several messages; it is
never cut. Limits we check ourselves because slack_sdk does not: 50 blocks a message and
the total text of a message's blocks (Slack fails near 12,000 characters).

A split never falls inside a link or mention (`<…|…>`), an entity (`&amp;`) or a
permalink placeholder. A placeholder (`bot.slack.outbox.permalink`) is replaced by a URL
only when the message is sent, so every length here counts it as `PERMALINK_ROOM`
characters: the text is split for its final length, not for the placeholder's.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block as SdkBlock

from bot.reply import MAX_FOLLOW_UPS

SECTION_MAX = 3000
SECTION_FIELD_MAX = 2000
HEADER_MAX = 150
BUTTON_TEXT_MAX = 75
BLOCKS_PER_MESSAGE = 50
CONTEXT_ELEMENTS_MAX = 10
MESSAGE_TEXT_BUDGET = 11000  # all block text of one message; Slack fails somewhere near 12,000
MESSAGE_BLOCKS_TEXT_MAX = 12000  # what Slack refuses (msg_blocks_too_long)
MESSAGE_TEXT_MAX = 40000  # `text` above this is truncated by Slack
FALLBACK_MAX = 3000  # the `text` notification fallback; Slack advises below 4,000
ANSWER_PAGES = 1 + MAX_FOLLOW_UPS  # an answer to one person: the acknowledgement and 5 response_url posts

# A permalink placeholder and the room reserved for the URL that replaces it. Slack's
# permalinks are about 110 characters (https://<workspace>.slack.com/archives/<channel>/
# p<ts>?thread_ts=<ts>&cid=<channel>); Enterprise Grid and GovSlack hosts are longer.
PERMALINK_OPEN, PERMALINK_CLOSE = "\u27e6permalink:", "\u27e7"
PLACEHOLDER = re.compile(re.escape(PERMALINK_OPEN) + r"(.+?)" + re.escape(PERMALINK_CLOSE))
PERMALINK_ROOM = 250

# Spans a split must never fall inside: placeholders, links/mentions, entities.
_ATOMIC = re.compile(PLACEHOLDER.pattern + r"|<[^<>\n]{1,3000}>|&(?:[a-zA-Z]{2,8}|#\d{1,6});")

Block = dict[str, Any]


def measure(text: str) -> int:
    """The length `text` will have when sent: a placeholder counts as PERMALINK_ROOM."""
    extra = sum(PERMALINK_ROOM - len(m.group(0)) for m in PLACEHOLDER.finditer(text)) if PERMALINK_OPEN in text else 0
    return len(text) + extra


def _fitting_end(text: str, limit: int) -> tuple[int, list[tuple[int, int]]]:
    """The longest prefix (in characters) whose measured length is within `limit` and
    that ends on no atomic span's inside; also the atomic spans within that prefix."""
    used, pos, spans = 0, 0, []
    for m in _ATOMIC.finditer(text):
        if m.start() - pos + used > limit:
            break
        used += m.start() - pos
        weight = PERMALINK_ROOM if m.group(0).startswith(PERMALINK_OPEN) else len(m.group(0))
        if used + weight > limit:
            return (m.start() if m.start() > 0 else m.end()), spans  # an oversized span alone: cut after it
        used += weight
        pos = m.end()
        spans.append((m.start(), m.end()))
    return pos + max(0, min(len(text) - pos, limit - used)), spans


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    return any(start < at < end for start, end in spans)


def split_text(text: str, limit: int = SECTION_MAX) -> list[str]:
    """Splits text into pieces of at most `limit` characters (as measured by `measure`),
    preferring paragraph, line and word boundaries and never cutting inside a link, a
    mention, an entity or a placeholder. Joining the pieces with the separators they were
    cut at gives the original text back (no character is dropped except the whitespace
    cut on)."""
    pieces: list[str] = []
    rest = text
    while measure(rest) > limit:
        end, spans = _fitting_end(rest, limit)
        window = rest[:end]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep)
            while cut > 0 and _inside(spans, cut):
                cut = window.rfind(sep, 0, cut)
            if cut > len(window) // 3:
                break
        if cut <= 0:
            cut = end  # one long word: a hard cut (between spans) is all that is left
            pieces.append(rest[:cut])
            rest = rest[cut:]
        else:
            pieces.append(rest[:cut].rstrip())
            rest = rest[cut:].lstrip("\n ")
    if rest.strip() or not pieces:
        pieces.append(rest)
    return pieces


def sections(mrkdwn: str) -> list[Block]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": p}} for p in split_text(mrkdwn) if p.strip()]


def header(text: str) -> Block:
    if len(text) > HEADER_MAX:
        text = text[: HEADER_MAX - 1] + "…"  # headers are the bot's own titles, never user content
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": p} for p in split_text(mrkdwn)][:10]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    b: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": text[:BUTTON_TEXT_MAX]},
                         "action_id": action_id}
    if value:
        b["value"] = value
    if style:
        b["style"] = style
    return b


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    b: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        b["block_id"] = block_id
    return b


def block_text_length(block: Block) -> int:
    """Every `text` string in the block, as Slack counts it (placeholders at their room)."""
    return sum(measure(t) for t in _texts(block))


def _texts(node: Any) -> list[str]:
    out: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "text" and isinstance(value, str):
                    out.append(value)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return out


def paginate(blocks: list[Block], *, max_blocks: int = BLOCKS_PER_MESSAGE,
             text_budget: int = MESSAGE_TEXT_BUDGET) -> list[list[Block]]:
    """Groups blocks into messages that each fit Slack's per-message limits."""
    pages: list[list[Block]] = [[]]
    used = 0
    for block in blocks:
        size = block_text_length(block)
        if pages[-1] and (len(pages[-1]) >= max_blocks or used + size > text_budget):
            pages.append([])
            used = 0
        pages[-1].append(block)
        used += size
    return [p for p in pages if p]


def fit_pages(render: Callable[[int], list[Block]], total: int, *,
              max_pages: int = ANSWER_PAGES) -> list[list[Block]]:
    """The messages of an answer that lists `total` items, at most `max_pages` of them.

    `render(n)` gives the blocks listing the first n items (and, when n < total, a line
    saying how many more there are). All are shown if they fit; otherwise as many as fit
    (found by halving: a few renders even for thousands of items)."""
    pages = paginate(render(total))
    if len(pages) <= max_pages:
        return pages
    fits, too_many = 0, total
    while too_many - fits > 1:
        middle = (fits + too_many) // 2
        if len(paginate(render(middle))) <= max_pages:
            fits = middle
        else:
            too_many = middle
    return paginate(render(fits))


class Names(list):
    """Names shown in a line, and how many more there are (`more`)."""

    more: int = 0


def names_within(names: list[str], budget: int, separator: str = ", ") -> Names:
    """The first names that fit `budget` characters when joined; `.more` counts the rest.
    `len(result) + result.more` is always the number of names."""
    shown, used = Names(), 0
    for name in names:
        if used + len(name) > budget and shown:
            break
        shown.append(name)
        used += len(name) + len(separator)
    shown.more = len(names) - len(shown)
    return shown


def fallback(text: str) -> str:
    """The notification text of a message (shown in notifications and old clients); a cut
    never falls inside a link, an entity or a placeholder."""
    text = " ".join(text.split())
    return text if measure(text) <= FALLBACK_MAX else split_text(text, FALLBACK_MAX - 1)[0] + "…"


def fallback_of(blocks: list[Block] | None) -> str:
    """A notification text for a message given only as blocks: its first text."""
    for block in blocks or []:
        text = block.get("text")
        if isinstance(text, dict) and text.get("text"):
            return fallback(text["text"])
    return ""


# ---- the last check before a payload leaves for Slack ---------------------------------------
def refit(blocks: list[Block] | None) -> list[Block] | None:
    """Sections whose final text (placeholders resolved) grew over SECTION_MAX become
    several sections: a safety net behind the room reserved for placeholders."""
    if not blocks:
        return blocks
    out: list[Block] = []
    for block in blocks:
        text = block.get("text") if block.get("type") == "section" else None
        if isinstance(text, dict) and len(text.get("text", "")) > SECTION_MAX and not block.get("accessory"):
            out += [{**block, "text": {**text, "text": piece}, **({"block_id": f"{block['block_id']}-{i}"}
                                                                     if block.get("block_id") and i else {})}
                    for i, piece in enumerate(split_text(text["text"])) if piece.strip()]
        else:
            out.append(block)
    return out


def _block_problems(block: Any, at: str) -> list[str]:
    if not isinstance(block, dict):
        return [f"{at}: not an object"]
    problems = []
    kind = block.get("type")
    text = block.get("text")
    text = text.get("text", "") if isinstance(text, dict) else ""
    if kind in ("section", "header") and "text" in block and not text:
        problems.append(f"{at}: empty text")
    if kind == "section":
        if len(text) > SECTION_MAX:
            problems.append(f"{at}: section text of {len(text)} characters (at most {SECTION_MAX})")
        fields = block.get("fields") or []
        if len(fields) > 10:
            problems.append(f"{at}: {len(fields)} fields (at most 10)")
        problems += [f"{at}/fields/{i}: longer than {SECTION_FIELD_MAX}" for i, f in enumerate(fields)
                     if len((f or {}).get("text", "")) > SECTION_FIELD_MAX]
    if kind == "header" and len(text) > HEADER_MAX:
        problems.append(f"{at}: header of {len(text)} characters (at most {HEADER_MAX})")
    if kind == "context" and len(block.get("elements") or []) > CONTEXT_ELEMENTS_MAX:
        problems.append(f"{at}: more than {CONTEXT_ELEMENTS_MAX} context elements")
    try:
        parsed = SdkBlock.parse(block)
        if parsed is None:
            problems.append(f"{at}: unknown block type {kind!r}")
        else:
            parsed.validate_json()
            parsed.to_dict()
    except (SlackObjectFormationError, TypeError, ValueError, AttributeError, KeyError) as e:
        problems.append(f"{at}: {e}")
    return problems


def payload_problems(payload: dict[str, Any]) -> list[str]:
    """What Slack would refuse in a chat.postMessage/chat.update payload: slack_sdk's Block
    Kit models (`Block.parse(...).validate_json()`) and the limits of
    shared/slack-platform.md. An empty list means it may be sent."""
    problems = []
    text = payload.get("text") or ""
    blocks = payload.get("blocks")
    if not text and not blocks:
        problems.append("no text and no blocks")
    if len(text) > MESSAGE_TEXT_MAX:
        problems.append(f"text of {len(text)} characters (at most {MESSAGE_TEXT_MAX})")
    if blocks is not None:
        if not isinstance(blocks, list):
            return problems + ["blocks is not a list"]
        if len(blocks) > BLOCKS_PER_MESSAGE:
            problems.append(f"{len(blocks)} blocks (at most {BLOCKS_PER_MESSAGE})")
        for i, block in enumerate(blocks):
            problems += _block_problems(block, f"/blocks/{i}")
        total = sum(len(t) for t in _texts(blocks))
        if total > MESSAGE_BLOCKS_TEXT_MAX:
            problems.append(f"blocks hold {total} characters of text (at most {MESSAGE_BLOCKS_TEXT_MAX})")
    if PERMALINK_OPEN in repr(payload):
        problems.append("an unresolved permalink placeholder")
    return problems
