"""A long answer as ephemeral pages within Slack's limits (see bot.reply.Reply.pages)."""
from __future__ import annotations

from typing import Any

from bot.reply import MAX_FOLLOW_UPS, Page
from bot.slack import blocks as bk


def answer_pages(title: str, body: list[dict[str, Any]]) -> list[Page]:
    """`title` as a header, then `body` split into as many messages as Slack needs (at
    most what one answer can send: the acknowledgement and MAX_FOLLOW_UPS more)."""
    chunks = bk.paginate([bk.header(title), *body])
    return [{"text": bk.fallback(title), "blocks": chunk} for chunk in chunks[:MAX_FOLLOW_UPS + 1]]
