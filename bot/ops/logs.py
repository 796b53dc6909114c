"""Logging set-up: plain text lines (default) or, with LOG_FORMAT=json, one JSON object
per line (time, level, logger, message, exc_info). Either way anything shaped like a
Slack token is masked before it is written, whatever logged it."""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone

_TOKEN = re.compile(r"\b(xox[abposre]|xapp)-[A-Za-z0-9-]+")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET = ("apscheduler", "alembic")


def mask_tokens(text: str) -> str:
    return _TOKEN.sub(lambda m: f"{m.group(1)}-***", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_tokens(record.getMessage()),
        }
        if record.exc_info:
            entry["exc_info"] = mask_tokens(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exc_info"] = mask_tokens(record.exc_text)
        if record.stack_info:
            entry["stack_info"] = mask_tokens(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_tokens(super().format(record))


def setup_logging(level: str = "INFO", fmt: str = "text") -> None:
    """Configures the root logger for `samverkan run` (replaces earlier handlers)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else MaskingFormatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in BURSTY:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OncePerInterval) for f in logger.filters):
            logger.addFilter(OncePerInterval())


# waitress warns at every request that waits for a thread ("Task queue depth is 81") and
# when it stops accepting connections for a moment: under a burst (a region reporting at
# once) that is hundreds of lines a second, each written while requests wait.
BURSTY = ("waitress.queue", "waitress")


class OncePerInterval(logging.Filter):
    """Lets one warning of a logger through per `interval` seconds, and says in it how many
    were left out since the last one."""

    def __init__(self, interval: float = 60.0):
        super().__init__()
        self.interval, self._last, self._left_out = interval, float("-inf"), 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            return True
        if record.created - self._last < self.interval:
            self._left_out += 1
            return False
        if self._left_out:
            record.msg = f"{record.getMessage()} ({self._left_out} such lines left out since the last one)"
            record.args = ()
        self._last, self._left_out = record.created, 0
        return True
