"""Lägesbild flows: the core (service) + messages + outbox.

A submission is one transaction: who may report, which conference, the new version, the
thread message (if the conference is open) and the audit entry commit together, so what a
person submitted is stored before anything is posted, and nothing is stored on a refusal.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Callable, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import values
from bot.audit import service as audit
from bot.conference import service as conference_service
from bot.conference.models import OPEN, Conference
from bot.context import BotContext
from bot.db.writer import Group
from bot.floor import flows as floor_flows
from bot.region import resolve
from bot.region.service import Membership, actor_members, known_memberships, memberships, region_actor
from bot.report import fields as F
from bot.report import messages, modal, service
from bot.reply import Refusal, Reply
from bot.report.messages import Submitted
from bot.report.routing import NOTHING, Command, parse_decoded
from bot.report.service import Stored
from bot.report.targeting import ENDED, ConferenceInfo, Conferences, NoConference, Target
from bot.schedule.calendar import Occurrence, Timing, week_plan
from bot.slack import outbox

log = logging.getLogger(__name__)
T = TypeVar("T")
_ATTEMPTS = 3  # two people of one actor submitting at the same moment: the second retries


def _in_tx(ctx: BotContext, work: Callable[[Session, Group], T], wants: tuple = ()) -> T:
    """A submission through the group writer (a burst of reports shares transactions)."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return ctx.write(work, wants)
        except IntegrityError:
            if attempt == _ATTEMPTS:
                raise
            log.info("report submission collided with another one; retrying (%d)", attempt)
    raise AssertionError("unreachable")


def button_value(actor_key: str, conference_id: int | None) -> str:
    return json.dumps({"a": actor_key, "c": conference_id}, separators=(",", ":"))


def parse_button_value(value: str | None) -> tuple[str, int | None]:
    """(actor key, conference id) from the button; anything else is refused (bot.values)."""
    data = values.json_value(value, a=str, c="int?")
    return data["a"], data["c"]


# ---- submitting ---------------------------------------------------------------------------

def submit_quick(ctx: BotContext, user_id: str, cmd: Command) -> Reply:
    """`/lagesbild <text>` and `/lagesbild inget` (also with `ordinarie`); a person who is
    tib of several actors names the actor first (`/lagesbild sos-alarm: text`)."""
    return _confirmed(ctx, _in_tx(ctx, lambda s, group: _quick(ctx, s, group, user_id, cmd),
                                  _wants(ctx, user_id)))


def _wants(ctx: BotContext, user_id: str) -> tuple:
    """The current reports a submission will read (those of every actor the person may
    report for), so a burst of reports reads them in one query (bot.db.writer)."""
    return tuple(w for m in known_memberships(ctx.sf, ctx.region_id, user_id) or () for w in service.wants(m.actor_id))


def _confirmed(ctx: BotContext, done: Submitted, then: Callable[[], None] | None = None) -> Reply:
    def after() -> None:
        after_submit(ctx, done)
        if then is not None:
            then()

    # before the meeting a report causes nothing more: no work handed to another thread
    needed = done.floor_update is not None or then is not None
    return Reply(messages.confirmation(ctx.renderer, done), after=after if needed else None)


def _quick(ctx: BotContext, s: Session, group: Group, user_id: str, cmd: Command) -> Submitted:
    tib = service.reporter_memberships(s, ctx.region_id, user_id)
    confs = _conferences(ctx, s, group)
    command = cmd if confs.activated_running else cmd.without_keyword()
    text, nothing_new = command.text, command.verb == NOTHING
    if len(tib) == 1:
        member = tib[0]
    else:
        member, text = service.split_actor_prefix(tib, text)
        if member is None:
            raise Refusal("report_refused_choose_actor", first=tib[0].actor_key,
                          actors=", ".join(f"{m.actor_key} ({m.actor_name})" for m in tib))
        nothing_new = parse_decoded(text).verb == NOTHING
    if not nothing_new:
        if not F.has_words(text):
            raise Refusal("report_refused_empty")
        if len(text.strip()) > F.MAX_CHARS:
            raise Refusal("report_refused_too_long", length=len(text.strip()), max=F.MAX_CHARS)
    target = _target(confs, ordinary=command.ordinary)
    return _store(ctx, s, group, user_id, member, target, fields={} if nothing_new else {F.QUICK_FIELD: text},
                  status=None, nothing_new=nothing_new, only_quick_field=not nothing_new)


def submit_modal(ctx: BotContext, user_id: str, metadata: str, values: dict[str, Any],
                 refresh_home: Callable[[], None] | None = None) -> Reply:
    """The modal's submission (`values`: the view's state). A problem with an input is a
    Refusal about that input; the confirmation replaces the modal. `refresh_home` (a Slack
    call) runs afterwards when the modal came from the App Home."""
    meta = modal.Meta.load(metadata)
    fields, status, nothing_new = modal.read_submission(values)
    for key, (text_key, kw) in service.validation_errors(F.clean(fields), status, nothing_new).items():
        raise Refusal(text_key, field=key, **kw)

    def work(s: Session, group: Group) -> Submitted:
        member = service.reporter_for(s, ctx.region_id, user_id, meta.actor_id)
        target = _target(_conferences(ctx, s, group), ordinary=meta.ordinary, conference_id=meta.conference_id)
        return _store(ctx, s, group, user_id, member, target, fields=fields, status=status, nothing_new=nothing_new)

    def submitted() -> Reply:
        reply = _confirmed(ctx, _in_tx(ctx, work, _wants(ctx, user_id)), refresh_home if meta.from_home else None)
        return Reply(view=modal.message_view(ctx.renderer, reply.text), after=reply.after)

    return _said_in_modal(ctx, submitted)


def _conferences(ctx: BotContext, s: Session, group: Group | None = None) -> Conferences:
    """The conferences a report could go to; once per transaction in a group of writes."""
    if group is None:
        return Conferences(s, ctx.region_id, ctx.cfg, ctx.now())
    return group.memo(("conferences", ctx.region_id), lambda: Conferences(s, ctx.region_id, ctx.cfg, ctx.now()))


def _target(confs: Conferences, **kw) -> Target:
    try:
        return confs.target(**kw)
    except NoConference:
        raise Refusal("report_refused_no_conference") from None


def _store(ctx: BotContext, s: Session, group: Group, user_id: str, member: Membership, target: Target, *,
           fields: dict[str, str], status: str | None, nothing_new: bool, only_quick_field: bool = False) -> Submitted:
    now = ctx.now()
    conf = target.conference
    # the actor's current report there: read with those of the group's other reports, in one
    # query, and kept up to date for them (an actor reporting twice in one transaction)
    kind = ("current_report", conf.id)
    current = group.batch(kind, member.actor_id, lambda ids: service.currents(s, conf.id, ids),
                          wanted=service.REPORTER)
    stored = service.submit(s, conf, member.actor_id, user_id, now, fields=fields, status=status,
                            nothing_new=nothing_new, current=current, only_quick_field=only_quick_field,
                            new=service.new_report(member.actor_id))
    group.remember(kind, member.actor_id, stored.current())
    audit.record(s, now, "report.submitted", region_id=ctx.region_id, user_id=user_id, subject=stored.ref,
                 conference_id=conf.id, actor=member.actor_key, version=stored.version, nothing_new=nothing_new,
                 moved_from=target.moved_from.id if target.moved_from else None)
    kept = only_quick_field and stored.revised and any(k != F.QUICK_FIELD for k in stored.fields)
    return Submitted(member.actor_name, ConferenceInfo.of(conf), stored.version, stored.revised, nothing_new,
                   target.moved_from, kept,
                   floor_update=(conf.id, member.actor_id) if conf.status == OPEN else None)


def after_submit(ctx: BotContext, outcome: Submitted) -> None:
    """What a report stored during the meeting causes beyond itself, queued to run after
    the person got their answer (the report is committed before that answer): its message
    in the conference thread is posted or edited, and the speaking order hears of it, in
    batches (a burst of reports is one transaction, and an actor's message shows its latest
    version once), outside the report's transaction, so the ack waits for neither."""
    if outcome.floor_update is None:
        return
    conference_id, actor_id = outcome.floor_update
    ctx.follow_up_batch(("floor", conference_id), actor_id,
                        lambda actor_ids: _reports_arrived(ctx, conference_id, actor_ids))


def _reports_arrived(ctx: BotContext, conference_id: int, actor_ids: list[int]) -> None:
    with ctx.tx() as s:
        conf = s.get(Conference, conference_id)
        if conf is None:
            return
        if conf.status == OPEN:
            reports = service.reports_of(s, conf.id, list(dict.fromkeys(actor_ids)))  # one query for a burst
            for report in reports:
                publish(ctx, s, conf, report.actor.name, Stored.of(report))
        floor_flows.on_reports(ctx, s, conf, actor_ids)


def publish_missing(ctx: BotContext) -> None:
    """After a restart during a meeting: a report whose message was still to be queued
    when the process stopped (the report was stored, the thread had not heard of it yet)
    is posted now. Run once at start-up, after the person-facing work."""
    with ctx.tx() as s:
        for conf in conference_service.open_conferences(s, ctx.region_id):
            for report in service.reports_for(s, conf.id):
                if not outbox.is_queued(s, Stored.of(report).page_ref(1)):
                    publish(ctx, s, conf, report.actor.name, Stored.of(report))


# ---- the report in the conference thread --------------------------------------------------

def _pages_queued(s: Session, report: Stored) -> int:
    if not outbox.is_queued(s, report.page_ref(1)):
        return 0
    n = 1
    while outbox.is_queued(s, report.page_ref(n + 1)):
        n += 1
    return n


def publish(ctx: BotContext, s: Session, conf: Conference, actor_name: str, report: Stored) -> None:
    """Posts the actor's report into the conference thread, or edits it there (never a
    second post). A report longer than one message continues in further replies, each with
    its own ref; a revision that needs fewer of them empties the rest."""
    r, now = ctx.renderer, ctx.now()
    text, pages = messages.report_pages(
        r, ConferenceInfo.of(conf), actor_name, fields=report.fields, status=report.status,
        nothing_new=report.nothing_new, needs=report.needs_coordination, version=report.version,
        submitted_at=report.submitted_at)
    if not report.revised:  # a first version: nothing of it can have been queued yet
        for n, page in enumerate(pages, start=1):
            outbox.post(s, now, conf.channel, text, page, ref=report.page_ref(n), thread_ref=conf.ref)
        return
    before = _pages_queued(s, report)
    for n, page in enumerate(pages, start=1):
        outbox.post_or_update(s, now, conf.channel, report.page_ref(n), text, page, thread_ref=conf.ref)
    for n in range(len(pages) + 1, before + 1):
        outbox.update(s, now, report.page_ref(n), text, messages.replaced_page(r, actor_name))


def on_open(ctx: BotContext, s: Session, conf: Conference) -> None:
    """Called when a conference opens, after its root message is queued: posts the
    reports submitted before the opening into the thread."""
    for report in service.reports_for(s, conf.id):
        publish(ctx, s, conf, report.actor.name, Stored.of(report))


# ---- the reminder ----------------------------------------------------------------------------

def remind(ctx: BotContext, s: Session, occ: Occurrence, timing: Timing) -> None:
    """The reminder occurrence: one DM to the tib members of each actor without a report
    (an "inget nytt" is a report). Nothing when the region has reminders off."""
    if ctx.cfg.conference.reminder is None:
        return
    now = ctx.now()
    opens = week_plan(ctx.cfg.conference, ctx.cfg.tz, *occ.iso_week).opens_at
    conf = conference_service.get_or_create_ordinary(s, ctx.region_id, ctx.cfg.channel, *occ.iso_week, now,
                                                     held_on=occ.held_on, holiday=occ.holiday)
    if conf.scheduled_at is None:
        conf.scheduled_at = opens
    if conf.status in ENDED:
        return
    info = ConferenceInfo.of(conf)
    sent = 0
    for actor in service.actors_without_report(s, ctx.region_id, conf.id):
        payload = messages.reminder(ctx.renderer, info, actor.name, button_value(actor.key, conf.id))
        for user_id in actor_members(s, actor.id, service.REPORTER_ROLE):
            outbox.post(s, now, user_id, **payload)
            sent += 1
    audit.record(s, now, "report.reminded", region_id=ctx.region_id, subject=conf.ref, messages=sent,
                 timing=str(timing))


# ---- modal, status and App Home (read only) ---------------------------------------------------

def _said_in_modal(ctx: BotContext, make: Callable[[], Reply]) -> Reply:
    """A modal's answer, or why not in a modal of its own: a button opens a modal, so the
    person looks for the answer there (a DM's button has nowhere else to say it)."""
    try:
        return make()
    except Refusal as e:
        return Reply.modal(modal.message_view(ctx.renderer, ctx.renderer.t(e.key, **e.values)))


def open_modal(ctx: BotContext, user_id: str, *, ordinary: bool = False) -> Reply:
    """`/lagesbild`: the modal for the person's first actor."""
    return Reply.modal(modal_for(ctx, user_id, ordinary=ordinary))


def choose_actor(ctx: BotContext, user_id: str, metadata: str, actor_value: str | None) -> Reply:
    """The actor chosen in the modal: the same modal, for that actor."""
    meta = modal.Meta.load(metadata)
    actor_id = values.record_id(actor_value)
    return _said_in_modal(ctx, lambda: Reply.modal(modal_for(
        ctx, user_id, actor_id=actor_id, conference_id=meta.conference_id, ordinary=meta.ordinary,
        from_home=meta.from_home)))


def open_from_button(ctx: BotContext, user_id: str, value: str | None, *, from_home: bool) -> Reply:
    """The "Rapportera lägesbild" button (reminder DM, App Home)."""
    actor_key, conference_id = parse_button_value(value)
    return _said_in_modal(ctx, lambda: Reply.modal(modal_for(ctx, user_id, actor_key=actor_key,
                                                             conference_id=conference_id, from_home=from_home)))


def modal_for(ctx: BotContext, user_id: str, *, actor_id: int | None = None, actor_key: str | None = None,
              conference_id: int | None = None, ordinary: bool = False, from_home: bool = False) -> dict[str, Any]:
    """The modal for one of the person's actors (the first, unless one is named), filled in
    from that actor's latest report. Raises Refusal if the person may not report."""
    with ctx.sf() as s:
        tib = service.reporter_memberships(s, ctx.region_id, user_id)
        member = tib[0]
        if actor_key is not None or actor_id is not None:
            member = next((m for m in tib if m.actor_key == actor_key or m.actor_id == actor_id), None)
            if member is None:
                actor = (resolve.actor(s, ctx.region_id, actor_key) if actor_key is not None
                         else region_actor(s, ctx.region_id, actor_id))
                raise Refusal("report_refused_not_tib_for", actor=actor.name if actor else (actor_key or actor_id))
        confs = _conferences(ctx, s)
        ordinary = ordinary and confs.activated_running
        target = _target(confs, ordinary=ordinary, conference_id=conference_id, create=False)
        meta = modal.Meta(member.actor_id, target.conference.id if target.conference else None, ordinary, from_home)
        return modal.report_view(ctx.renderer, meta=meta, actor=member, actors=tib, info=target.info,
                                 prefill=service.prefill(s, member.actor_id))


def status(ctx: BotContext, user_id: str, *, ordinary: bool = False) -> Reply:
    """`/lagesbild status`: who has reported, for anyone (one page per message)."""
    with ctx.sf() as s:
        target = _target(_conferences(ctx, s), ordinary=ordinary, create=False)
        statuses = service.overview(s, ctx.region_id, target.conference.id if target.conference else None)
        text, pages = messages.status_overview(ctx.renderer, target.info, statuses)
    return Reply.pages([{"text": text, "blocks": page} for page in pages])


def home_blocks(ctx: BotContext, user_id: str) -> list[dict[str, Any]]:
    """App Home: for each of the viewer's actors, its report to the current conference and
    (for a tib) a button that opens the modal. Empty for someone who is no member."""
    with ctx.sf() as s:
        mine = memberships(s, ctx.region_id, user_id)
        if not mine:
            return []
        try:
            target = _conferences(ctx, s).target(create=False)
        except NoConference:
            return []
        conf_id = target.conference.id if target.conference else None
        blocks: list[dict[str, Any]] = [*messages.home_title(ctx.renderer)]
        for m in mine:
            report = service.find_report(s, conf_id, m.actor_id) if conf_id is not None else None
            blocks += messages.home_entry(ctx.renderer, target.info, m.actor_name, report,
                                          service.REPORTER_ROLE in m.roles, button_value(m.actor_key, conf_id))
        return blocks
