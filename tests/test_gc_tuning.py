"""bot.ops.gc_tuning: after the start, what it made is frozen out of the collector's
sight and young collections run less often."""
from __future__ import annotations

import gc

from bot.ops import gc_tuning


def test_settle_freezes_what_the_start_made_and_raises_the_young_threshold():
    before = gc.get_threshold()
    kept = [object() for _ in range(1000)]  # noqa: F841 - alive during the freeze
    try:
        gc_tuning.settle()
        assert gc.get_freeze_count() > 1000
        assert gc.get_threshold() == (gc_tuning.YOUNG_THRESHOLD, *before[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
