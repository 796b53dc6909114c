"""Logging set-up (bot.ops.logs): a burst of waitress's queue warnings is one line a minute."""
from __future__ import annotations

import logging

from bot.ops.logs import OncePerInterval


def _record(at: float, level: int = logging.WARNING, msg: str = "Task queue depth is %d", n: int = 1):
    record = logging.LogRecord("waitress.queue", level, __file__, 1, msg, (n,), None)
    record.created = at
    return record


def test_one_warning_a_minute_passes_and_the_next_says_how_many_were_left_out():
    f = OncePerInterval(60.0)
    passed = [f.filter(_record(1000.0 + i * 0.01, n=i)) for i in range(200)]  # a burst of 200 in two seconds
    assert passed == [True] + [False] * 199
    later = _record(1061.0, n=3)
    assert f.filter(later)
    assert later.getMessage() == "Task queue depth is 3 (199 such lines left out since the last one)"
    assert f.filter(_record(1061.5, level=logging.ERROR, msg="broken %d"))  # errors always pass
