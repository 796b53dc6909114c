"""Block Kit building and splitting within Slack's limits (see shared/slack-platform.md).

Long content is split over several sections and, if need be, several messages; it is
never cut. Limits we check ourselves because slack_sdk does not: 50 blocks a message and
the total text of a message's blocks (Slack fails near 12,000 characters).
"""
from __future__ import annotations

from typing import Any, Callable

from bot.reply import MAX_FOLLOW_UPS

SECTION_MAX = 3000
HEADER_MAX = 150
BUTTON_TEXT_MAX = 75
BLOCKS_PER_MESSAGE = 50
MESSAGE_TEXT_BUDGET = 11000  # all block text of one message; Slack fails somewhere near 12,000
FALLBACK_MAX = 3000  # the `text` notification fallback; Slack advises below 4,000
ANSWER_PAGES = 1 + MAX_FOLLOW_UPS  # an answer to one person: the acknowledgement and 5 response_url posts

Block = dict[str, Any]


def split_text(text: str, limit: int = SECTION_MAX) -> list[str]:
    """Splits text into pieces of at most `limit` characters, preferring paragraph, line
    and word boundaries. Joining the pieces with the separators they were cut at gives
    the original text back (no character is dropped except the whitespace cut on)."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep)
            if cut > limit // 3:
                break
        if cut <= 0:
            cut = limit  # one long word: a hard cut is all that is left
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
    n = 0
    if isinstance(block.get("text"), dict):
        n += len(block["text"].get("text", ""))
    for f in block.get("fields", []) or []:
        n += len(f.get("text", ""))
    for e in block.get("elements", []) or []:
        if isinstance(e, dict):
            n += len(e.get("text", "") if isinstance(e.get("text"), str) else (e.get("text") or {}).get("text", ""))
    return n


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
    """The notification text of a message (shown in notifications and old clients)."""
    text = " ".join(text.split())
    return text if len(text) <= FALLBACK_MAX else text[: FALLBACK_MAX - 1] + "…"


def fallback_of(blocks: list[Block] | None) -> str:
    """A notification text for a message given only as blocks: its first text."""
    for block in blocks or []:
        text = block.get("text")
        if isinstance(text, dict) and text.get("text"):
            return fallback(text["text"])
    return ""
