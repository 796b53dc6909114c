"""What every flow needs: the region, the database, the clock and the renderer."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.render import Renderer


@dataclass
class BotContext:
    cfg: object  # bot.config.RegionConfig
    sf: sessionmaker
    clock: Clock
    renderer: Renderer
    region_id: int

    @contextmanager
    def tx(self) -> Iterator[Session]:
        """One transaction: domain change and the outbox rows it causes commit together."""
        with self.sf.begin() as session:
            yield session

    def now(self):
        return self.clock.now()

    def host_name(self) -> str:
        first = self.cfg.speaking_order.first
        actor = self.cfg.actor(first[0]) if first else None
        return actor.name if actor else self.cfg.region
