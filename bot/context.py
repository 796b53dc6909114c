"""What every flow needs: the region, the database, the clock and the renderer."""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterable, Iterator

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.audit import replay
from bot.config.region import RegionConfig
from bot.db.writer import Group, GroupWriter, Want
from bot.render import Renderer
from bot.slack import outbox

BATCH_QUIET, BATCH_WAIT = 0.2, 3.0  # seconds: see BotContext.follow_up_batch
AFTER_ACK_THREADS = 16  # Slack calls after an acknowledgement (views.open, response_url) wait on the network
CONTEXT_KEY = "samverkan"  # where Bolt's per-request context holds the BotContext (bot.app sets it)


@dataclass
class BotContext:
    cfg: RegionConfig
    sf: sessionmaker
    clock: Clock
    renderer: Renderer
    region_id: int
    _follow_up: ThreadPoolExecutor = field(init=False, repr=False)
    after_ack_pool: ThreadPoolExecutor = field(init=False, repr=False)
    writer: GroupWriter = field(init=False, repr=False)
    _after_ack_running: set = field(init=False, repr=False)

    _batches: dict = field(init=False, repr=False)
    _batch_lock: threading.Lock = field(init=False, repr=False)
    _batch_last: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        outbox.bind_region(self.sf, self.region_id)  # every outbox row of this context is this region's
        self._follow_up = ThreadPoolExecutor(max_workers=1, thread_name_prefix="follow-up")
        self.after_ack_pool = ThreadPoolExecutor(max_workers=AFTER_ACK_THREADS, thread_name_prefix="after-ack")
        self._after_ack_running = set()
        self.writer = GroupWriter(self.sf)
        self._batches, self._batch_lock, self._batch_last = {}, threading.Lock(), {}

    @contextmanager
    def tx(self) -> Iterator[Session]:
        """One transaction: domain change and the outbox rows it causes commit together.
        The first one of a slash command also stores its trigger id (bot.audit.replay)."""
        trigger = replay.take()
        try:
            with self.sf.begin() as session:
                replay.store(session, trigger)
                yield session
        except replay.Replayed:
            raise
        except BaseException:
            replay.give_back(trigger)  # rolled back with it: the command's next write stores it
            raise

    def write(self, work: Callable[[Session, Group], Any], wants: Iterable[Want] = ()) -> Any:
        """One unit of a hot write (a report, a press, a new item), committed with the
        others of a burst in one transaction (bot.db.writer): returns `work`'s result
        once committed, or raises its exception with nothing of it stored. `wants`: the
        rows it reads through `Group.batch`, read with those of the other units."""
        trigger = replay.take()  # the command's trigger id: stored in its unit, first (bot.audit.replay)
        if trigger is None:
            return self.writer.write(work, wants)

        def unit(s: Session, group: Group) -> Any:
            replay.store(s, trigger)
            return work(s, group)

        try:
            return self.writer.write(unit, wants)
        except replay.Replayed:
            raise
        except BaseException:
            replay.give_back(trigger)  # rolled back with it: the command's next write (a retry) stores it
            raise

    def store_trigger(self) -> None:
        """Stores the slash command's trigger id if no write of the command has yet (a
        command that only reads, or before its slow part); raises Replayed if it was
        seen before (bot.audit.replay)."""
        trigger = replay.take()
        if trigger is not None:
            self.writer.write(lambda s, _group: replay.store(s, trigger))

    def now(self):
        return self.clock.now()

    def after_ack(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Runs the part of a request that comes after its acknowledgement (a modal to
        open, answers through response_url, follow-up work), so Slack has its answer the
        moment the acknowledgement is ready. Many at once: it mostly waits on Slack."""
        future = self.after_ack_pool.submit(fn, *args)
        self._after_ack_running.add(future)
        future.add_done_callback(self._after_ack_running.discard)
        future.add_done_callback(_log_failure)
        return future

    def follow_up(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Runs work that a stored change causes beyond itself (the speaking order hearing
        of a report), after the person got their answer, one at a time, in order. One
        thread: a burst of 200 reports neither holds Slack's acks nor fights over a row."""
        future = self._follow_up.submit(fn, *args)
        future.add_done_callback(_log_failure)
        return future

    def follow_up_batch(self, key: Hashable, item: Any, fn: Callable[[list], Any]) -> None:
        """Like follow_up, but items queued under one key before the work starts are handed
        to one call of `fn`: 200 reports in a burst become a few floor updates, not 200.
        The work waits until no item has come for BATCH_QUIET seconds (at most BATCH_WAIT),
        so it runs after a burst instead of competing with the burst's acknowledgements."""
        with self._batch_lock:
            self._batch_last[key] = time.monotonic()
            if key in self._batches:
                self._batches[key].append(item)
                return
            self._batches[key] = [item]

        def run() -> None:
            started = time.monotonic()
            while True:
                with self._batch_lock:
                    quiet = time.monotonic() - self._batch_last[key]
                    if quiet >= BATCH_QUIET or time.monotonic() - started >= BATCH_WAIT:
                        items = self._batches.pop(key)
                        del self._batch_last[key]
                        break
                time.sleep(BATCH_QUIET - quiet)
            fn(items)

        self.follow_up(run)

    def settle(self, timeout: float = 10.0) -> None:
        """Waits until the work after acknowledgements and the follow-up work queued so
        far are done (tests, demo)."""
        for future in list(self._after_ack_running):
            future.result(timeout)
        self._follow_up.submit(lambda: None).result(timeout)

    def shutdown(self) -> None:
        self.after_ack_pool.shutdown(wait=True)  # it may queue follow-up work
        self._follow_up.shutdown(wait=True)
        self.writer.close()

    def host_name(self) -> str:
        first = self.cfg.speaking_order.first
        actor = self.cfg.actor(first[0]) if first else None
        return actor.name if actor else self.cfg.region


def _log_failure(future: Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        logging.getLogger(__name__).error("follow-up work failed", exc_info=future.exception())
