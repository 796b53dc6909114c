"""The cyclic garbage collector, set for a long-running server.

Everything made while starting (modules, SQLAlchemy's and Jinja's caches, the compiled
templates, the region's in-memory view) lives as long as the process. `settle` moves
it out of the collector's sight (`gc.freeze`), so a full collection during a burst of
requests walks only what requests made, and young collections run less often (a request
makes many short-lived objects; the default runs one every 700 allocations).
"""
from __future__ import annotations

import gc

YOUNG_THRESHOLD = 7000  # allocations between young collections (CPython's default: 700)


def settle() -> None:
    """Once the start is done: collect, freeze what is left, and collect young objects
    less often. Memory is still freed by reference counting as before."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
