"""Environment settings, read once at start-up.

``load_settings`` reports every problem, one line per variable, in a fixed
order (the order of VARIABLES below), so the operator can fix them all at once.
No message ever contains a token, the signing secret or a database password;
``Settings.__repr__`` shows secrets only as "***".
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "LOG_FORMATS",
    "LOG_LEVELS",
    "RUN_HTTP_REQUIRES",
    "RUN_SOCKET_MODE_REQUIRES",
    "VARIABLES",
    "Settings",
    "SettingsError",
    "load_settings",
    "redact_url",
]

# Variable -> what it is and where to find it (shown when it is required but unset).
VARIABLES: dict[str, str] = {
    "SLACK_BOT_TOKEN": "the Slack app's Bot User OAuth Token, xoxb-…, OAuth & Permissions",
    "SLACK_SIGNING_SECRET": "the Slack app's signing secret, Basic Information → App Credentials",
    "SLACK_APP_TOKEN": (
        "an app-level token with connections:write, xapp-…, "
        "Basic Information → App-Level Tokens; needed for Socket Mode"
    ),
    "SLACK_API_URL": "the Slack Web API base URL, default https://slack.com/api/",
    "DATABASE_URL": "sqlite:///path or postgresql://user:password@host/db",
    "SAMVERKAN_CONFIG": "the region file, default ./samverkan.yaml",
    "PORT": "the HTTP port, default 3000",
    "LOG_LEVEL": "DEBUG, INFO, WARNING, ERROR or CRITICAL",
    "LOG_FORMAT": "text (default) or json: one JSON object per line",
    "SAMVERKAN_RETENTION_SENT_DAYS": "days to keep posted outbox rows, default 30, or never",
    "SAMVERKAN_RETENTION_EVENT_IDS_DAYS": "days to keep processed Slack event ids, default 7, or never",
    "SAMVERKAN_RETENTION_AUDIT_DAYS": "days to keep the audit log, default never (kept)",
    "SAMVERKAN_HEALTH_OUTBOX_MAX_AGE": "seconds a message may wait in the outbox before /healthz says 503, default 300",
    "SAMVERKAN_HEALTH_SLACK_DOWN_AFTER": "seconds Slack may fail to answer before /healthz says 503, default 120",
}

RUN_HTTP_REQUIRES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
RUN_SOCKET_MODE_REQUIRES = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
KEEP_FOREVER = ("never", "forever", "off")  # a retention that deletes nothing
DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///./samverkan.db"

_TOKEN_KINDS = {"xoxb-": "a bot token", "xoxp-": "a user token", "xapp-": "an app-level token",
                "xoxa-": "a workspace token", "xoxe": "a refresh token"}


class SettingsError(Exception):
    """The environment is wrong: one line per problem, each naming its variable."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    config_path: Path = Path("samverkan.yaml")
    port: int = 3000
    log_level: str = "INFO"
    log_format: str = "text"
    retention_sent_days: int | None = 30  # None: kept forever
    retention_event_ids_days: int | None = 7
    retention_audit_days: int | None = None
    health_outbox_max_age: int = 300  # seconds
    health_slack_down_after: int = 120  # seconds

    _SECRETS: ClassVar[tuple[str, ...]] = ("slack_bot_token", "slack_signing_secret", "slack_app_token")

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in self._SECRETS:
                shown = "None" if value is None else "'***'"
            elif f.name == "database_url":
                shown = repr(redact_url(value))
            else:
                shown = repr(value)
            parts.append(f"{f.name}={shown}")
        return f"Settings({', '.join(parts)})"

    __str__ = __repr__


def redact_url(url: str) -> str:
    """The URL with any password replaced by ***, fit for a log line."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


# --------------------------------------------------------------------------- parsing

class _Bad(ValueError):
    """A problem with one variable; the text follows the variable's name."""


def _token(value: str, prefix: str, wanted: str) -> str:
    if any(ch.isspace() for ch in value):
        raise _Bad("contains whitespace (copy the token again)")
    if not value.startswith(prefix):
        found = next((name for p, name in _TOKEN_KINDS.items() if value.startswith(p)), None)
        got = f"this is {found}, " if found else ""
        raise _Bad(f"must start with {prefix} ({got}expected {wanted})")
    if len(value) <= len(prefix):
        raise _Bad(f"is only the prefix {prefix}, the rest of the token is missing")
    return value


def _signing_secret(value: str) -> str:
    if any(value.startswith(p) for p in _TOKEN_KINDS):
        raise _Bad("looks like a token, not the signing secret (Basic Information → App Credentials)")
    if any(ch.isspace() for ch in value):
        raise _Bad("contains whitespace (copy the signing secret again)")
    return value


def _api_url(value: str) -> str:
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Bad(f"must be an http(s) URL such as {DEFAULT_API_URL}, got {redact_url(value)!r}")
    if parts.query or parts.fragment:
        raise _Bad(f"must be a base URL without ?query or #fragment, got {redact_url(value)!r}")
    return value if value.endswith("/") else value + "/"


def _database_url(value: str) -> str:
    # Never echo the value: it may hold a password.
    scheme, sep, rest = value.partition("://")
    if not sep:
        raise _Bad("is not a URL (e.g. sqlite:///./samverkan.db or postgresql://user:password@host/db)")
    scheme = scheme.lower()
    if scheme in ("sqlite", "sqlite+pysqlite"):
        return f"sqlite://{rest}"
    if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        if not rest.strip("/"):
            raise _Bad("names no PostgreSQL server or database")
        return f"postgresql+psycopg://{rest}"
    if scheme.startswith(("postgres+", "postgresql+")):
        raise _Bad(f"uses the driver {scheme.split('+', 1)[1]!r}; write postgresql:// (the bot uses psycopg 3)")
    raise _Bad(f"has the unsupported scheme {scheme!r} (use sqlite:// or postgresql://)")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise _Bad(f"is not a number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise _Bad(f"must be between 1 and 65535, got {port}")
    return port


def _log_level(value: str) -> str:
    level = value.upper()
    if level == "WARN":
        level = "WARNING"
    if level not in LOG_LEVELS:
        raise _Bad(f"must be one of {', '.join(LOG_LEVELS)}, got {value!r}")
    return level


def _log_format(value: str) -> str:
    if value.lower() not in LOG_FORMATS:
        raise _Bad(f"must be one of {', '.join(LOG_FORMATS)}, got {value!r}")
    return value.lower()


def _days(value: str) -> int | None:
    if value.lower() in KEEP_FOREVER:
        return None
    try:
        days = int(value)
    except ValueError:
        raise _Bad(f"must be a number of days or never, got {value!r}") from None
    if not 1 <= days <= 36500:
        raise _Bad(f"must be between 1 and 36500 days (or never), got {days}")
    return days


def _seconds(value: str) -> int:
    try:
        seconds = int(value)
    except ValueError:
        raise _Bad(f"must be a whole number of seconds, got {value!r}") from None
    if not 1 <= seconds <= 86400:
        raise _Bad(f"must be between 1 and 86400 seconds, got {seconds}")
    return seconds


# variable -> (Settings field, parser)
_PARSERS = {
    "SLACK_BOT_TOKEN": ("slack_bot_token", lambda v: _token(v, "xoxb-", "the Bot User OAuth Token")),
    "SLACK_SIGNING_SECRET": ("slack_signing_secret", _signing_secret),
    "SLACK_APP_TOKEN": ("slack_app_token", lambda v: _token(v, "xapp-", "an app-level token")),
    "SLACK_API_URL": ("slack_api_url", _api_url),
    "DATABASE_URL": ("database_url", _database_url),
    "SAMVERKAN_CONFIG": ("config_path", lambda v: Path(v).expanduser()),
    "PORT": ("port", _port),
    "LOG_LEVEL": ("log_level", _log_level),
    "LOG_FORMAT": ("log_format", _log_format),
    "SAMVERKAN_RETENTION_SENT_DAYS": ("retention_sent_days", _days),
    "SAMVERKAN_RETENTION_EVENT_IDS_DAYS": ("retention_event_ids_days", _days),
    "SAMVERKAN_RETENTION_AUDIT_DAYS": ("retention_audit_days", _days),
    "SAMVERKAN_HEALTH_OUTBOX_MAX_AGE": ("health_outbox_max_age", _seconds),
    "SAMVERKAN_HEALTH_SLACK_DOWN_AFTER": ("health_slack_down_after", _seconds),
}


def load_settings(environ: Mapping[str, str] | None = None, *, require: Iterable[str] = ()) -> Settings:
    """Settings from the environment (``os.environ`` by default).

    ``require`` names the variables the calling command cannot do without, e.g.
    RUN_HTTP_REQUIRES for ``samverkan run``. Empty values count as unset. Every
    variable that is set is checked, required or not. Raises SettingsError.
    """
    env = os.environ if environ is None else environ
    required = set(require)
    unknown = required - set(VARIABLES)
    if unknown:
        raise ValueError(f"unknown variable(s) in require: {', '.join(sorted(unknown))}")

    values: dict[str, object] = {}
    problems: list[str] = []
    for name, (attr, parse) in _PARSERS.items():
        raw = (env.get(name) or "").strip()
        if not raw:
            if name in required:
                problems.append(f"{name} is not set ({VARIABLES[name]})")
            continue
        try:
            values[attr] = parse(raw)
        except _Bad as exc:
            problems.append(f"{name} {exc}")
    if problems:
        raise SettingsError(problems)
    return Settings(**values)
