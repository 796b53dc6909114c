"""The weekly automatic summary: one digest a week at the region's digest time, with the
week's conferences, open and overdue items per actor, participation, and a PNG chart
uploaded with Slack's external upload methods."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from sqlalchemy import select

from bot.conference.models import ACTIVATED, CLOSED, Conference
from bot.schedule.models import JobClaim
from bot.summary.digest import covered_week
from bot.summary.schedule import digest_tasks
from tests.test_summary_support import add_report, at, atgard, close_conference, open_conference, text_of


def _digests(bot) -> list[dict]:
    return [m for m in bot.emu.messages(bot.cfg.channel) if m["text"].startswith("Veckosammanfattning")]


def test_digest_on_friday_with_conferences_items_participation_and_chart(bot):
    conf = open_conference(bot)
    for key in ("polisen", "trafikverket", "tyreso"):
        add_report(bot, conf.id, key, {"lage": "Lugnt."})
    atgard(bot, "trafikverket Samordna information om vägläget senast idag")
    atgard(bot, "polisen Förstärk bevakningen senast 2026-12-10")
    atgard(bot, "polisen Ta fram underlag")
    close_conference(bot)
    with bot.ctx.tx() as s:  # an activated conference the same week
        s.add(Conference(region_id=bot.ctx.region_id, kind=ACTIVATED, year=2026, number=2, iso_year=2026, iso_week=48,
                         status=CLOSED, channel=bot.cfg.channel, opened_at=at(7, 0, day=24),
                         closed_at=at(12, 0, day=24), reason="Snöoväder", created_at=at(7, 0, day=24)))

    bot.tick(at(8, 59, day=27))
    assert _digests(bot) == []
    bot.tick(at(9, 0, day=27))
    digests = _digests(bot)
    assert len(digests) == 1
    body = text_of(digests[0])
    assert "Veckosammanfattning v. 48" in body
    assert "*Ordinarie konferens v. 48*, torsdag 26 november 2026: 3 av 37 aktörer rapporterade" in body
    assert ":rotating_light: *Aktiverat läge nr 2* (Snöoväder)" in body
    assert "*Rapporterade inte v. 48* (34):" in body and "SOS Alarm" in body
    assert "*Öppna åtgärdspunkter per aktör* (3, varav 1 försenade)" in body
    per_actor = body.split("*Öppna åtgärdspunkter per aktör*")[1]
    assert per_actor.index("*Trafikverket*") < per_actor.index("*Polisregion Stockholm*")  # overdue first
    assert ":warning: *Försenad* · *#1 Trafikverket*" in per_actor

    files = bot.emu.files
    assert len(files) == 1
    f = files[0]
    assert f["bytes"][:8] == b"\x89PNG\r\n\x1a\n" and 2_000 < len(f["bytes"]) < 200_000
    assert f["filename"] == "rapportering-2026-v48.png" and f["channel"] == bot.cfg.channel
    assert f["title"] == "Rapportering v. 37–48"
    calls = [c.method for c in bot.emu.calls]
    assert "files.getUploadURLExternal" in calls and "files.completeUploadExternal" in calls
    shared = [m for m in bot.emu.messages(bot.cfg.channel) if m.get("files")]
    assert len(shared) == 1 and "de senaste 12 veckorna" in shared[0]["text"]

    bot.tick(at(12, 0, day=27))
    assert len(_digests(bot)) == 1 and len(bot.emu.files) == 1  # once a week
    with bot.ctx.sf() as s:
        assert s.scalars(select(JobClaim.key_date).where(JobClaim.kind == "digest")).all() == [date(2026, 11, 27)]


def test_digest_time_and_switch_from_the_region_file(bot):
    ctx = bot.ctx
    week = (at(0, 0, day=23), at(0, 0, day=30))
    assert [(t.kind, t.at) for t in digest_tasks(ctx, *week)] == [("digest", at(9, 0, day=27))]
    monday = bot.cfg.model_copy(update={"digest": bot.cfg.digest.model_copy(update={"weekday": 0, "time": time(7, 30)})})
    assert [t.at for t in digest_tasks(replace(ctx, cfg=monday), *week)] == [at(7, 30, day=23)]
    off = bot.cfg.model_copy(update={"digest": bot.cfg.digest.model_copy(update={"enabled": False})})
    assert digest_tasks(replace(ctx, cfg=off), *week) == []
    # a Monday digest reports on the week before; a Friday one on its own week
    assert covered_week(date(2026, 11, 30), time(9), 3, time(16)) == (2026, 48)
    assert covered_week(date(2026, 11, 27), time(9), 3, time(16)) == (2026, 48)
    assert covered_week(date(2026, 11, 26), time(9), 3, time(16)) == (2026, 47)  # before that day's conference
    assert covered_week(date(2026, 11, 26), time(18), 3, time(16)) == (2026, 48)


def test_digest_of_an_empty_week_still_has_its_chart(bot):
    bot.tick(at(9, 5, day=27))
    body = text_of(_digests(bot)[0])
    assert "Inga öppna åtgärdspunkter." in body
    assert len(bot.emu.files) == 1
