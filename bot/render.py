"""Renders the texts people read, from templates/ (Jinja2).

Every `{{ value }}` is escaped for Slack unless the value is `SlackSafe` (text the bot
built itself, such as a mention). A template therefore cannot forget to escape user text.
Short strings (button labels, refusals) live in templates/<language>/strings/*.yaml.

The repository's templates/ folder is installed as the package `samverkan_templates`
(setup.py) and read through importlib.resources, so a wheel or `pip install .` finds it
wherever it is installed. SAMVERKAN_TEMPLATES names another folder instead.
"""
from __future__ import annotations

import importlib.resources
import os
import threading
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from importlib.resources.abc import Traversable
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from babel.dates import format_date
from jinja2 import TemplateAssertionError, BaseLoader, Environment, StrictUndefined, TemplateNotFound

from bot.holiday_names import holiday_name
from bot.slack.text import SlackSafe, escape

TEMPLATES_PACKAGE = "samverkan_templates"
Folder = Traversable  # a pathlib.Path or a folder inside an installed package


def templates_root() -> Folder:
    """SAMVERKAN_TEMPLATES if set, else the installed package `samverkan_templates`."""
    env = os.environ.get("SAMVERKAN_TEMPLATES")
    if env:
        return Path(env)
    try:
        return importlib.resources.files(TEMPLATES_PACKAGE)
    except ModuleNotFoundError:
        # A source checkout whose virtualenv was installed before templates/ became a
        # package: the folder beside bot/. (An installed wheel has no such folder.)
        checkout = Path(__file__).resolve().parent.parent / "templates"
        if checkout.is_dir():
            return checkout
        raise


class ResourceLoader(BaseLoader):
    """Jinja2 loader over importlib.resources folders: the first folder holding the name wins
    (the region's language, then Swedish)."""

    def __init__(self, folders: list[Folder]):
        self.folders = folders

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        for folder in self.folders:
            entry = folder.joinpath(*template.split("/"))
            if entry.is_file():
                return entry.read_text(encoding="utf-8"), str(entry), lambda: True
        raise TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        return sorted({e.name for f in self.folders if f.is_dir() for e in f.iterdir() if e.is_file()})


def template_loader(language: str) -> ResourceLoader:
    root = templates_root()
    return ResourceLoader([root.joinpath(lang) for lang in dict.fromkeys((language, "sv"))])


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
        root = templates_root()
        self.env = Environment(
            loader=template_loader(language),
            finalize=_finalize, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=False, autoescape=False,
            auto_reload=False,  # templates change with a deploy, not while running: no stat() per render
        )
        self.env.filters.update(date=self.fmt_date, time=self.fmt_time, datetime=self.fmt_datetime,
                                holiday=self.holiday_name, safe_slack=SlackSafe, esc=escape)
        self._strings = _load_strings(root, language)
        self._dates: dict[tuple[date, str], str] = {}
        self._compiled: dict[str, Any] = {}  # key -> compiled string template (compiling costs ~3 ms, rendering µs)

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
        # Babel's "HH.mm" / "HH:mm": 24-hour digits, the same in every locale (and on the
        # path of every confirmation: formatted here, not through Babel's pattern engine)
        return f"{value.hour:02d}{'.' if self.language == 'sv' else ':'}{value.minute:02d}"

    def fmt_datetime(self, value: datetime) -> str:
        """`torsdag 3 december 2026 16.00`; in English `Thursday 3 December 2026 at 16:00`."""
        if self.language == "sv":
            return f"{self.fmt_date(value)} {self.fmt_time(value)}"
        return f"{self.fmt_date(value)} at {self.fmt_time(value)}"

    def fmt_week(self, week: int) -> str:
        """An ISO week as people write it: `v. 49`, `week 49`."""
        return self.t("week_label", week=week)

    def holiday_name(self, name: str | None) -> str:
        """A holiday's name (stored in Swedish, as the `holidays` package gives it) in the
        interface language; a name it does not know is shown as stored."""
        return holiday_name(name, self.language)

    # ---- rendering ----------------------------------------------------------------
    def render(self, name: str, **ctx: Any) -> str:
        return self.env.get_template(name).render(**ctx).strip()

    def warm(self) -> int:
        """Compiles every template and string now (a few ms each), so no person's first
        request after a start waits for it. Returns how many."""
        done = 0
        for name in self.env.list_templates():
            try:
                self.env.get_template(name)
                done += 1
            except TemplateAssertionError:  # an export's template: bot.export renders it with its own filters
                continue
        for key, source in self._strings.items():
            self._compiled.setdefault(key, self.env.from_string(source))
        return done + len(self._strings)

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


_parsed: dict[str, dict[str, str]] = {}  # each strings file is parsed once per process
_parsed_lock = threading.Lock()


def _load_strings_file(path: Folder) -> dict[str, str]:
    key = str(path)
    with _parsed_lock:
        if key not in _parsed:
            _parsed[key] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return _parsed[key]


def _strings_files(root: Folder, language: str) -> list[Folder]:
    folder = root.joinpath(language, "strings")
    if not folder.is_dir():
        return []
    return sorted((e for e in folder.iterdir() if e.is_file() and e.name.endswith(".yaml")), key=lambda e: e.name)


def _load_strings(root: Folder, language: str) -> dict[str, str]:
    """Merges templates/<language>/strings/*.yaml (one file per domain) over the Swedish
    ones; the same key in two files of one language is an error, not a silent override."""
    merged: dict[str, str] = {}
    for lang in dict.fromkeys(("sv", language)):
        seen: dict[str, Folder] = {}
        for path in _strings_files(root, lang):
            for key, value in _load_strings_file(path).items():
                if key in seen:
                    raise ValueError(f"string {key!r} is defined in both {seen[key]} and {path}")
                seen[key] = path
                merged[key] = value
    return merged
