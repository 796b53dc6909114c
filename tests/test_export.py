"""`samverkan export --week … --format md|html`: the week's conferences, reports, summary
and items for the archive, read from DATABASE_URL / SAMVERKAN_CONFIG like the real command."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cases import service as cases
from bot.cases.models import Case
from bot.cli import main
from tests.after_support import new_view, samverkan
from tests.test_after_http import _raise, _scores
from tests.conftest import REGION_FILE
from tests.test_summary_support import add_report, atgard, close_conference, item_message, open_conference


@pytest.fixture
def week48(bot, database_url, monkeypatch):
    """A held week 48: reports (one with HTML in it), an acknowledged item, a raised point."""
    conf = open_conference(bot)
    add_report(bot, conf.id, "polisen", {"lage": "Ökad närvaro <script>alert(1)</script> & mer",
                                         "behov": "Samordnad information"}, status="påverkad")
    add_report(bot, conf.id, "tyreso", nothing_new=True, status=None)
    atgard(bot, "trafikverket Samordna information om vägläget senast fredag")
    msg = item_message(bot, 1)
    bot.slack.block_action("U0TRV001", "action_ack", message=msg, channel_id=msg["channel"])
    bot.drain()
    atgard(bot, "lyft Vinterberedskap i regionen")
    close_conference(bot)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SAMVERKAN_CONFIG", str(REGION_FILE))
    return conf


def test_markdown_export_of_a_week(week48, capsys):
    assert main(["export", "--week", "2026-W48", "--format", "md"]) == 0
    doc = capsys.readouterr().out
    assert doc.startswith("# Samverkan Stockholm: vecka 48, 2026\n")
    assert "23 november–29 november 2026" in doc
    assert "## Ordinarie konferens v. 48\n\n- Status: avslutad\n" in doc
    assert "- Öppnad: torsdag 26 november 2026 16.01" in doc and "- Stängd: torsdag 26 november 2026 17.01" in doc
    assert "- Samlad lägesbild publicerad: torsdag 26 november 2026 17.01, 1 meddelande\n" in doc
    assert "- Deltagande: 2 av 37 aktörer rapporterade" in doc
    assert "#### Blåljus" in doc and "**Polisregion Stockholm**, status påverkad" in doc
    assert "- **Läge:** Ökad närvaro <script>alert(1)</script> & mer" in doc  # Markdown: as typed
    assert "**Tyresö kommun**" in doc and "- Inget nytt att rapportera." in doc
    assert "### Behov av samverkan\n\n- **Polisregion Stockholm:** Samordnad information" in doc
    assert "#1 **Trafikverket:** Samordna information om vägläget" in doc
    assert "Senast: fredag 27 november 2026." in doc
    # without SLACK_BOT_TOKEN and nothing cached, a person is shown by id with a note
    assert "Kvitterad för Trafikverket av U0TRV001 (namnet kunde inte hämtas från Slack)" in doc
    assert "- Vinterberedskap i regionen (Länsstyrelsen Stockholm)" in doc


def test_html_export_is_escaped_and_written_to_a_file(week48, tmp_path, capsys):
    out = tmp_path / "v48.html"
    assert main(["export", "--week", "2026-W48", "--format", "html", "-o", str(out)]) == 0
    doc = out.read_text(encoding="utf-8")
    assert doc.startswith("<!DOCTYPE html>") and '<html lang="sv">' in doc
    assert "Ökad närvaro &lt;script&gt;alert(1)&lt;/script&gt; &amp; mer" in doc
    assert "<script>" not in doc
    assert "<h2>Ordinarie konferens v. 48</h2>" in doc and "<li>Status: avslutad</li>" in doc and "Kvitterad för Trafikverket av U0TRV001 (namnet" in doc
    assert str(out) in capsys.readouterr().err


def test_unknown_week_says_so(week48, capsys):
    assert main(["export", "--week", "2026-W47"]) == 1
    err = capsys.readouterr().err
    assert "no conference in week 2026-W47 for region Stockholm" in err


@pytest.mark.parametrize("week", ["48", "2026-48", "2026-W60", "W48-2026"])
def test_malformed_week_is_refused(week, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    monkeypatch.setenv("SAMVERKAN_CONFIG", str(REGION_FILE))
    assert main(["export", "--week", week]) == 2
    assert "--week" in capsys.readouterr().err
    assert not Path(tmp_path / "none.db").exists()


def test_export_names_people_and_shows_what_came_after(week48, bot, capsys, monkeypatch):
    """Display names from users.info (never ids), the snabbutvärdering, lessons, ärenden with
    their status and steps, and målkonflikter."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.setenv("SLACK_API_URL", bot.emu.api_url)
    bot.emu.add_user("U0TRV001", name="Tove Trafik")
    known = set(bot.emu.views)
    samverkan(bot, "utvärdera", "U0LST001", modal=True)
    bot.slack.view_submission("U0LST001", new_view(bot, known, "evaluation"),
                              _scores("4", "3", "5", ville="Samlad bild <före> helgen"))
    samverkan(bot, "lärdom Dela kartan i förväg", "U0TRV001")
    samverkan(bot, "konflikt polisen trafikverket: Avstängning mot framkomlighet", "U0POL001")
    case = _raise(bot, "Gemensam vinterberedskap")
    with bot.ctx.tx() as s:
        row = s.get(Case, case.id)
        row.conference_id = week48.id  # raised at the conference
        cases.move(s, row, "behandlas", "lyft", "Tas upp i RSG", "U0LST002", bot.ctx.now())

    assert main(["export", "--week", "2026-W48"]) == 0
    doc = capsys.readouterr().out
    assert "Kvitterad för Trafikverket av Tove Trafik" in doc and "U0TRV001" not in doc
    assert "Registrerad torsdag 26 november 2026 16.01 av lansstyrelsen.001." in doc
    assert "### Snabbutvärdering\n\n- **lansstyrelsen.001**: facilitering 4, teknik 3, upplägg 5 (1–5)" in doc
    assert "  - Vad ville vi? Samlad bild <före> helgen" in doc
    assert "### Erfarenhetslogg\n\n- Dela kartan i förväg (Tove Trafik," in doc
    assert "- #1 Polisregion Stockholm ↔ Trafikverket: Avstängning mot framkomlighet" in doc
    assert "Noterad torsdag 26 november 2026" in doc and "av polisen.001. Öppen." in doc
    # the point raised with /atgard lyft in the fixture is ärende #1, still lyft
    assert "- #1 Vinterberedskap i regionen (Länsstyrelsen Stockholm, lyft av lansstyrelsen.001)\n" \
           "  Till Regionala samordningsgruppen. Status: **lyft**." in doc
    assert "- #2 Gemensam vinterberedskap (Polisregion Stockholm, lyft av polisen.001)\n" \
           "  Till Regionala samordningsgruppen. Status: **behandlas**." in doc
    assert "behandlas (lansstyrelsen.002): Tas upp i RSG" in doc
    assert not re.search(r"\bU0[A-Z0-9]{6,}\b", doc)
