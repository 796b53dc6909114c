"""The one place that schedules: APScheduler 3 fires each occurrence of the calendar,
and a claim row in the database makes sure it happens once across processes/restarts.

APScheduler's job store is in memory on purpose (a shared job store runs jobs twice);
the database claim is the source of truth. On start, and every few minutes, the runner
looks back over recent occurrences it has not claimed yet (the bot was down) and handles
them late, or as missed once `grace_minutes` have passed.

No stored value may stop the scheduler: an occurrence, task or task source that raises
is logged once (with its traceback), skipped, and the rest run. Its claim is rolled back
with its work, so it is tried again at the next tick (a database that was away comes
back), quietly.
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
from bot.schedule import tasks
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
        self._failed: set[str] = set()  # what has failed and been logged once
        self.interval = REPLAN_EVERY
        self.started_at: datetime | None = None  # /healthz: when start() ran
        self.last_tick: datetime | None = None  # /healthz, /metrics: when tick() last finished
        # Upkeep run at the end of every tick, each `job(now)` on its own (retention, Slack probe).
        self.housekeeping: list[Callable[[datetime], None]] = []

    # ---- the APScheduler side ---------------------------------------------------------
    def start(self) -> None:
        self._aps = BackgroundScheduler(timezone=self.ctx.cfg.tz,
                                        job_defaults={"coalesce": True, "max_instances": 1,
                                                      "misfire_grace_time": None})
        self._aps.start()
        self.started_at = self.ctx.now()
        self.tick()
        self._aps.add_job(self.tick, "interval", seconds=self.interval.total_seconds(), id="replan")

    def shutdown(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None

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
            for task in self._tasks(source, now - LOOKBACK, now + timedelta(microseconds=1)):
                result = self.fire_task(task, now)
                if result is not None:
                    done.append((task, result))
        aps = self._aps
        if aps is not None:
            try:
                self._plan(aps, now)
            except Exception:  # noqa: BLE001 - see the module doc
                self._log_failure("planning")
        for job in self.housekeeping:
            try:
                job(now)
            except Exception:  # noqa: BLE001 - upkeep must not stop the calendar
                log.exception("housekeeping %s failed", getattr(job, "__name__", type(job).__name__))
        self.last_tick = self.ctx.now()
        return done

    def _plan(self, aps: BackgroundScheduler, now: datetime) -> None:
        for occ in next_occurrences(self.ctx.cfg.conference, self.ctx.cfg.tz, now, horizon=HORIZON):
            aps.add_job(self.fire, "date", run_date=occ.at, args=[occ], replace_existing=True,
                        id=f"{occ.key_date}:{occ.kind}")
        for source in self.sources:
            for task in self._tasks(source, now, now + HORIZON):
                aps.add_job(self.fire_task, "date", run_date=task.at, args=[task],
                        replace_existing=True, id=f"{task.key_date}:{task.kind}")

    def _tasks(self, source: TaskSource, start: datetime, end: datetime) -> list[Task]:
        token = tasks.skipped.set(self._log_failure)
        try:
            return source(self.ctx, start, end)
        except Exception:  # noqa: BLE001 - one broken source must not stop the others
            self._log_failure(f"source {getattr(source, '__name__', source)}")
            return []
        finally:
            tasks.skipped.reset(token)

    def _log_failure(self, what: str) -> None:
        if what in self._failed:
            log.debug("%s failed again; skipped", what)
            return
        self._failed.add(what)
        log.error("%s failed; skipped (tried again quietly at each tick)", what, exc_info=True)

    # ---- one occurrence -----------------------------------------------------------------
    def fire(self, occ: Occurrence, now: datetime | None = None) -> Timing | None:
        """Claims and runs one occurrence; None if it was claimed before (here or elsewhere)
        or if it failed (logged once)."""
        try:
            return self._fire(occ, now or self.ctx.now())
        except Exception:  # noqa: BLE001 - see the module doc
            self._log_failure(f"{occ.kind} of {occ.key_date}")
            return None

    def _fire(self, occ: Occurrence, now: datetime) -> Timing | None:
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
        """Claims and runs one task of a task source; None if claimed before or if it
        failed (logged once)."""
        try:
            return self._fire_task(task, now or self.ctx.now())
        except Exception:  # noqa: BLE001 - see the module doc
            self._log_failure(f"task {task.kind} of {task.key_date}")
            return None

    def _fire_task(self, task: Task, now: datetime) -> Timing | None:
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
