"""The speaking-order policy, pure: who speaks in which order at a conference.

From the region file's `speaking_order`: the `first` actors open (the host), then the
other actors of the host's category (if that category is not listed), then every
listed category in the given order, then (defensively) any actor left over.

Within a category the actors keep the region file's order; with `rotate` the start
shifts by the category's stored offset (one step per ordinary conference), so the
same kommun is not always last. Actors without a report come last in their category
(keeping their rotated order) and are marked as not reported; actors that flagged a
need for samverkan are marked. Nothing here touches the database or Slack.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence


@dataclass(frozen=True)
class OrderActor:
    id: int
    key: str
    category: str
    position: int = 0  # order in the region file


@dataclass(frozen=True)
class ReportFlags:
    needs_coordination: bool = False


@dataclass(frozen=True)
class Slot:
    actor_id: int
    group: str  # "first", or the category the actor was placed in
    reported: bool
    needs_coordination: bool


FIRST = "first"


def rotated(items: Sequence, offset: int) -> list:
    """`items` starting at `offset` (modulo its length), wrapping around."""
    if not items:
        return []
    start = offset % len(items)
    return [*items[start:], *items[:start]]


def groups(actors: Iterable[OrderActor], first: Sequence[str], categories: Sequence[str]) -> list[tuple[str, list[OrderActor]]]:
    """The groups of the order, each in region-file order (before rotation and reports)."""
    by_position = sorted(actors, key=lambda a: (a.position, a.id))
    by_key = {a.key: a for a in by_position}
    firsts = [by_key[k] for k in first if k in by_key]
    placed = {a.id for a in firsts}
    result: list[tuple[str, list[OrderActor]]] = [(FIRST, firsts)] if firsts else []
    host_categories = [c for c in dict.fromkeys(a.category for a in firsts) if c not in categories]
    for category in [*host_categories, *categories]:
        members = [a for a in by_position if a.category == category and a.id not in placed]
        placed |= {a.id for a in members}
        if members:
            result.append((category, members))
    rest = [a for a in by_position if a.id not in placed]
    for category in dict.fromkeys(a.category for a in rest):  # unknown to the order: kept, never dropped
        result.append((category, [a for a in rest if a.category == category]))
    return result


def speaking_order(actors: Iterable[OrderActor], first: Sequence[str], categories: Sequence[str], *,
                   rotate: bool, offsets: Mapping[str, int], reports: Mapping[int, ReportFlags]) -> list[Slot]:
    """The order for one conference. `offsets`: category -> rotation counter (missing: 0);
    `reports`: actor id -> flags of the actor's report (missing: no report)."""
    order: list[Slot] = []
    for group, members in groups(actors, first, categories):
        if rotate and group != FIRST:
            members = rotated(members, offsets.get(group, 0))
        if group != FIRST:  # the host opens whether or not it has reported
            members = [a for a in members if a.id in reports] + [a for a in members if a.id not in reports]
        for a in members:
            flags = reports.get(a.id)
            order.append(Slot(a.id, group, flags is not None, bool(flags and flags.needs_coordination)))
    return order


def rotating_groups(actors: Iterable[OrderActor], first: Sequence[str], categories: Sequence[str]) -> list[str]:
    """The groups whose offset advances after an ordinary conference."""
    return [g for g, _ in groups(actors, first, categories) if g != FIRST]


def advanced(offsets: Mapping[str, int], group_names: Iterable[str]) -> dict[str, int]:
    """The offsets for the next ordinary conference: one step for every rotating group."""
    out = dict(offsets)
    for g in group_names:
        out[g] = out.get(g, 0) + 1
    return out
