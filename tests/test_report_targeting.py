"""Which conference a report goes to (bot.report.targeting), beyond the first weeks the
lookup reads in one query, and the remembered calendar staying right as time passes."""
from __future__ import annotations

from datetime import datetime, timedelta

from bot.conference import service as conference_service
from bot.conference.models import CLOSED, SKIPPED
from bot.db.base import make_session_factory
from bot.region.service import sync_region
from bot.report.targeting import Conferences, first_occurrences, open_occurrences


def _region(engine, cfg, now):
    sf = make_session_factory(engine)
    with sf.begin() as s:
        return sf, sync_region(s, cfg, now).id


def test_the_remembered_openings_are_those_of_the_calendar_at_every_moment(region_cfg):
    start = datetime(2026, 12, 1, 9, 0, tzinfo=region_cfg.tz)
    for hours in range(0, 24 * 40, 7):  # through Christmas and the new year, seven hours at a time
        since = start + timedelta(hours=hours)
        fresh = [o for _, o in zip(range(3), open_occurrences(region_cfg, since))]
        assert first_occurrences(region_cfg, since) == fresh, since
    # and back in time (a test clock may go back): asked anew, not served from later
    assert first_occurrences(region_cfg, start) == [o for _, o in zip(range(3), open_occurrences(region_cfg, start))]


def test_a_report_goes_past_every_ended_week_to_the_first_that_has_not_ended(engine, region_cfg):
    now = datetime(2026, 12, 1, 9, 0, tzinfo=region_cfg.tz)
    sf, region_id = _region(engine, region_cfg, now)
    weeks = [o for _, o in zip(range(5), open_occurrences(region_cfg, now - timedelta(hours=1)))]
    with sf.begin() as s:
        for occ, status in zip(weeks[:4], (SKIPPED, CLOSED, SKIPPED, SKIPPED)):
            conf = conference_service.get_or_create_ordinary(s, region_id, region_cfg.channel, *occ.iso_week, now)
            conf.status = status
    with sf.begin() as s:
        target = Conferences(s, region_id, region_cfg, now).target()
        assert (target.conference.iso_year, target.conference.iso_week) == weeks[4].iso_week
        assert target.conference.scheduled_at == weeks[4].at
