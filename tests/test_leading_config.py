"""The region file's `agenda:` and `close_warning_minutes`, validated like the rest."""
from __future__ import annotations

from tests.test_config import load_text, problems, variant

AGENDA = """agenda:
  - {title: Kommunikation, kind: information, purpose: "Gemensamma budskap inför helgen"}
  - {title: Vinterberedskap, kind: diskussion, prepare: [trafikverket, polisen]}
speaking_order:"""


def test_agenda_and_close_warning_are_read(tmp_path):
    cfg = load_text(variant(("speaking_order:", AGENDA), ("grace_minutes: 60", "grace_minutes: 60\n  close_warning_minutes: 5")),
                    tmp_path)
    assert cfg.conference.close_warning_minutes == 5
    assert [(p.title, p.kind, p.prepare) for p in cfg.agenda] == [
        ("Kommunikation", "information", ()), ("Vinterberedskap", "diskussion", ("trafikverket", "polisen"))]


def test_defaults(tmp_path):
    cfg = load_text(variant(), tmp_path)
    assert cfg.conference.close_warning_minutes == 10 and cfg.agenda == ()


def test_bad_agenda_points_are_named_by_their_key(tmp_path):
    bad = """agenda:
  - {title: Kommunikation, kind: beslut}
  - {kind: information}
  - {title: Vinter, prepare: [trafikverkt]}
speaking_order:"""
    found = problems(variant(("speaking_order:", bad), ("grace_minutes: 60", "grace_minutes: 60\n  close_warning_minutes: -1")),
                     tmp_path)
    text = "\n".join(found)
    assert "conference.close_warning_minutes" in text
    assert "agenda[0].kind" in text and "beslut" in text
    assert "agenda[1].title" in text
    assert "agenda[3].prepare[0]" not in text and "agenda[2].prepare[0]" in text and "trafikverket" in text


def test_at_most_ten_points(tmp_path):
    many = "agenda:\n" + "".join(f"  - {{title: Punkt {i}}}\n" for i in range(11)) + "speaking_order:"
    assert any("agenda" in p and "at most 10" in p for p in problems(variant(("speaking_order:", many)), tmp_path))
