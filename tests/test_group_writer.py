"""The group writer (bot.db.writer): units waiting together share one transaction, a
caller hears of its unit only after the commit, and a failing unit costs the others
nothing (on both databases)."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.audit.models import AuditEntry, SeenTrigger
from bot.db.base import make_session_factory
from bot.db.writer import GroupWriter, insert_later
from bot.reply import Refusal

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=timezone.utc)


@pytest.fixture
def writer(engine):
    w = GroupWriter(make_session_factory(engine))
    yield w
    w.close()


def _count(engine, model, *where) -> int:
    with make_session_factory(engine)() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _trigger(tid: str):
    return lambda s, _group: insert_later(s, SeenTrigger.__table__, {"trigger_id": tid, "received_at": NOW})


def test_a_burst_shares_transactions_and_each_caller_sees_its_row_committed(engine, writer):
    gate = threading.Event()  # the first unit holds the writer while the burst queues behind it

    def one(n: int) -> int:
        writer.write(_trigger(f"t{n}"))
        # the caller is answered after the commit: another connection sees the row now
        return _count(engine, SeenTrigger, SeenTrigger.trigger_id == f"t{n}")

    with ThreadPoolExecutor(max_workers=50) as pool:
        blocker = pool.submit(writer.write, lambda s, g: gate.wait(5))
        futures = [pool.submit(one, n) for n in range(50)]
        gate.set()
        blocker.result(10)
        seen = [f.result(10) for f in futures]
    assert seen == [1] * 50
    assert writer.units == 51
    assert writer.groups < 20  # 50 callers queued behind one unit: a few groups, not 50 transactions


def test_a_failing_unit_fails_alone_and_stores_nothing(engine, writer):
    gate = threading.Event()
    writer.write(_trigger("taken"))

    def refused(s, group):
        insert_later(s, AuditEntry.__table__, {"region_id": None, "at": NOW, "user_id": "U1", "action": "refused",
                                               "subject": None, "details": None})
        raise Refusal("report_refused_empty")

    with ThreadPoolExecutor(max_workers=12) as pool:
        blocker = pool.submit(writer.write, lambda s, g: gate.wait(5))
        ok = [pool.submit(writer.write, _trigger(f"ok{n}")) for n in range(10)]
        replay = pool.submit(writer.write, _trigger("taken"))  # violates the primary key at the group's end
        refusal = pool.submit(writer.write, refused)
        gate.set()
        blocker.result(10)
        for f in ok:
            f.result(10)
        with pytest.raises(IntegrityError):
            replay.result(10)
        with pytest.raises(Refusal):
            refusal.result(10)
    assert _count(engine, SeenTrigger) == 11  # "taken" once, and the ten others
    assert _count(engine, AuditEntry, AuditEntry.action == "refused") == 0


def test_memo_is_once_per_transaction(engine, writer):
    made = []

    def unit(s, group):
        return group.memo("k", lambda: made.append(1) or len(made))

    first = writer.write(unit)
    second = writer.write(unit)
    assert (first, second) == (1, 2)  # separate transactions: each made its own


def test_a_replayed_trigger_id_in_a_busy_group_fails_alone_as_a_replay(engine, writer):
    """Trigger ids join their group's one INSERT (bot.audit.replay): a replay among them
    makes the group run again unit by unit, and only the replay raises Replayed."""
    from bot.audit import replay

    def command(tid: str):
        def unit(s, group):
            replay.store(s, {"trigger_id": tid, "received_at": NOW})
            insert_later(s, AuditEntry.__table__, {"region_id": None, "at": NOW, "user_id": "U1",
                                                   "action": f"did {tid}", "subject": None, "details": None})
        return unit

    writer.write(command("seen"))
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=12) as pool:
        blocker = pool.submit(writer.write, lambda s, g: gate.wait(5))
        fresh = [pool.submit(writer.write, command(f"new{n}")) for n in range(8)]
        again = pool.submit(writer.write, command("seen"))
        gate.set()
        blocker.result(10)
        for f in fresh:
            f.result(10)
        with pytest.raises(replay.Replayed):
            again.result(10)
    assert _count(engine, SeenTrigger) == 9
    assert _count(engine, AuditEntry, AuditEntry.action == "did seen") == 1  # the replay did nothing


def test_a_closed_writer_refuses_and_a_unit_cannot_write_through_it(engine):
    w = GroupWriter(make_session_factory(engine))
    with pytest.raises(RuntimeError, match="cannot write through it"):
        w.write(lambda s, g: w.write(_trigger("nested")))
    w.close()
    with pytest.raises(RuntimeError, match="closed"):
        w.write(_trigger("late"))


def test_batch_reads_what_the_units_want_once_for_the_group_and_shares_changes(engine, writer):
    """Units that say which rows they want (`wants`) have them read in one call for their
    group; a key nobody declared is read alone; a change made by one unit is seen by the
    units after it in the same transaction."""
    loads: list[set] = []

    def load(keys):
        loads.append(set(keys))
        return {k: {"n": 0} for k in keys if k != "missing"}

    def unit(key):
        def work(s, group):
            row = group.batch("thing", key, load)
            if row is None:
                return None
            row["n"] += 1  # the next unit of the group wanting this key sees it
            return row["n"]
        return work

    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=8) as pool:
        blocker = pool.submit(writer.write, lambda s, g: gate.wait(5))
        time.sleep(0.05)  # the blocker holds the writer: the others queue behind it
        futures = [pool.submit(writer.write, unit(k), [("thing", k)]) for k in ("a", "b", "a", "missing")]
        time.sleep(0.1)
        undeclared = pool.submit(writer.write, unit("c"))
        time.sleep(0.1)
        gate.set()
        blocker.result(10)
        got = sorted([f.result(10) for f in futures], key=str)
        assert undeclared.result(10) == 1
    assert got == [1, 1, 2, None]  # "a" twice in one group: the second saw the first's change
    assert loads[0] == {"a", "b", "missing"}  # one read for every declared key of the group
    assert {"c"} in loads  # the undeclared key, read on its own
    assert writer.groups == 2  # the blocker, then the five queued units together


def test_new_ids_of_a_group_are_taken_in_one_query_on_postgresql(engine, writer):
    """Units that will insert a row whose id they need (bot.db.writer.new_row) get ids
    from the table's sequence, all of the group's in one query, on PostgreSQL; on SQLite
    none is taken ahead (the row is inserted at once, in-process)."""
    from sqlalchemy import event

    from bot.audit.models import AuditEntry
    from bot.db.writer import new_id, new_row

    wants = [new_row(AuditEntry.__table__) for _ in range(5)]
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda c, cur, st, *a: statements.append(st))
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=8) as pool:
        blocker = pool.submit(writer.write, lambda s, g: gate.wait(5))
        time.sleep(0.05)
        futures = [pool.submit(writer.write, (lambda w: lambda s, g: new_id(s, w))(w), [w]) for w in wants]
        time.sleep(0.2)
        gate.set()
        blocker.result(10)
        ids = [f.result(10) for f in futures]
    if engine.dialect.name == "postgresql":
        assert len(set(ids)) == 5 and all(isinstance(i, int) for i in ids)
        assert len([st for st in statements if "nextval" in st]) == 1
    else:
        assert ids == [None] * 5
