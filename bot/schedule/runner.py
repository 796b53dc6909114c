"""The one place that schedules: APScheduler 3 fires each occurrence of the calendar,
and a claim row in the database makes sure it happens once across processes/restarts.

APScheduler's job store is in memory on purpose (a shared job store runs jobs twice);
the database claim is the source of truth. On start, and every few minutes, the runner
looks back over recent occurrences it has not claimed yet (the bot was down) and handles
them late, or as missed once `grace_minutes` have passed.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.context import BotContext
from bot.region.models import Region
from bot.schedule.calendar import Kind, Occurrence, Timing, next_occurrences, occurrences_between, timing, week_plan
from bot.schedule.models import JobClaim
from bot.schedule.sources import task_sources
from bot.schedule.tasks import Task, TaskSource
from bot.slack.worker import owner_id

log = logging.getLogger(__name__)

Flow = Callable[[BotContext, Session, Occurrence, Timing], None]
LOOKBACK = timedelta(days=3)
HORIZON = timedelta(days=8)
# Tasks can be created at any moment (an avstämning set for 14.00): re-plan often.
REPLAN_EVERY = timedelta(seconds=20)


def decide(ctx: BotContext, occ: Occurrence, now: datetime) -> Timing:
    """How late an occurrence is, by kind: the opening has its grace period; the kallelse
    and reminder are still useful until the opening; closing always happens."""
    grace = timedelta(minutes=ctx.cfg.conference.grace_minutes)
    if occ.kind == Kind.OPEN:
        t = timing(occ, now, grace)
    elif occ.kind == Kind.CLOSE:
        t = timing(occ, now, timedelta.max - timedelta(days=1))
    else:
        opens = week_plan(ctx.cfg.conference, ctx.cfg.tz, *occ.iso_week).opens_at
        deadline = opens or (occ.at + grace)
        t = timing(occ, now, deadline - occ.at) if now < deadline else Timing.MISSED
    return Timing.ON_TIME if t == Timing.FUTURE else t


class ConferenceScheduler:
    def __init__(self, ctx: BotContext, flows: dict[Kind, Flow], sources: list[TaskSource] | None = None):
        self.ctx = ctx
        self.flows = flows
        self.sources = task_sources() if sources is None else sources
        self.owner = owner_id()
        self._aps: BackgroundScheduler | None = None

    # ---- the APScheduler side ---------------------------------------------------------
    def start(self) -> None:
        self._aps = BackgroundScheduler(timezone=self.ctx.cfg.tz,
                                        job_defaults={"coalesce": True, "max_instances": 1,
                                                      "misfire_grace_time": None})
        self._aps.start()
        self.tick()
        self._aps.add_job(self.tick, "interval", seconds=REPLAN_EVERY.total_seconds(), id="replan")

    def shutdown(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)

    def tick(self, now: datetime | None = None) -> list[tuple[Occurrence, Timing]]:
        """Handles what is due and unclaimed, and schedules what is coming."""
        now = now or self.ctx.now()
        done = []
        for occ in occurrences_between(self.ctx.cfg.conference, self.ctx.cfg.tz, now - LOOKBACK,
                                       now + timedelta(microseconds=1)):
            result = self.fire(occ, now)
            if result is not None:
                done.append((occ, result))
        for source in self.sources:
            for task in source(self.ctx, now - LOOKBACK, now + timedelta(microseconds=1)):
                result = self.fire_task(task, now)
                if result is not None:
                    done.append((task, result))
        if self._aps is not None:
            for occ in next_occurrences(self.ctx.cfg.conference, self.ctx.cfg.tz, now, horizon=HORIZON):
                self._aps.add_job(self.fire, "date", run_date=occ.at, args=[occ], replace_existing=True,
                                  id=f"{occ.key_date}:{occ.kind}")
            for source in self.sources:
                for task in source(self.ctx, now, now + HORIZON):
                    self._aps.add_job(self.fire_task, "date", run_date=task.at, args=[task],
                                      replace_existing=True, id=f"{task.key_date}:{task.kind}")
        return done

    # ---- one occurrence -----------------------------------------------------------------
    def fire(self, occ: Occurrence, now: datetime | None = None) -> Timing | None:
        """Claims and runs one occurrence; None if it was claimed before (here or elsewhere)."""
        now = now or self.ctx.now()
        with self.ctx.sf() as s:
            if s.get(JobClaim, (self.ctx.region_id, occ.key_date, str(occ.kind))) is not None:
                return None
            installed = s.get(Region, self.ctx.region_id).created_at
        t = decide(self.ctx, occ, now)
        # Missing something is reported only if the bot was installed when it was due: a
        # region installed at 18.00 has not "missed" that day's 16.00 conference.
        run_flow = t != Timing.MISSED or (occ.kind == Kind.OPEN and occ.at >= installed)
        try:
            with self.ctx.tx() as s:
                s.add(JobClaim(region_id=self.ctx.region_id, key_date=occ.key_date, kind=str(occ.kind),
                               claimed_at=now, claimed_by=self.owner, timing=str(t)))
                s.flush()
                if run_flow:
                    self.flows[occ.kind](self.ctx, s, occ, t)
        except IntegrityError:
            return None  # another process claimed it first
        log.info("%s of %s-W%02d: %s", occ.kind, *occ.iso_week, t)
        return t

    def fire_task(self, task: Task, now: datetime | None = None) -> Timing | None:
        """Claims and runs one task of a task source; None if claimed before."""
        now = now or self.ctx.now()
        with self.ctx.sf() as s:
            if s.get(JobClaim, (self.ctx.region_id, task.key_date, task.kind)) is not None:
                return None
        t = timing(task, now, task.grace)
        t = Timing.ON_TIME if t == Timing.FUTURE else t
        try:
            with self.ctx.tx() as s:
                s.add(JobClaim(region_id=self.ctx.region_id, key_date=task.key_date, kind=task.kind,
                               claimed_at=now, claimed_by=self.owner, timing=str(t)))
                s.flush()
                if t != Timing.MISSED:
                    task.run(self.ctx, s, t)
        except IntegrityError:
            return None
        log.info("task %s of %s: %s", task.kind, task.key_date, t)
        return t

    def claims(self) -> list[JobClaim]:
        with self.ctx.sf() as s:
            return list(s.scalars(select(JobClaim).where(JobClaim.region_id == self.ctx.region_id)
                                  .order_by(JobClaim.claimed_at)))
