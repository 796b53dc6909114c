"""The demo's scenes, in order: each moves the clock and acts as Slack or a person would."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, time as dtime
from typing import Any, Callable


@dataclass
class DemoWorld:
    cfg: Any
    rt: Any
    emu: Any
    clock: Any
    day: date
    out: Callable[[str], None]
    slack: Any

    def at(self, hhmm: str) -> None:
        """Moves the demo clock to a local time on the conference day and runs the scheduler."""
        h, m = map(int, hhmm.split(":"))
        self.clock.set(datetime.combine(self.day, dtime(h, m), self.cfg.tz))
        self.rt.scheduler.tick()

    def drain(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        self.rt.ctx.settle(timeout)
        while self.rt.worker.pending_count() and time.monotonic() < deadline:
            time.sleep(0.02)

    def say(self, who: str, text: str) -> None:
        self.out(f"  {who}: {text}")


def kallelse(w: DemoWorld) -> None:
    w.out("09.00  Boten skickar kallelsen.")
    w.at(w.cfg.conference.call_for_reports.strftime("%H:%M"))


def opening(w: DemoWorld) -> None:
    w.out("16.00  Konferensen öppnar.")
    w.at(w.cfg.conference.time.strftime("%H:%M"))


def _scenes() -> list[Callable[[DemoWorld], None]]:
    from bot.demo import scene_leading as lead
    from bot.demo.scene_activation import activation_end, short_activation
    from bot.demo.scene_floor import floor_round
    from bot.demo.scene_reports import reports_before_opening, reports_during
    from bot.demo.scene_summary import acknowledge, action_items

    # In time order: each scene's narration starts where the previous one ended.
    return [lead.agenda_the_day_before, lead.answer_question, kallelse, short_activation,
            lead.reports_during_activation, activation_end, reports_before_opening, opening, reports_during,
            floor_round, lead.record_and_trade_off, action_items, lead.decline_item, lead.analysis,
            lead.close_warning_and_extension, lead.extended_close, acknowledge]


SCENES: list[Callable[[DemoWorld], None]] = _scenes()
