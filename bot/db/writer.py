"""Group commit: the writes of a burst share transactions.

Two hundred people pressing at once would be two hundred transactions, each with its own
connection, BEGIN and COMMIT (and on SQLite, each waiting for the one writer lock). The
hot writes (a report, a Kvittera press, a new action item, a slash command's trigger id)
go instead to one writer thread as small units of work. The writer runs every unit that
is waiting in one transaction, commits once, and only then hands each caller its result:
store first still holds, because a caller hears "stored" after the commit that stored it.

A unit is a function of the session (and of the `Group` it runs in). A unit may say up
front which rows it will read (`wants`: kind and key, e.g. the item a Kvittera press is
for); the group then reads every wanted row of a kind in one query (`Group.batch`), the
first time a unit asks, instead of one query per unit. If any unit of a
group raises, the group is rolled back and each of its units runs again in a transaction
of its own, so one refusal or conflict never costs the others their work, and the unit
that failed raises its exception to its own caller, with nothing of it stored.

Units must be short and touch the database only through the session they are given (a
second session of the same thread would wait for the writer's own lock on SQLite).
"""
from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from concurrent.futures import Future
from typing import Any, Callable, Hashable, Iterable, Mapping, TypeVar

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
T = TypeVar("T")
Want = tuple[str, Hashable]  # (kind, key): a row a unit will read, e.g. ("action_item", 12)
GROUP_KEY = "write_group"  # session.info key: the Group a session's transaction belongs to
MAX_GROUP = 256  # units in one transaction at most
# Under load (the last transaction held more than one unit), the writer waits this long
# for more units before it begins: fewer, larger transactions, as PostgreSQL's own
# commit_delay does. A request that comes alone is never delayed.
GATHER_SECONDS = 0.002


class Group:
    """What the units of one transaction share: lookups made once per transaction
    (`memo`), rows the units said they want read together (`batch`), and rows inserted
    with one multi-row INSERT at the end (`insert_later`)."""

    def __init__(self, session: Session, size: int = 1, wants: Iterable[Want] = ()):
        self.session = session
        self.size = size  # units in this transaction
        self.alone = size == 1  # the only unit of its transaction (a lone request, or one run again alone)
        self._memo: dict[Hashable, Any] = {}
        self._rows: dict[Table, list[dict[str, Any]]] = {}
        self._wanted: dict[str, set[Hashable]] = {}
        for kind, key in wants:
            self._wanted.setdefault(kind, set()).add(key)
        self._batches: dict[Hashable, dict[Hashable, Any]] = {}
        self._updates: dict[Any, list[dict[str, Any]]] = {}

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, once per transaction: every unit of the group sees the same answer."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def batch(self, kind: Hashable, key: Hashable, load: Callable[[set[Hashable]], Mapping[Hashable, Any]],
              wanted: str | None = None) -> Any:
        """What `load(keys)` gives for `key` (None if nothing). `load` is called the first
        time a unit asks for a `kind`, with every key the group's units said they want
        (under `wanted`, by default `kind` itself), so a burst reads its rows in one query;
        a key nobody said it wants is read on its own. The units after see the same
        object: a unit that changes the row changes that object too (or `remember`s the
        new value), so the units after it see the change."""
        loaded = self._batches.setdefault(kind, {})
        if key not in loaded:
            keys = (self._wanted.pop(kind if wanted is None else wanted, set()) | {key}) - loaded.keys()
            found = load(keys)
            for k in keys:
                loaded[k] = found.get(k)
        return loaded[key]

    def remember(self, kind: Hashable, key: Hashable, value: Any) -> None:
        """What a unit wrote for `key`: the units after it read this from `batch`."""
        self._batches.setdefault(kind, {})[key] = value

    def add_row(self, table: Table, row: dict[str, Any]) -> None:
        self._rows.setdefault(table, []).append(row)

    def add_update(self, statement: Any, params: dict[str, Any]) -> None:
        self._updates.setdefault(statement, []).append(params)

    def flush_rows(self) -> None:
        """The group's deferred rows, each table's in one INSERT, then its deferred updates,
        each statement's in one executemany (on PostgreSQL one round trip)."""
        connection = self.session.connection()
        for table in sorted(self._rows, key=_dependency_order):  # a row after the rows it refers to
            connection.execute(_insert(table), self._rows[table])
        for statement, params in self._updates.items():
            connection.execute(statement, params)
        self._rows.clear()
        self._updates.clear()


_INSERTS: dict[Table, Any] = {}
_ORDER: dict[Table, int] = {}


def _dependency_order(table: Table) -> int:
    if table not in _ORDER:
        _ORDER.update((t, n) for n, t in enumerate(table.metadata.sorted_tables))
    return _ORDER[table]


def _insert(table: Table):
    stmt = _INSERTS.get(table)
    if stmt is None:
        stmt = _INSERTS[table] = insert(table)
    return stmt


def group_of(session: Session) -> "Group | None":
    return session.info.get(GROUP_KEY)


def insert_later(session: Session, table: Table, row: dict[str, Any]) -> None:
    """Inserts an append-only row in the session's transaction: with the other rows of
    its group in one statement before the commit when the session is a group's, at once
    otherwise."""
    group = session.info.get(GROUP_KEY)
    if group is not None:
        group.add_row(table, row)
    else:
        session.connection().execute(_insert(table), row)


def update_later(session: Session, statement: Any, params: dict[str, Any]) -> None:
    """Runs an UPDATE of one row that nothing in the transaction reads back (the units
    keep what they wrote in the group, `Group.remember`): with the group's other ones at
    its end when the session is a group's, at once otherwise."""
    group = session.info.get(GROUP_KEY)
    if group is not None:
        group.add_update(statement, params)
    else:
        session.connection().execute(statement, params)


NEW_ID = "new_id:"
_tokens = itertools.count(1)


def new_row(table: Table, key: Hashable | None = None) -> Want:
    """What a unit says when it will insert a row of `table` whose id it needs at once
    (`new_id`); `key` tells the unit's row from the group's others (default: unique)."""
    return NEW_ID + table.name, next(_tokens) if key is None else key


def new_id(session: Session, want: Want) -> int | None:
    """An id for the unit's new row (see `new_row`), so the row can join its group's one
    INSERT (`insert_later`) instead of a round trip of its own. On PostgreSQL the ids of
    every new row of the group are taken from the table's sequence in one query, the
    first time a unit asks; elsewhere None (SQLite inserts in-process: insert at once)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    kind, key = want
    table = kind[len(NEW_ID):]

    def take(keys: set[Hashable]) -> dict[Hashable, int]:
        ids = session.connection().execute(_NEXT_IDS, {"table": table, "n": len(keys)}).scalars()
        return dict(zip(sorted(keys, key=repr), ids))

    group = group_of(session)
    return group.batch(kind, key, take) if group is not None else take({key})[key]


_NEXT_IDS = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)")


def insert_new(session: Session, table: Table, row: dict[str, Any], want: Want | None = None) -> int:
    """Inserts a row whose id the caller needs now, and returns that id: with an id taken
    ahead (`new_id`, PostgreSQL in a group) the row joins the group's one INSERT; without
    one it is inserted at once and its id read back."""
    new = new_id(session, want) if want is not None else None
    if new is None:
        return session.connection().execute(_insert(table), row).inserted_primary_key[0]
    insert_later(session, table, {"id": new, **row})
    return new


class GroupWriter:
    """One thread that runs units of work in shared transactions (see the module doc)."""

    def __init__(self, sf: sessionmaker, name: str = "writer"):
        self._sf = sf
        self._queue: "queue.SimpleQueue[tuple[Callable, Future, tuple[Want, ...]] | None]" = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._started = self._closed = False
        self._start_lock = threading.Lock()
        self.groups = self.units = 0  # counted for the benchmark and the tests

    def write(self, work: Callable[[Session, Group], T], wants: Iterable[Want] = ()) -> T:
        """Runs `work(session, group)` in a transaction shared with the other units
        waiting now; returns its result once that transaction has committed, or raises
        what `work` raised (and then nothing of it is stored). `wants`: the rows it will
        read through `Group.batch`."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("a unit of the group writer cannot write through it (it would wait for itself)")
        if not self._started:
            self._start()
        if self._closed:
            raise RuntimeError("the group writer is closed (the bot is stopping)")
        future: Future = Future()
        self._queue.put((work, future, tuple(wants)))
        return future.result()

    def close(self) -> None:
        """Writes what waits, then stops; a later write raises instead of waiting."""
        with self._start_lock:
            self._closed = True
        if self._started:
            self._queue.put(None)
            self._thread.join(30)
        while True:  # a write that came in as it closed: refused, not left waiting
            try:
                unit = self._queue.get_nowait()
            except queue.Empty:
                return
            if unit is not None:
                unit[1].set_exception(RuntimeError("the group writer is closed (the bot is stopping)"))

    def _start(self) -> None:
        with self._start_lock:
            if not self._started:
                self._thread.start()
                self._started = True

    def _loop(self) -> None:
        busy = False
        while True:
            first = self._queue.get()
            if first is None:
                return
            if busy:
                time.sleep(GATHER_SECONDS)
            units = [first]
            stop = False
            while len(units) < MAX_GROUP:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                units.append(nxt)
            busy = len(units) > 1
            try:
                self._run(units)
            except BaseException as e:  # noqa: BLE001 - never leave a caller waiting
                log.exception("the group writer failed")
                for _, future, _w in units:
                    if not future.done():
                        future.set_exception(e)
            if stop:
                return

    def _run(self, units: list[tuple[Callable, Future, tuple[Want, ...]]]) -> None:
        results = self._transaction(units)
        if results is not None:
            for (_, future, _w), result in zip(units, results):
                future.set_result(result)
            return
        if len(units) == 1:
            return  # its exception is set
        for unit in units:  # one of them failed: each alone, so only that one fails
            single = self._transaction([unit])
            if single is not None:
                unit[1].set_result(single[0])

    def _transaction(self, units: list[tuple[Callable, Future, tuple[Want, ...]]]) -> list[Any] | None:
        """The units' results once committed together; None if one raised (rolled back;
        with a single unit, its exception is set on its future)."""
        try:
            with self._sf.begin() as s:
                group = Group(s, size=len(units), wants=(w for unit in units for w in unit[2]))
                s.info[GROUP_KEY] = group
                try:
                    results = [work(s, group) for work, _, _w in units]
                    group.flush_rows()
                finally:
                    s.info.pop(GROUP_KEY, None)
        except Exception as e:  # noqa: BLE001 - handed to the caller (alone) or retried alone
            if len(units) == 1:
                units[0][1].set_exception(e)
            return None
        self.groups += 1
        self.units += len(units)
        return results
