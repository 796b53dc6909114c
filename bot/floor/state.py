"""The live state of a conference's floor, pure: a queue of entries and what may happen
to it (give the floor on, skip, ask for the floor, a late report).

The entries are kept in speaking order. Entries before the one who has the floor are
done (spoke or passed); entries after it are waiting. A `turn` is an actor's place in
the order; a `request` is a question or comment asked for with "Begär ordet", placed
right after the current speaker (after earlier requests).
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Iterable

from bot.floor.order import Slot
from bot.reply import Refusal

TURN, REQUEST = "turn", "request"
WAITING, SPEAKING, SPOKE, PASSED = "waiting", "speaking", "spoke", "passed"


@dataclass(frozen=True)
class Entry:
    actor: int
    kind: str = TURN
    status: str = WAITING
    group: str = ""
    reported: bool = False
    need: bool = False
    late: bool = False  # reported during the meeting and moved to the end
    by: str | None = None  # the member who asked for the floor (requests)


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


@dataclass(frozen=True)
class FloorState:
    entries: tuple[Entry, ...] = ()

    # ---- reading --------------------------------------------------------------------
    @property
    def current_index(self) -> int | None:
        return next((i for i, e in enumerate(self.entries) if e.status == SPEAKING), None)

    @property
    def current(self) -> Entry | None:
        i = self.current_index
        return None if i is None else self.entries[i]

    @property
    def waiting(self) -> list[Entry]:
        return [e for e in self.entries if e.status == WAITING]

    @property
    def started(self) -> bool:
        return any(e.status != WAITING for e in self.entries)

    @property
    def done(self) -> bool:
        """Everyone has had their turn (or passed) and nobody waits."""
        return self.started and self.current is None and not self.waiting

    def spoke_actors(self) -> list[int]:
        return list(dict.fromkeys(e.actor for e in self.entries if e.status in (SPOKE, SPEAKING)))

    def passed_actors(self) -> list[int]:
        spoke = set(self.spoke_actors())
        return list(dict.fromkeys(e.actor for e in self.entries if e.status == PASSED and e.actor not in spoke))

    def turns(self) -> list[Entry]:
        return [e for e in self.entries if e.kind == TURN]

    # ---- (de)serialising -----------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        # Field by field, not dataclasses.asdict (which deep-copies every value): the state
        # is written on every floor change, and a region of 200 actors has 200 entries.
        return {"entries": [{name: getattr(e, name) for name in _ENTRY_FIELDS} for e in self.entries]}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "FloorState":
        return cls(tuple(Entry(**e) for e in (data or {}).get("entries", [])))

    @classmethod
    def from_order(cls, slots: Iterable[Slot]) -> "FloorState":
        return cls(tuple(Entry(actor=s.actor_id, group=s.group, reported=s.reported, need=s.needs_coordination)
                         for s in slots))


def _with(entries: list[Entry]) -> FloorState:
    return FloorState(tuple(entries))


def advance(state: FloorState, *, passed: bool = False) -> tuple[FloorState, Entry | None]:
    """The current speaker is done (spoke, or passed with "Hoppa över") and the next one
    waiting gets the floor. Returns the new state and the entry that got the floor (None:
    the round is done). Passing needs a current speaker; moving on needs someone to act on."""
    entries = list(state.entries)
    i = state.current_index
    if i is None and passed:
        raise Refusal("floor_refused_nobody_speaking")
    if i is None and not state.waiting:
        raise Refusal("floor_refused_round_done")
    if i is not None:
        entries[i] = replace(entries[i], status=PASSED if passed else SPOKE)
    nxt = next((j for j, e in enumerate(entries) if e.status == WAITING), None)
    if nxt is None:
        return _with(entries), None
    entries[nxt] = replace(entries[nxt], status=SPEAKING)
    return _with(entries), entries[nxt]


def start(state: FloorState) -> tuple[FloorState, Entry | None]:
    """Opens the round: the first in the order (the host) gets the floor."""
    if state.started:
        return state, state.current
    return advance(state)


def request(state: FloorState, actor_id: int, user_id: str) -> tuple[FloorState, int]:
    """Queues a question/comment by `actor_id` right after the current speaker (after the
    requests already queued there). Returns the new state and the queue position (1 = next)."""
    cur = state.current
    if cur is not None and cur.actor == actor_id:
        raise Refusal("floor_refused_already_speaking")
    if any(e.actor == actor_id and e.kind == REQUEST and e.status == WAITING for e in state.entries):
        raise Refusal("floor_refused_already_requested")
    entries = list(state.entries)
    i = state.current_index
    if i is not None:
        at = i + 1
    else:
        at = next((j for j, e in enumerate(entries) if e.status == WAITING), len(entries))
    while at < len(entries) and entries[at].kind == REQUEST and entries[at].status == WAITING:
        at += 1
    entries.insert(at, Entry(actor=actor_id, kind=REQUEST, group=REQUEST, reported=True, by=user_id))
    position = sum(1 for e in entries[:at + 1] if e.status == WAITING)
    return _with(entries), position


def join(state: FloorState, actor_id: int) -> tuple[FloorState, bool]:
    """An actor not in the order yet (called in later) is added at the end, not reported."""
    if any(e.actor == actor_id and e.kind == TURN for e in state.entries):
        return state, False
    return _with([*state.entries, Entry(actor=actor_id, late=True)]), True


def late_report(state: FloorState, actor_id: int, *, needs_coordination: bool) -> tuple[FloorState, bool]:
    """A report arrived while the conference is open. An actor that waited as "not
    reported", or was passed without a report, moves to the end of the queue; otherwise
    only its marks change. Returns the new state and whether anything changed."""
    entries = list(state.entries)
    turn_ix = [j for j, e in enumerate(entries) if e.actor == actor_id and e.kind == TURN]
    last = turn_ix[-1] if turn_ix else None
    entry = entries[last] if last is not None else None
    if entry is None or (entry.status == WAITING and not entry.reported) or (
            entry.status == PASSED and not entry.reported):
        group = entry.group if entry else ""
        if entry is not None and entry.status == WAITING:
            del entries[last]
        entries.append(Entry(actor=actor_id, group=group, reported=True, need=needs_coordination, late=True))
        return _with(entries), True
    marked = replace(entry, reported=True, need=needs_coordination)
    if marked == entry:
        return state, False
    entries[last] = marked
    return _with(entries), True
