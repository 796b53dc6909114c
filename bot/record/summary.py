"""What the leader and the members added to a conference's record, as plain data for the
samlad lägesbild and the export: the joint analysis (it leads), the notes and the
trade-offs with their acknowledgements."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from bot.analysis.models import Analysis
from bot.record import notes, tradeoffs
from bot.region.service import memberships


@dataclass(frozen=True)
class LeadView:
    analysis: str | None
    agreed: str | None
    next_steps: str | None


@dataclass(frozen=True)
class NoteView:
    text: str
    author: str | None  # Slack user id of who wrote it
    author_actor: str | None  # the actor the author acts for (exports name no user ids)
    at: datetime


@dataclass(frozen=True)
class Record:
    lead: LeadView | None = None
    notes: list[NoteView] = field(default_factory=list)
    trade_offs: list[tradeoffs.TradeOffView] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.lead is None and not self.notes and not self.trade_offs


def gather(s: Session, conference_id: int, region_id: int) -> Record:
    row = s.get(Analysis, conference_id)
    lead = None if row is None or row.empty else LeadView(row.analysis, row.agreed, row.next_steps)
    shown = []
    for n in notes.notes_of(s, conference_id):
        mine = memberships(s, region_id, n.author) if n.author else []
        shown.append(NoteView(n.text, n.author, mine[0].actor_name if mine else None, n.created_at))
    return Record(lead, shown, tradeoffs.of_conference(s, conference_id))
