"""SQLAlchemy base, engine and session factory for SQLite (default) and PostgreSQL."""
from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always hands back aware UTC datetimes.

    SQLite has no time zones; PostgreSQL uses timestamptz. Naive datetimes are refused
    so a local time can never slip into the database by accident.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use aware UTC datetimes")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


# Threads that may hold a connection at once: the listener pool (32), waitress's threads
# (16), the outbox worker, the scheduler and follow-up work. A burst must never queue on the
# pool: on SQLite the writer queue below orders the sessions, on PostgreSQL the server does.
POOL_SIZE, POOL_OVERFLOW = 20, 40


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        if ":memory:" not in url and url not in ("sqlite://", "sqlite:///") and "poolclass" not in kwargs:
            kwargs.update(pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL syncs the log at checkpoints instead of at every commit: a
            # commit survives the process crashing (what store-first needs), though a power
            # loss may lose the last commits. FULL costs an fsync per commit, under the one
            # writer lock: a burst of 200 reports waited mostly on the disk.
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - trivial
            # BEGIN IMMEDIATE takes the write lock up front, so two processes never
            # deadlock upgrading a read lock (SQLite answers that with SQLITE_BUSY at once).
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        _queue_for_the_writer_lock(engine)
        return engine
    if "poolclass" not in kwargs:
        kwargs.update(pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    return create_engine(url, pool_pre_ping=True, **kwargs)


class _WriterQueue:
    """SQLite has one writer, and every transaction here takes its lock at BEGIN. A thread
    that finds it taken sleeps in SQLite's busy handler in growing steps (up to 100 ms), so
    under a burst the lock sits idle while writers sleep. Instead, one session of this
    process at a time holds a connection and the others wait here in arrival order; the
    lock is handed over at once. A thread that already holds the queue (a session opened
    inside another) goes ahead, and one that waits longer than `wait` goes ahead anyway
    with SQLite's own locking, so the queue can never deadlock. Across processes SQLite's
    locking applies as before."""

    def __init__(self, wait: float):
        self.wait = wait
        self._lock = threading.Lock()
        self._holder: int | None = None
        self._waiting: "deque[threading.Lock]" = deque()

    def enter(self) -> bool:
        """True if this thread now holds the queue (and must leave it), False if it goes ahead."""
        me = threading.get_ident()
        with self._lock:
            if self._holder == me:
                return False
            if self._holder is None:
                self._holder = me
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=self.wait):
            with self._lock:
                self._holder = me
            return True
        with self._lock:
            try:
                self._waiting.remove(turn)
            except ValueError:  # handed over just as the wait ran out: take it, then pass it on
                self._holder = me
                return True
        return False

    def leave(self) -> None:
        with self._lock:
            self._holder = None
            if self._waiting:
                self._holder = -1  # reserved for the next in line until it wakes
                self._waiting.popleft().release()


def _queue_for_the_writer_lock(engine: Engine, wait: float = 10.0) -> None:
    queue = _WriterQueue(wait)

    @event.listens_for(engine, "checkout")
    def _enter(_dbapi_conn, record, _proxy):  # pragma: no cover - trivial
        record.info["queued"] = queue.enter()

    @event.listens_for(engine, "checkin")
    def _leave(_dbapi_conn, record):  # pragma: no cover - trivial
        if record.info.pop("queued", False):
            queue.leave()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)
