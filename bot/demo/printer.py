"""Prints Slack messages as a participant reads them, in a terminal."""
from __future__ import annotations

import re
from typing import Any, Callable

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


def plain(text: str, user_name: Callable[[str], str]) -> str:
    text = _MENTION.sub(lambda m: "@" + user_name(m.group(1)), text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def message_lines(msg: dict[str, Any], user_name: Callable[[str], str], edited: str = "(redigerat)") -> list[str]:
    lines: list[str] = []
    blocks = msg.get("blocks") or []
    if not blocks:
        lines.extend(plain(msg.get("text", ""), user_name).splitlines())
    for b in blocks:
        t = b.get("type")
        if t == "header":
            lines.append(b["text"]["text"].upper())
        elif t == "section":
            if b.get("text"):
                lines.extend(plain(b["text"]["text"], user_name).splitlines())
            for f in b.get("fields", []):
                lines.extend(plain(f["text"], user_name).splitlines())
        elif t == "context":
            lines.append("  " + "  ".join(plain(e.get("text", ""), user_name) for e in b["elements"]))
        elif t == "actions":
            lines.append("  " + "  ".join(f"[ {e['text']['text']} ]" for e in b["elements"] if e.get("text")))
        elif t == "divider":
            lines.append("  ────")
    for f in msg.get("files") or []:
        lines.append(f"  📎 {f.get('title') or f.get('name')}")
    if msg.get("edits"):
        lines.append("  " + edited)
    return lines


def print_message(msg: dict[str, Any], user_name: Callable[[str], str], *, indent: str = "",
                  author: str = "Samverkan", out: Callable[[str], None] = print, edited: str = "(redigerat)") -> None:
    out(f"{indent}{author}")
    for line in message_lines(msg, user_name, edited):
        out(f"{indent}  {line}")
    out("")
