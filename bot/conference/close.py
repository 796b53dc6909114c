"""Close control of the open conference: the warning `close_warning_minutes` before the
close (with `Förläng 15 min` and `Avsluta nu` for the leader), `/samverkan förläng
<minuter>` and `/samverkan avsluta`.

An ordinary conference closes at its scheduled time (the calendar's CLOSE occurrence)
unless it was extended: then a CloseControl row holds the new time, the calendar's
close leaves it open, and the task source below closes it at the new time. Each
extension gives a new warning (its claim key holds the closing time).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.activation import flows as activation_flows
from bot.audit.service import record
from bot.conference import opening, target
from bot.conference import service as conference_service
from bot.conference.close_models import CloseControl
from bot.conference.leader import require_leader
from bot.conference.models import ACTIVATED, OPEN, ORDINARY, Conference
from bot.context import BotContext
from bot.floor import flows as floor_flows
from bot.floor import service as floor_service
from bot.floor.state import TURN
from bot.reply import Refusal, Reply
from bot.schedule.calendar import Timing
from bot.schedule.tasks import Task
from bot.slack import blocks as bk
from bot.slack import outbox
from bot.slack.text import user_mention
from bot.summary import flows as summary_flows

EXTEND_ACTION, CLOSE_ACTION = "close_extend", "close_now"
BUTTON_MINUTES = 15
MAX_MINUTES = 240


def scheduled_close(ctx: BotContext, conf: Conference) -> datetime | None:
    if conf.kind != ORDINARY or conf.scheduled_at is None:
        return None
    return conf.scheduled_at + timedelta(minutes=ctx.cfg.conference.duration_minutes)


def closes_at(ctx: BotContext, s: Session, conf: Conference) -> datetime | None:
    """When the conference closes (None: it has no set close, as in aktiverat läge)."""
    control = s.get(CloseControl, conf.id)
    return control.closes_at if control is not None else scheduled_close(ctx, conf)


def postponed(ctx: BotContext, s: Session, conf: Conference, now: datetime) -> bool:
    """True when the conference was extended past `now` (the calendar's close then waits)."""
    control = s.get(CloseControl, conf.id)
    return control is not None and control.closes_at > now


def not_heard(s: Session, conf: Conference) -> int:
    """How many actors are still waiting for the floor."""
    floor = floor_service.get(s, conf.id)
    if floor is None:
        return 0
    state = floor_service.state_of(floor)
    return len({e.actor for e in state.waiting if e.kind == TURN})


# ---- closing ---------------------------------------------------------------------------

def close(ctx: BotContext, s: Session, conf: Conference, by: str | None = None) -> None:
    """Closes an open ordinary conference: the floor keeps its final state and the samlad
    lägesbild is posted in the thread. It says itself that the conference is over (its
    head gives the time it opened and closed), and so does the headline's closed note:
    a separate closing line would only say it a third time, for one more Slack call."""
    now = ctx.now()
    conference_service.mark_closed(conf, now)
    control = s.get(CloseControl, conf.id)
    if by is not None:
        control = control or _control(ctx, s, conf)
        control.closed_by = by
    if control is not None and control.warned_for is not None:
        _settle_warning(ctx, s, conf, control, "close_warning_closed", by)
    floor_flows.on_close(ctx, s, conf)
    summary_flows.on_close(ctx, s, conf)


def _control(ctx: BotContext, s: Session, conf: Conference) -> CloseControl:
    control = s.get(CloseControl, conf.id)
    if control is None:
        control = CloseControl(conference_id=conf.id, closes_at=scheduled_close(ctx, conf) or ctx.now())
        s.add(control)
        s.flush()
    return control


def _open_conference(ctx: BotContext, s: Session, conference_id: int | None) -> Conference:
    if conference_id is not None:
        conf = s.get(Conference, conference_id)
        if conf is None or conf.region_id != ctx.region_id or conf.status != OPEN:
            raise Refusal("close_not_open")
        return conf
    conf = target.open_now(s, ctx.region_id)  # an activated conference before the ordinary one
    if conf is None:
        raise Refusal("close_not_open")
    return conf


# ---- what the leader does ----------------------------------------------------------------

def parse_minutes(text: str) -> int:
    word = (text or "").strip().lower().removesuffix("min").removesuffix("minuter").strip()
    if not word:
        return BUTTON_MINUTES
    if not word.isdigit() or not 1 <= int(word) <= MAX_MINUTES:
        raise Refusal("close_bad_minutes", text=text.strip(), limit=MAX_MINUTES)
    return int(word)


def extend(ctx: BotContext, user: str, minutes: int, conference_id: int | None = None) -> Reply:
    """Moves the open conference's close `minutes` later; the opening, the floor and the
    warning show the new time, and a new warning comes before it."""
    r, now = ctx.renderer, ctx.now()
    with ctx.tx() as s:
        require_leader(s, ctx.cfg, ctx.region_id, user)
        conf = _open_conference(ctx, s, conference_id)
        if conf.kind == ACTIVATED:
            raise Refusal("close_activated_no_close")
        control = _control(ctx, s, conf)
        base = max(control.closes_at, now)
        control.closes_at = base + timedelta(minutes=minutes)
        control.extended_minutes += minutes
        control.extended_by = user
        if control.warned_for is not None:
            _settle_warning(ctx, s, conf, control, "close_warning_extended", user)
        outbox.post(s, now, conf.channel, r.t("close_extended_fallback", at=control.closes_at),
                    bk.sections(r.t("close_extended_thread", minutes=minutes, at=control.closes_at,
                                    who=user_mention(user))), thread_ref=conf.ref)
        opening.refresh_close(ctx, s, conf, control.closes_at)
        record(s, now, "conference.extend", region_id=ctx.region_id, user_id=user, subject=conf.ref,
               minutes=minutes, closes_at=control.closes_at.isoformat())
        return Reply(r.t("close_extended_reply", minutes=minutes, at=control.closes_at))


def close_now(ctx: BotContext, user: str, conference_id: int | None = None) -> Reply:
    """`/samverkan avsluta` or `Avsluta nu`: the open conference closes now, with its
    samlad lägesbild. An activated conference is deactivated (a koordinator's right)."""
    r = ctx.renderer
    with ctx.tx() as s:
        require_leader(s, ctx.cfg, ctx.region_id, user)
        conf = _open_conference(ctx, s, conference_id)
        if conf.kind == ORDINARY:
            close(ctx, s, conf, by=user)
            record(s, ctx.now(), "conference.close_early", region_id=ctx.region_id, user_id=user, subject=conf.ref)
            return Reply(r.t("close_closed_reply", week=conf.iso_week))
    return _deactivate(ctx, user)


def _deactivate(ctx: BotContext, user: str) -> Reply:
    return Reply(activation_flows.deactivate(ctx, user, ""))



# ---- the warning ---------------------------------------------------------------------------

def _warning_payload(ctx: BotContext, s: Session, conf: Conference, control_or_at, *, settled: str | None = None,
                     by: str | None = None) -> dict:
    r = ctx.renderer
    at = control_or_at if isinstance(control_or_at, datetime) else control_or_at.closes_at
    if settled is None:
        body = r.t("close_warning", at=at, minutes=ctx.cfg.conference.close_warning_minutes,
                   waiting=not_heard(s, conf))
        blocks = [*bk.sections(body), bk.actions(
            bk.button(r.t("close_button_extend", minutes=BUTTON_MINUTES), EXTEND_ACTION, str(conf.id),
                      style="primary"),
            bk.button(r.t("close_button_now"), CLOSE_ACTION, str(conf.id)), block_id=f"closewarn:{conf.id}")]
    else:
        blocks = bk.sections(r.t(settled, who=user_mention(by) if by else "", at=at))
    return {"text": bk.fallback(r.t("close_warning_fallback", at=at)), "blocks": blocks}


def _settle_warning(ctx: BotContext, s: Session, conf: Conference, control: CloseControl, key: str,
                    by: str | None) -> None:
    """The warning message loses its buttons and says what became of it."""
    ref = control.warning_ref(control.warned_for)
    if outbox.is_queued(s, ref):
        payload = _warning_payload(ctx, s, conf, control, settled=key, by=by)
        outbox.update(s, ctx.now(), ref, payload["text"], payload["blocks"])
    control.warned_for = None


def _warn(conference_id: int, at: datetime):
    def run(ctx: BotContext, s: Session, timing: Timing) -> None:
        conf = s.get(Conference, conference_id)
        if conf is None or conf.status != OPEN or closes_at(ctx, s, conf) != at:
            return
        control = _control(ctx, s, conf)
        control.warned_for = at
        payload = _warning_payload(ctx, s, conf, at)
        outbox.post(s, ctx.now(), conf.channel, payload["text"], payload["blocks"], ref=control.warning_ref(at),
                    thread_ref=conf.ref)

    return run


def _close_at(conference_id: int, at: datetime):
    def run(ctx: BotContext, s: Session, timing: Timing) -> None:
        conf = s.get(Conference, conference_id)
        if conf is None or conf.status != OPEN or closes_at(ctx, s, conf) != at:
            return
        close(ctx, s, conf)

    return run


def close_tasks(ctx: BotContext, start: datetime, end: datetime) -> list[Task]:
    """The warning before the close of each open ordinary conference, and the close of
    an extended one (the calendar closes the others)."""
    tasks = []
    warn = timedelta(minutes=ctx.cfg.conference.close_warning_minutes)
    with ctx.sf() as s:
        confs = s.scalars(select(Conference).where(Conference.region_id == ctx.region_id, Conference.status == OPEN,
                                                   Conference.kind == ORDINARY)).all()
        for conf in confs:
            at = closes_at(ctx, s, conf)
            if at is None:
                continue
            stamp, day = int(at.timestamp()), at.astimezone(ctx.cfg.tz).date()
            if warn and start <= at - warn < end:
                tasks.append(Task(day, f"close_warning:{conf.id}:{stamp}", at - warn, _warn(conf.id, at), grace=warn))
            if at != scheduled_close(ctx, conf) and start <= at < end:
                tasks.append(Task(day, f"close:{conf.id}:{stamp}", at, _close_at(conf.id, at)))
    return tasks
