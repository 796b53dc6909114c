"""Renders the texts people read, from templates/ (Jinja2).

Every `{{ value }}` is escaped for Slack unless the value is `SlackSafe` (text the bot
built itself, such as a mention). A template therefore cannot forget to escape user text.
Short strings (button labels, refusals) live in templates/<language>/strings/*.yaml.
"""
from __future__ import annotations

import os
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from babel.dates import format_date, format_time
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.slack.text import SlackSafe, escape


def templates_dir() -> Path:
    env = os.environ.get("SAMVERKAN_TEMPLATES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "templates"


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, SlackSafe):
        return value
    if isinstance(value, str):
        return escape(value)
    return value


class Renderer:
    def __init__(self, language: str = "sv", tz: ZoneInfo | str = "Europe/Stockholm"):
        self.language = language
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        root = templates_dir()
        self.env = Environment(
            loader=FileSystemLoader([root / language, root / "sv"]),
            finalize=_finalize, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=False, autoescape=False,
            auto_reload=False,  # templates change with a deploy, not while running: no stat() per render
        )
        self.env.filters.update(date=self.fmt_date, time=self.fmt_time, datetime=self.fmt_datetime,
                                safe_slack=SlackSafe, esc=escape)
        self._strings = _load_strings(root, language)
        self._dates: dict[tuple[date, str], str] = {}
        self._compiled: dict[str, Any] = {}  # string key -> compiled template (compiling costs ms, rendering µs)

    # ---- formatting (Swedish by default; times shown in the region's zone) ---------
    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.tz)

    def fmt_date(self, value: date | datetime, fmt: str = "EEEE d MMMM y") -> str:
        if isinstance(value, datetime):
            value = self.local(value).date()
        key = (value, fmt)
        shown = self._dates.get(key)
        if shown is None:  # Babel takes a while; a bot shows few distinct dates
            shown = format_date(value, fmt, locale=self.language)
            if len(self._dates) < 4096:
                self._dates[key] = shown
        return shown

    def fmt_time(self, value: time | datetime) -> str:
        if isinstance(value, datetime):
            value = self.local(value).time()
        return format_time(value, "HH.mm" if self.language == "sv" else "HH:mm", locale=self.language)

    def fmt_datetime(self, value: datetime) -> str:
        return f"{self.fmt_date(value)} {self.fmt_time(value)}"

    # ---- rendering ----------------------------------------------------------------
    def render(self, name: str, **ctx: Any) -> str:
        return self.env.get_template(name).render(**ctx).strip()

    def t(self, key: str, **ctx: Any) -> str:
        """A short string from strings.yaml, rendered with the same escaping rules."""
        template = self._compiled.get(key)
        if template is None:
            try:
                source = self._strings[key]
            except KeyError:
                raise KeyError(f"no string {key!r} in templates/{self.language}/strings/*.yaml") from None
            template = self._compiled.setdefault(key, self.env.from_string(source))
        return template.render(**ctx).strip()


@lru_cache(maxsize=32)
def _load_strings_file(path: Path) -> dict[str, str]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _load_strings(root: Path, language: str) -> dict[str, str]:
    """Merges templates/<language>/strings/*.yaml (one file per domain) over the Swedish
    ones; the same key in two files of one language is an error, not a silent override."""
    merged: dict[str, str] = {}
    for lang in dict.fromkeys(("sv", language)):
        seen: dict[str, Path] = {}
        for path in sorted((root / lang / "strings").glob("*.yaml")):
            for key, value in _load_strings_file(path).items():
                if key in seen:
                    raise ValueError(f"string {key!r} is defined in both {seen[key]} and {path}")
                seen[key] = path
                merged[key] = value
    return merged
